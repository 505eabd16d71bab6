#include "registry/memory_store.h"

namespace certreg {

absl::StatusOr<std::optional<std::string>> MemoryStore::Get(
    Column column, absl::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  auto col = columns_.find(column);
  if (col == columns_.end()) return std::nullopt;
  auto it = col->second.find(std::string(key));
  if (it == col->second.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<KeyValue>> MemoryStore::Scan(Column column,
                                                        absl::string_view start,
                                                        absl::string_view end,
                                                        size_t limit) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<KeyValue> out;
  auto col = columns_.find(column);
  if (col == columns_.end()) return out;
  for (auto it = col->second.lower_bound(std::string(start));
       it != col->second.end() && out.size() < limit; ++it) {
    if (!end.empty() && it->first >= end) break;
    out.emplace_back(it->first, it->second);
  }
  return out;
}

absl::Status MemoryStore::Write(const WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  for (const WriteBatch::Op& op : batch.ops()) {
    if (op.value.has_value()) {
      columns_[op.column][op.key] = *op.value;
    } else {
      columns_[op.column].erase(op.key);
    }
  }
  return absl::OkStatus();
}

}  // namespace certreg
