#ifndef CERTREG_REGISTRY_STORAGE_MEMORY_STORE_H_
#define CERTREG_REGISTRY_STORAGE_MEMORY_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "registry/storage/store.h"

namespace certreg {

// An in-memory Store for tests. Nothing survives the process; Sync() only
// marks what DurableView() shows. Every value a key ever had is kept (a
// view reads the newest one as of its sync), so it suits tests only.
// Thread-safe.
class MemoryStore : public Store {
 public:
  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override;
  absl::StatusOr<std::vector<KeyValue>> Scan(Column column,
                                             absl::string_view start,
                                             absl::string_view end,
                                             size_t limit) const override;
  std::unique_ptr<Cursor> NewCursor(Column column,
                                    absl::string_view end) const override;
  absl::Status Write(const WriteBatch& batch) override;
  absl::Status WriteUnsynced(const WriteBatch& batch) override;
  absl::Status Sync() override;
  std::shared_ptr<const ReadableStore> DurableView() const override;

  // The reads above, as of write number `version` (every batch applied is
  // one more).
  std::optional<std::string> GetAt(uint64_t version, Column column,
                                   absl::string_view key) const;
  std::vector<KeyValue> ScanAt(uint64_t version, Column column,
                               absl::string_view start, absl::string_view end,
                               size_t limit) const;

 private:
  // A key's values, oldest first, each with the write that set it (nullopt:
  // deleted).
  using History = std::vector<std::pair<uint64_t, std::optional<std::string>>>;

  mutable absl::Mutex mu_;
  std::map<Column, std::map<std::string, History>> columns_
      ABSL_GUARDED_BY(mu_);
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t durable_version_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_MEMORY_STORE_H_
