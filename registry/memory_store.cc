#include "registry/memory_store.h"

#include "verifier/status_macros.h"

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

namespace {

// Each step looks the next key up afresh, so the cursor sees the map as it is
// at that step and never holds an iterator across a write.
class MemoryCursor : public Cursor {
 public:
  MemoryCursor(const MemoryStore* store, Column column, absl::string_view end)
      : store_(*store), column_(column), end_(end) {}

  absl::StatusOr<bool> Seek(absl::string_view target) override {
    return Load(target, /*inclusive=*/true);
  }
  absl::StatusOr<bool> Next() override {
    return Load(std::string(key_), /*inclusive=*/false);
  }
  absl::string_view key() const override { return key_; }
  absl::string_view value() const override { return value_; }

 private:
  absl::StatusOr<bool> Load(absl::string_view from, bool inclusive) {
    // The first key >= from (or > from): Scan from `from`, skipping it if it
    // must be excluded.
    CERTREG_ASSIGN_OR_RETURN(std::vector<KeyValue> rows,
                             store_.Scan(column_, from, end_, 2));
    size_t i = 0;
    if (!inclusive && !rows.empty() && rows[0].first == from) i = 1;
    if (i >= rows.size()) return false;
    key_ = std::move(rows[i].first);
    value_ = std::move(rows[i].second);
    return true;
  }

  const MemoryStore& store_;
  const Column column_;
  const std::string end_;
  std::string key_;
  std::string value_;
};

}  // namespace

std::unique_ptr<Cursor> MemoryStore::NewCursor(Column column,
                                               absl::string_view end) const {
  return std::make_unique<MemoryCursor>(this, column, end);
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
