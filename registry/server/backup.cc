#include "registry/server/backup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "verifier/base/durable_file.h"
#include "verifier/base/status_macros.h"

namespace certreg {

absl::StatusOr<v1::BackupResponse> BackupWriter::Backup(
    const v1::BackupRequest& request) {
  const std::string& name = request.name();
  if (name.empty() || name.size() > 100 || name == "." || name == "..") {
    return absl::InvalidArgumentError(
        "name: give a backup name of 1-100 characters");
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          "name: \"", name,
          "\" may only contain letters, digits, '.', '_' and '-'"));
    }
  }
  if (backup_dir_.empty()) {
    return absl::FailedPreconditionError(
        "this registry has no backup directory (start it with --backup_dir)");
  }
  // Published before the copy is taken, so the copy holds all it covers.
  CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint covered,
                           registry_->PublishCheckpoint());
  const uint64_t size = registry_->size();
  const std::string path = absl::StrCat(backup_dir_, "/", name);
  CERTREG_RETURN_IF_ERROR(store_->CreateCheckpoint(path));
  CERTREG_RETURN_IF_ERROR(
      WriteFileDurably(absl::StrCat(path, "/", kPublishedCheckpointFile),
                       covered.SerializeAsString()));
  CERTREG_RETURN_IF_ERROR(WriteFileDurably(
      absl::StrCat(path, "/", kRestoreCheckFile),
      "This backup is checked in full (every log leaf hashed and its signer "
      "checked, every certificate record re-derived) by the first registry "
      "started on it, which then deletes this file.\n"));
  v1::BackupResponse response;
  response.set_path(path);
  response.set_tree_size(size);
  return response;
}

}  // namespace certreg
