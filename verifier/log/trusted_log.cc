#include "verifier/log/trusted_log.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "verifier/base/durable_file.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

// Largest state file accepted (a signed checkpoint is ~200 bytes).
constexpr std::uintmax_t kMaxStateBytes = 64 << 10;

absl::Status Forked(absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("the log's history was rewritten or forked: ", what));
}

std::string Describe(const v1::Checkpoint& checkpoint) {
  return absl::StrCat("tree size ", checkpoint.tree_size(), " root ",
                      ToHex(checkpoint.root_hash()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TrustedLog>> TrustedLog::Open(
    std::string state_path, std::shared_ptr<const Ed25519PublicKey> log_key) {
  if (log_key == nullptr) {
    return absl::InvalidArgumentError("log_key: is required");
  }
  if (state_path.empty()) {
    return absl::InvalidArgumentError("state_path: is required");
  }
  auto log = absl::WrapUnique(new TrustedLog(state_path, std::move(log_key)));
  absl::StatusOr<std::optional<std::string>> contents =
      ReadFileIfExists(state_path, kMaxStateBytes);
  if (!contents.ok()) {
    const absl::Status& status = contents.status();
    return absl::Status(
        status.code(), absl::StrCat("trusted log state ",
                                    status.code() == absl::StatusCode::kDataLoss
                                        ? "is corrupt: "
                                        : "cannot be read: ",
                                    status.message()));
  }
  if (!contents->has_value()) return log;
  v1::SignedCheckpoint signed_checkpoint;
  if (!signed_checkpoint.ParseFromString(**contents)) {
    return absl::DataLossError(
        absl::StrCat("trusted log state ", state_path,
                     " is corrupt: not a serialized SignedCheckpoint"));
  }
  if (signed_checkpoint.key_id() != log->log_key_->key_id()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "trusted log state ", state_path, " is for log key ",
        ToHex(signed_checkpoint.key_id()), ", not the configured log key ",
        ToHex(log->log_key_->key_id())));
  }
  absl::StatusOr<v1::Checkpoint> checkpoint =
      VerifyCheckpoint(signed_checkpoint, *log->log_key_);
  if (!checkpoint.ok()) {
    return absl::DataLossError(
        absl::StrCat("trusted log state ", state_path,
                     " is corrupt: ", checkpoint.status().message()));
  }
  log->Trust(*std::move(checkpoint), signed_checkpoint);
  return log;
}

void TrustedLog::Trust(v1::Checkpoint checkpoint,
                       const v1::SignedCheckpoint& signed_checkpoint) {
  absl::MutexLock lock(&mu_);
  trusted_ = std::move(checkpoint);
  trusted_signed_ = signed_checkpoint;
}

std::optional<v1::Checkpoint> TrustedLog::trusted() const {
  absl::MutexLock lock(&mu_);
  return trusted_;
}

absl::Status TrustedLog::Advance(const v1::SignedCheckpoint& newer,
                                 const FetchConsistencyFn& fetch_consistency) {
  {
    // Most claims arrive with the checkpoint already trusted: no Ed25519
    // verification, and no waiting behind another claim's Advance.
    absl::MutexLock lock(&mu_);
    if (trusted_.has_value() &&
        newer.checkpoint() == trusted_signed_.checkpoint() &&
        newer.signature() == trusted_signed_.signature() &&
        newer.key_id() == trusted_signed_.key_id()) {
      return absl::OkStatus();
    }
  }
  absl::MutexLock advance_lock(&advance_mu_);
  absl::StatusOr<v1::Checkpoint> checkpoint =
      VerifyCheckpoint(newer, *log_key_);
  if (!checkpoint.ok()) return checkpoint.status();
  // Only Advance (serialised by advance_mu_) changes trusted_.
  const std::optional<v1::Checkpoint> current = trusted();

  if (!current.has_value()) {
    if (absl::Status persisted = Persist(newer); !persisted.ok()) {
      return persisted;
    }
    Trust(*std::move(checkpoint), newer);
    return absl::OkStatus();
  }

  if (checkpoint->origin() != current->origin()) {
    return Forked(
        absl::StrCat("the checkpoint is for log \"", checkpoint->origin(),
                     "\", the trusted one for \"", current->origin(), "\""));
  }

  const uint64_t new_size = checkpoint->tree_size();
  const uint64_t old_size = current->tree_size();
  if (new_size == old_size) {
    if (checkpoint->root_hash() != current->root_hash()) {
      return Forked(absl::StrCat("two different roots at tree size ", new_size,
                                 ": trusted ", ToHex(current->root_hash()),
                                 ", new ", ToHex(checkpoint->root_hash())));
    }
    if (checkpoint->timestamp_unix_millis() >
        current->timestamp_unix_millis()) {
      if (absl::Status persisted = Persist(newer); !persisted.ok()) {
        return persisted;
      }
      Trust(*std::move(checkpoint), newer);
    }
    return absl::OkStatus();
  }

  const bool grows = new_size > old_size;
  const v1::Checkpoint& from = grows ? *current : *checkpoint;
  const v1::Checkpoint& to = grows ? *checkpoint : *current;
  absl::StatusOr<v1::ConsistencyProof> proof =
      fetch_consistency(from.tree_size(), to.tree_size());
  if (!proof.ok()) {
    return absl::Status(
        proof.status().code(),
        absl::StrCat("fetching the consistency proof from tree size ",
                     from.tree_size(), " to ", to.tree_size(), ": ",
                     proof.status().message()));
  }
  if (proof->from_size() != from.tree_size() ||
      proof->to_size() != to.tree_size()) {
    return Forked(absl::StrCat("asked for a consistency proof from ",
                               from.tree_size(), " to ", to.tree_size(),
                               ", got one from ", proof->from_size(), " to ",
                               proof->to_size()));
  }
  absl::Status consistent = VerifyConsistency(
      from.tree_size(), to.tree_size(), from.root_hash(), to.root_hash(),
      std::vector<std::string>(proof->hashes().begin(), proof->hashes().end()));
  if (!consistent.ok()) {
    return Forked(absl::StrCat(Describe(to), " does not extend ",
                               Describe(from), " (", consistent.message(),
                               ")"));
  }
  if (!grows) return absl::OkStatus();  // an older, consistent view
  if (absl::Status persisted = Persist(newer); !persisted.ok()) {
    return persisted;
  }
  Trust(*std::move(checkpoint), newer);
  return absl::OkStatus();
}

absl::Status TrustedLog::Persist(
    const v1::SignedCheckpoint& signed_checkpoint) const {
  return WriteFileDurably(state_path_, signed_checkpoint.SerializeAsString());
}

}  // namespace certreg
