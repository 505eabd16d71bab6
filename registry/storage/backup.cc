#include "registry/storage/backup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

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
  const uint64_t size = registry_->size();
  const std::string path = absl::StrCat(backup_dir_, "/", name);
  absl::Status written = store_->CreateCheckpoint(path);
  if (!written.ok()) return written;
  v1::BackupResponse response;
  response.set_path(path);
  response.set_tree_size(size);
  return response;
}

}  // namespace certreg
