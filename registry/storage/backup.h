#ifndef CERTREG_REGISTRY_STORAGE_BACKUP_H_
#define CERTREG_REGISTRY_STORAGE_BACKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "certreg/v1/admin.pb.h"
#include "registry/core/registry.h"
#include "registry/storage/rocksdb_store.h"

namespace certreg {

// Online backups of a running registry into one directory on its machine.
// Thread-safe.
class BackupWriter {
 public:
  // `store` and `registry` must outlive this.
  BackupWriter(const RocksDbStore* store, const Registry* registry,
               std::string backup_dir)
      : store_(store),
        registry_(registry),
        backup_dir_(std::move(backup_dir)) {}

  // Writes backup_dir/NAME. INVALID_ARGUMENT for a bad name (only letters,
  // digits, '.', '_', '-'; not "." or ".."), FAILED_PRECONDITION when no
  // backup directory is configured, ALREADY_EXISTS when the name is taken.
  absl::StatusOr<v1::BackupResponse> Backup(const v1::BackupRequest& request);

 private:
  const RocksDbStore* const store_;
  const Registry* const registry_;
  const std::string backup_dir_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_BACKUP_H_
