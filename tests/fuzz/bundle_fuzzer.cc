// The offline verifier on arbitrary verification bundles.
//
// Input: a serialized VerificationBundle. It is verified with the fixed
// pinned keys the seeds were signed with, at a fixed time an hour after
// their checkpoint, for a claim naming the bundle's certificate number (the
// demo's when the bundle names none).
//
// Then the bundle is sealed: made authentic around its statements, whatever
// they say, so that every check behind the signatures and proofs sees
// arbitrary statements too. Its statements become the leaves of a new log
// (authority statements, certificate statements, the rules statement), with
// new inclusion proofs, a checkpoint and a head signed by the log key (which
// the harness holds); every statement signature is put in the signature memo
// as verified (what a memo holds is never checked again).
//
// Properties checked: the same response without a memo, with a fresh memo,
// and with the memo that remembered the first run (a memo never changes an
// answer); the response names the claim's number; a passing verdict has no
// failed check; a bundle failing an authenticity check yields neither a
// status nor a certificate; a sealed bundle passes checkpoint_signature and
// inclusion_proof.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/fuzz_support.h"
#include "tools/demo/demo_data.h"
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/crypto/signature_memo.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

constexpr absl::string_view kAuthenticityChecks[] = {
    "checkpoint_signature", "inclusion_proof", "statement_signature",
    "signer_accredited",    "event_chain",     "completeness",
    "scheme_rules"};

const PinnedKeys& Keys() {
  static const PinnedKeys* const keys = [] {
    auto* pinned = new PinnedKeys;
    pinned->operator_key = std::make_shared<const Ed25519PublicKey>(
        fuzz::FuzzOperatorKey().public_key());
    pinned->log_key = std::make_shared<const Ed25519PublicKey>(
        fuzz::FuzzLogKey().public_key());
    return pinned;
  }();
  return *keys;
}

void CheckResponse(const v1::VerifyResponse& response, const v1::Claim& claim) {
  FUZZ_CHECK(response.certificate_number() == claim.certificate_number(),
             "the response names another certificate");
  bool authentic = true;
  for (const v1::Check& check : response.checks()) {
    if (response.verdict() == v1::VERDICT_PASS) {
      FUZZ_CHECK(check.outcome() != v1::CHECK_OUTCOME_FAILED,
                 absl::StrCat("PASS with the failed check ", check.name()));
    }
    for (absl::string_view name : kAuthenticityChecks) {
      if (check.name() == name && check.outcome() != v1::CHECK_OUTCOME_PASSED) {
        authentic = false;
      }
    }
  }
  if (!authentic) {
    FUZZ_CHECK(response.verdict() == v1::VERDICT_FAIL,
               "an unauthentic bundle did not FAIL");
    FUZZ_CHECK(!response.has_status() && !response.has_certificate(),
               "an unauthentic bundle's status or certificate was evaluated");
  }
}

const v1::Check* FindCheck(const v1::VerifyResponse& response,
                           absl::string_view name) {
  for (const v1::Check& check : response.checks()) {
    if (check.name() == name) return &check;
  }
  return nullptr;
}

