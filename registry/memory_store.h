#ifndef CERTREG_REGISTRY_MEMORY_STORE_H_
#define CERTREG_REGISTRY_MEMORY_STORE_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "registry/store.h"

namespace certreg {

// An in-memory Store for tests. Nothing is durable. Thread-safe.
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
  absl::Status WriteUnsynced(const WriteBatch& batch) override {
    return Write(batch);
  }
  absl::Status Sync() override { return absl::OkStatus(); }

 private:
  mutable absl::Mutex mu_;
  std::map<Column, std::map<std::string, std::string>> columns_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_MEMORY_STORE_H_
