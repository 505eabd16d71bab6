#ifndef CERTREG_REGISTRY_SERVER_BACKUP_H_
#define CERTREG_REGISTRY_SERVER_BACKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "certreg/v1/admin.pb.h"
#include "registry/core/registry.h"
#include "registry/storage/rocksdb_store.h"

namespace certreg {

// The file in a data directory that keeps the last published checkpoint
// outside the database (RegistryOptions::published_checkpoint_file). A
// backup carries the checkpoint its log covers there.
inline constexpr char kPublishedCheckpointFile[] = "published_checkpoint";

// The file a backup carries until a registry has checked it in full: the
// first start on a restored backup scrubs it (every leaf hashed and its
// signer checked, every record re-derived) before serving.
inline constexpr char kRestoreCheckFile[] = "restore_check_pending";

// Online backups of a running registry into one directory on its machine.
// Thread-safe.
class BackupWriter {
 public:
  // `store` and `registry` must outlive this.
  BackupWriter(const RocksDbStore* store, Registry* registry,
               std::string backup_dir)
      : store_(store),
        registry_(registry),
        backup_dir_(std::move(backup_dir)) {}

  // Writes backup_dir/NAME: the database, the checkpoint its log covers
  // (as NAME/published_checkpoint, which a start on it checks the log
  // against) and NAME/restore_check_pending. INVALID_ARGUMENT for a bad name
  // (only letters, digits, '.', '_', '-'; not "." or ".."), FAILED_PRECONDITION
  // when no backup directory is configured, ALREADY_EXISTS when the name is
  // taken.
  absl::StatusOr<v1::BackupResponse> Backup(const v1::BackupRequest& request);

 private:
  const RocksDbStore* const store_;
  Registry* const registry_;
  const std::string backup_dir_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_BACKUP_H_