// `bundle` made authentic around its statements (see the top of the file);
// false when it has none.
bool Seal(v1::VerificationBundle& bundle, SignatureMemo& memo) {
  std::vector<v1::ProvenStatement*> leaves;
  for (v1::ProvenStatement& proven : *bundle.mutable_authority_statements()) {
    leaves.push_back(&proven);
  }
  for (v1::ProvenStatement& proven : *bundle.mutable_certificate_statements()) {
    leaves.push_back(&proven);
  }
  if (bundle.has_rules_statement()) {
    leaves.push_back(bundle.mutable_rules_statement());
  }
  if (leaves.empty()) return false;
  InMemoryMerkleTree tree;
  for (v1::ProvenStatement* proven : leaves) {
    const v1::SignedStatement& signed_statement = proven->signed_statement();
    tree.AppendLeaf(LeafData(signed_statement));
    memo.Remember(
        SignatureMemo::EntryOf(signed_statement.key_id(),
                               DomainSeparated(kStatementSignatureDomain,
                                               signed_statement.statement()),
                               signed_statement.signature()));
  }
  const uint64_t size = tree.size();
  for (uint64_t i = 0; i < size; ++i) {
    absl::StatusOr<std::vector<std::string>> path =
        InclusionProof(tree, i, size);
    FUZZ_CHECK(path.ok(), path.status().ToString());
    v1::InclusionProof& proof = *leaves[i]->mutable_inclusion_proof();
    proof.set_leaf_index(i);
    proof.set_tree_size(size);
    proof.clear_hashes();
    for (std::string& hash : *path) proof.add_hashes(std::move(hash));
  }

  // The checkpoint keeps what it said but for the tree (its time included,
  // which the freshness check reads).
  v1::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(bundle.checkpoint().checkpoint())) {
    checkpoint.Clear();
  }
  checkpoint.set_tree_size(size);
  absl::StatusOr<std::string> root = RootHash(tree, size);
  FUZZ_CHECK(root.ok(), root.status().ToString());
  checkpoint.set_root_hash(*root);
  absl::StatusOr<v1::SignedCheckpoint> signed_checkpoint =
      SignCheckpoint(checkpoint, fuzz::FuzzLogKey());
  FUZZ_CHECK(signed_checkpoint.ok(), signed_checkpoint.status().ToString());
  *bundle.mutable_checkpoint() = *std::move(signed_checkpoint);

  // The head says what the bundle holds.
  const auto& certificate = bundle.certificate_statements();
  const auto& authority = bundle.authority_statements();
  v1::CertificateHead head;
  head.ParseFromString(bundle.head().head());
  head.set_certificate_number(bundle.certificate_number());
  head.set_tree_size(size);
  head.set_certificate_statement_count(certificate.size());
  head.set_latest_statement_hash(
      certificate.empty()
          ? ""
          : StatementHash(certificate.rbegin()->signed_statement()));
  head.set_authority_statement_count(authority.size());
  head.set_latest_authority_leaf_index(
      authority.empty() ? 0
                        : authority.rbegin()->inclusion_proof().leaf_index());
  head.set_rules_statement_hash(
      bundle.has_rules_statement()
          ? StatementHash(bundle.rules_statement().signed_statement())
          : "");
  absl::StatusOr<v1::SignedCertificateHead> signed_head =
      SignCertificateHead(head, fuzz::FuzzLogKey());
  FUZZ_CHECK(signed_head.ok(), signed_head.status().ToString());
  *bundle.mutable_head() = *std::move(signed_head);
  bundle.clear_head_in_tree();
  return true;
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using google::protobuf::util::MessageDifferencer;
  using namespace certreg;
  v1::VerificationBundle bundle;
  if (!bundle.ParseFromArray(data, static_cast<int>(size))) return 0;
  v1::Claim claim;
  claim.set_certificate_number(bundle.certificate_number().empty()
                                   ? kDemoProbeNumber
                                   : bundle.certificate_number());
  const absl::Time now = fuzz::FuzzVerifyTime();

  const v1::VerifyResponse plain =
      VerifyBundle(bundle, claim, Keys(), VerifyPolicy(), now);
  CheckResponse(plain, claim);

  SignatureMemo memo(1000);
  for (int run = 0; run < 2; ++run) {
    const v1::VerifyResponse memoized =
        VerifyBundle(bundle, claim, Keys(), VerifyPolicy(), now, &memo);
    FUZZ_CHECK(MessageDifferencer::Equals(memoized, plain),
               absl::StrCat("memo run ", run, " answered differently:\n",
                            memoized.DebugString(), "\nwithout a memo:\n",
                            plain.DebugString()));
  }

  SignatureMemo sealed_memo(1000);
  if (!Seal(bundle, sealed_memo)) return 0;
  const v1::VerifyResponse sealed =
      VerifyBundle(bundle, claim, Keys(), VerifyPolicy(), now, &sealed_memo);
  CheckResponse(sealed, claim);
  if (FindCheck(sealed, "claim") == nullptr) {
    for (absl::string_view name : {"checkpoint_signature", "inclusion_proof"}) {
      const v1::Check* check = FindCheck(sealed, name);
      FUZZ_CHECK(
          check != nullptr && check->outcome() == v1::CHECK_OUTCOME_PASSED,
          absl::StrCat("a sealed bundle fails ", name, ":\n",
                       sealed.DebugString()));
    }
  }
  return 0;
}
