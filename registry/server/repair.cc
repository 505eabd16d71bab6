#include "registry/server/repair.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "certreg/v1/log.pb.h"
#include "registry/server/backup.h"
#include "verifier/base/durable_file.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {
namespace {

// The problems of `report`, for a message.
std::string Problems(const v1::ScrubReport& report) {
  std::string problems;
  for (int i = 0; i < report.problems_size() && i < 5; ++i) {
    absl::StrAppend(&problems, "\n  ", report.problems(i));
  }
  return problems;
}

// Compares the log with the checkpoint it once published (at `path`):
// DATA_LOSS when it forks from it; else what was lost, if anything.
absl::StatusOr<std::string> CompareWithPublished(const Registry& registry,
                                                 const std::string& path) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           ReadFileIfExists(path));
  v1::SignedCheckpoint signed_checkpoint;
  v1::Checkpoint published;
  if (!bytes.has_value() || !signed_checkpoint.ParseFromString(*bytes) ||
      !published.ParseFromString(signed_checkpoint.checkpoint())) {
    return absl::StrCat(path, " is unreadable: not compared");
  }
  const uint64_t kept = registry.size();
  const uint64_t size = published.tree_size();
  const uint64_t common = std::min(kept, size);
  if (size <= kept) {
    CERTREG_ASSIGN_OR_RETURN(std::string root, registry.LogRootAt(common));
    if (root != published.root_hash()) {
      return absl::DataLossError(absl::StrCat(
          "cannot repair: the log's root at size ", size, " is ", ToHex(root),
          " but this registry published ", ToHex(published.root_hash()), " (",
          path, "): the log was altered. Restore from a backup"));
    }
    return std::string("nothing published was lost");
  }
  return absl::StrCat(
      size - kept, " acknowledged statement(s) (log leaves ", kept, " to ",
      size - 1,
      ") were lost. Have their signers submit them again (certctl import "
      "skips what is there); verifiers that saw the checkpoint at size ",
      size, " will report this log as forked until then");
}

}  // namespace

absl::Status CheckRestoredBackup(const std::string& data_dir,
                                 Registry& registry) {
  const std::string marker = data_dir + "/" + kRestoreCheckFile;
  std::error_code error;
  if (!std::filesystem::exists(marker, error)) return absl::OkStatus();
  std::cerr << "certreg-registry: " << data_dir
            << " is a restored backup: checking it in full before serving "
               "(every log leaf hashed and its signer checked, every "
               "certificate record re-derived)..."
            << std::endl;
  CERTREG_ASSIGN_OR_RETURN(v1::ScrubReport report, registry.Scrub());
  if (!report.problems().empty() || !report.log_root_matches()) {
    return absl::DataLossError(absl::StrCat(
        "the restored backup in ", data_dir, " is damaged (",
        report.problems_size(), " problem(s); nothing was served):",
        Problems(report), "\nRestore another backup"));
  }
  std::filesystem::remove(marker, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot remove ", marker, ": ", error.message()));
  }
  std::cerr << "certreg-registry: restored backup checked: "
            << report.leaves_checked() << " leaves hash to the checkpoint at "
            << report.checkpoint_tree_size() << ", "
            << report.signatures_checked() << " signatures, "
            << report.certificates_checked() << " records ("
            << report.duration_millis() << " ms)" << std::endl;
  return absl::OkStatus();
}

absl::StatusOr<std::string> SetPublishedCheckpointAside(
    const std::string& data_dir) {
  const std::string path = data_dir + "/" + kPublishedCheckpointFile;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::string();
  const std::string aside = path + ".before-repair";
  std::filesystem::rename(path, aside, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot move ", path, " aside: ", error.message()));
  }
  return aside;
}

absl::StatusOr<std::string> RepairOpenedRegistry(Registry& registry,
                                                 const std::string& set_aside) {
  CERTREG_ASSIGN_OR_RETURN(uint64_t rewritten, registry.RepairRecords());
  CERTREG_ASSIGN_OR_RETURN(v1::ScrubReport after, registry.Scrub());
  if (!after.problems().empty() || !after.log_root_matches()) {
    return absl::DataLossError(absl::StrCat(
        "cannot repair: the log itself is damaged (", after.problems_size(),
        " problem(s)):", Problems(after), "\nRestore from a backup"));
  }
  std::string lost = "no published checkpoint to compare with";
  if (!set_aside.empty()) {
    CERTREG_ASSIGN_OR_RETURN(lost, CompareWithPublished(registry, set_aside));
  }
  return absl::StrCat("repaired: kept ", registry.size(),
                      " log leaves, all hashing to the checkpoint and "
                      "signed as they must be; ",
                      rewritten,
                      " certificate record(s) rewritten from the log; ", lost);
}

}  // namespace certreg
