#include "registry/core/bundle_builder.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_answer.h"
#include "verifier/base/status_macros.h"
#include "verifier/log/checkpoint.h"
#include "verifier/rules/certificate_validation.h"

namespace certreg {
namespace {

absl::StatusOr<uint64_t> TreeSizeOf(const v1::SignedCheckpoint& checkpoint) {
  v1::Checkpoint parsed;
  if (!parsed.ParseFromString(checkpoint.checkpoint())) {
    return absl::DataLossError("the latest checkpoint is corrupt");
  }
  return parsed.tree_size();
}

}  // namespace

uint64_t BundleBuilder::Sources::last_leaf_index() const {
  uint64_t last = authority.empty() ? 0 : authority.back();
  if (rules != nullptr && rules->leaf_index.has_value()) {
    last = std::max(last, *rules->leaf_index);
  }
  for (const v1::RecordedStatement& recorded : record.statements()) {
    last = std::max(last, recorded.leaf_index());
  }
  return last;
}

absl::StatusOr<v1::VerificationBundle> BundleBuilder::GetVerificationBundle(
    const v1::GetVerificationBundleRequest& request) {
  // Read first: the checkpoint published afterwards covers what was read.
  CERTREG_ASSIGN_OR_RETURN(const Sources sources,
                           ReadSources(request.number(), "number"));
  CERTREG_ASSIGN_OR_RETURN(
      const v1::SignedCheckpoint checkpoint,
      public_log_.PublishCheckpointCovering(sources.last_leaf_index()));
  CERTREG_ASSIGN_OR_RETURN(const uint64_t tree_size, TreeSizeOf(checkpoint));
  CERTREG_ASSIGN_OR_RETURN(const MerkleLog::Prover prover,
                           log_.NewProver(tree_size));
  ProvenByIndex authority;
  v1::CertificateHead head;
  CERTREG_ASSIGN_OR_RETURN(
      v1::VerificationBundle bundle,
      Assemble(sources, checkpoint, prover, authority, head));
  CERTREG_ASSIGN_OR_RETURN(*bundle.mutable_head(),
                           SignCertificateHead(head, *log_key_));
  return bundle;
}

absl::StatusOr<v1::GetVerificationBundlesResponse>
BundleBuilder::GetVerificationBundles(
    const v1::GetVerificationBundlesRequest& request) {
  if (request.numbers_size() > kMaxBundles) {
    return absl::InvalidArgumentError(
        absl::StrCat("numbers: ", request.numbers_size(),
                     " numbers in one call; the limit is ", kMaxBundles));
  }
  std::vector<absl::StatusOr<Sources>> sources;
  std::optional<uint64_t> last_leaf_index;  // of every bundle to build
  for (int i = 0; i < request.numbers_size(); ++i) {
    sources.push_back(
        ReadSources(request.numbers(i), absl::StrCat("numbers[", i, "]")));
    if (sources.back().ok()) {
      last_leaf_index = std::max(last_leaf_index.value_or(0),
                                 sources.back()->last_leaf_index());
    }
  }
  // Without a bundle to build there is no checkpoint to publish.
  v1::SignedCheckpoint checkpoint;
  uint64_t tree_size = 0;
  if (last_leaf_index.has_value()) {
    CERTREG_ASSIGN_OR_RETURN(
        checkpoint, public_log_.PublishCheckpointCovering(*last_leaf_index));
    CERTREG_ASSIGN_OR_RETURN(tree_size, TreeSizeOf(checkpoint));
  }
  CERTREG_ASSIGN_OR_RETURN(const MerkleLog::Prover prover,
                           log_.NewProver(tree_size));
  v1::GetVerificationBundlesResponse response;
  HeadsToSign built;
  AddResults(sources, checkpoint, prover, response, built);
  if (built.heads.empty()) return response;
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<v1::CertificateHeadInTree> signed_heads,
      SignCertificateHeads(built.heads, tree_size, *log_key_));
  for (size_t i = 0; i < built.bundles.size(); ++i) {
    *built.bundles[i]->mutable_head_in_tree() = std::move(signed_heads[i]);
  }
  return response;
}

