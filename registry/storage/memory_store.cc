#include "registry/storage/memory_store.h"

#include <limits>
#include <utility>

#include "verifier/base/status_macros.h"

namespace certreg {
namespace {

constexpr uint64_t kLatest = std::numeric_limits<uint64_t>::max();

// The store as of one sync.
class MemoryView : public ReadableStore {
 public:
  MemoryView(const MemoryStore& store, uint64_t version)
      : store_(store), version_(version) {}

  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override {
    return store_.GetAt(version_, column, key);
  }
  absl::StatusOr<std::vector<KeyValue>> Scan(Column column,
                                             absl::string_view start,
                                             absl::string_view end,
                                             size_t limit) const override {
    return store_.ScanAt(version_, column, start, end, limit);
  }
  std::unique_ptr<Cursor> NewCursor(Column column,
                                    absl::string_view end) const override {
    return NewScanCursor(*this, column, end);
  }

 private:
  const MemoryStore& store_;
  const uint64_t version_;
};

// The value `history` gives as of `version`; nullopt when none or deleted.
template <typename History>
const std::optional<std::string>* ValueAt(const History& history,
                                          uint64_t version) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->first <= version) return &it->second;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> MemoryStore::GetAt(uint64_t version, Column column,
                                              absl::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  auto col = columns_.find(column);
  if (col == columns_.end()) return std::nullopt;
  auto it = col->second.find(std::string(key));
  if (it == col->second.end()) return std::nullopt;
  const std::optional<std::string>* value = ValueAt(it->second, version);
  return value == nullptr ? std::nullopt : *value;
}

std::vector<KeyValue> MemoryStore::ScanAt(uint64_t version, Column column,
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
    const std::optional<std::string>* value = ValueAt(it->second, version);
    if (value != nullptr && value->has_value()) {
      out.emplace_back(it->first, **value);
    }
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> MemoryStore::Get(
    Column column, absl::string_view key) const {
  return GetAt(kLatest, column, key);
}

absl::StatusOr<std::vector<KeyValue>> MemoryStore::Scan(Column column,
                                                        absl::string_view start,
                                                        absl::string_view end,
                                                        size_t limit) const {
  return ScanAt(kLatest, column, start, end, limit);
}

std::unique_ptr<Cursor> MemoryStore::NewCursor(Column column,
                                               absl::string_view end) const {
  return NewScanCursor(*this, column, end);
}

absl::Status MemoryStore::Write(const WriteBatch& batch) {
  CERTREG_RETURN_IF_ERROR(MemoryStore::WriteUnsynced(batch));
  return MemoryStore::Sync();
}

absl::Status MemoryStore::WriteUnsynced(const WriteBatch& batch) {
  absl::MutexLock lock(&mu_);
  ++version_;
  for (const WriteBatch::Op& op : batch.ops()) {
    History& history = columns_[op.column][op.key];
    if (!history.empty() && history.back().first == version_) {
      history.back().second = op.value;  // a later op of the batch wins
    } else {
      history.emplace_back(version_, op.value);
    }
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::Sync() {
  absl::MutexLock lock(&mu_);
  durable_version_ = version_;
  return absl::OkStatus();
}

std::shared_ptr<const ReadableStore> MemoryStore::DurableView() const {
  absl::ReaderMutexLock lock(&mu_);
  return std::make_shared<MemoryView>(*this, durable_version_);
}

}  // namespace certreg