void BundleBuilder::AddResults(
    const std::vector<absl::StatusOr<Sources>>& sources,
    const v1::SignedCheckpoint& checkpoint, const MerkleLog::Prover& prover,
    v1::GetVerificationBundlesResponse& response, HeadsToSign& built) const {
  ProvenByIndex authority;
  for (size_t i = 0; i < sources.size(); ++i) {
    const absl::StatusOr<Sources>& read = sources[i];
    v1::VerificationBundleResult* result = response.add_results();
    v1::CertificateHead head;
    absl::StatusOr<v1::VerificationBundle> bundle =
        read.ok() ? Assemble(*read, checkpoint, prover, authority, head)
                  : read.status();
    if (bundle.ok()) {
      const size_t bytes = bundle->ByteSizeLong();
      if (!built.heads.empty() && built.bytes + bytes > max_bundles_bytes_) {
        bundle = absl::ResourceExhaustedError(absl::StrCat(
            "numbers[", i, "]: the answer already carries ", built.bytes,
            " bytes of bundles and this one's ", bytes, " would pass the ",
            max_bundles_bytes_,
            "-byte limit; ask for it again (alone, or with fewer numbers)"));
      } else {
        built.bytes += bytes;
      }
    }
    if (!bundle.ok()) {
      SetAnswerStatus(bundle.status(), result);
      continue;
    }
    *result->mutable_bundle() = *std::move(bundle);
    built.heads.push_back(std::move(head));
    built.bundles.push_back(result->mutable_bundle());
  }
}

absl::StatusOr<BundleBuilder::Sources> BundleBuilder::ReadSources(
    absl::string_view number, absl::string_view field) const {
  CERTREG_RETURN_IF_ERROR(ValidateCertificateNumber(number, field));
  Sources sources;
  sources.number = std::string(number);
  // The latest state: the checkpoint published to cover it syncs first.
  CERTREG_ASSIGN_OR_RETURN(sources.record, RequireRecord(latest_, number));
  const std::string& body =
      sources.record.chain().certificate().body_approval_number();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> body_history,
                           latest_.Get(Column::kBodyStatements, body));
  std::optional<std::vector<uint64_t>> authority;
  if (body_history.has_value()) authority = DecodeLeafIndexes(*body_history);
  if (!authority.has_value() || authority->empty()) {
    return absl::DataLossError(
        absl::StrCat("authority statements of ", body, " are missing"));
  }
  sources.authority = *std::move(authority);
  sources.rules = rules_.current();
  return sources;
}

absl::StatusOr<std::vector<v1::ProvenStatement>> BundleBuilder::Prove(
    const std::vector<uint64_t>& indexes, const MerkleLog::Prover& prover,
    ProvenByIndex* proven) const {
  std::vector<v1::ProvenStatement> out;
  out.reserve(indexes.size());
  for (uint64_t index : indexes) {
    if (proven != nullptr) {
      auto it = proven->find(index);
      if (it != proven->end()) {
        out.push_back(it->second);
        continue;
      }
    }
    v1::ProvenStatement statement;
    // The statement first: its neighbour, whose hash the proof needs, is
    // most often in the same block of the store.
    CERTREG_ASSIGN_OR_RETURN(*statement.mutable_signed_statement(),
                             LoadStatement(log_, index));
    CERTREG_ASSIGN_OR_RETURN(*statement.mutable_inclusion_proof(),
                             prover.Prove(index));
    if (proven != nullptr) proven->emplace(index, statement);
    out.push_back(std::move(statement));
  }
  return out;
}

absl::StatusOr<v1::VerificationBundle> BundleBuilder::Assemble(
    const Sources& sources, const v1::SignedCheckpoint& checkpoint,
    const MerkleLog::Prover& prover, ProvenByIndex& authority,
    v1::CertificateHead& head) const {
  const std::vector<uint64_t> leaf_indexes = LeafIndexesOf(sources.record);
  v1::VerificationBundle bundle;
  bundle.set_certificate_number(sources.number);
  *bundle.mutable_checkpoint() = checkpoint;
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::ProvenStatement> statements,
                           Prove(leaf_indexes, prover, /*proven=*/nullptr));
  for (auto& s : statements) {
    *bundle.add_certificate_statements() = std::move(s);
  }
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::ProvenStatement> authorities,
                           Prove(sources.authority, prover, &authority));
  for (auto& s : authorities) {
    *bundle.add_authority_statements() = std::move(s);
  }
  head.set_certificate_number(sources.number);
  head.set_tree_size(prover.tree_size());
  head.set_certificate_statement_count(leaf_indexes.size());
  head.set_latest_statement_hash(sources.record.chain().head_hash());
  head.set_body_approval_number(
      sources.record.chain().certificate().body_approval_number());
  head.set_authority_statement_count(sources.authority.size());
  head.set_latest_authority_leaf_index(sources.authority.back());
  if (sources.rules->leaf_index.has_value()) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<v1::ProvenStatement> rules,
        Prove({*sources.rules->leaf_index}, prover, &authority));
    *bundle.mutable_rules_statement() = std::move(rules.front());
    head.set_rules_statement_hash(sources.rules->statement_hash);
  }
  return bundle;
}

}  // namespace certreg
