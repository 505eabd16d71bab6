#include "registry/storage/store.h"

#include <utility>

#include "verifier/base/status_macros.h"

namespace certreg {
namespace {

class ScanCursor : public Cursor {
 public:
  ScanCursor(const ReadableStore& store, Column column, absl::string_view end)
      : store_(store), column_(column), end_(end) {}

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

  const ReadableStore& store_;
  const Column column_;
  const std::string end_;
  std::string key_;
  std::string value_;
};

}  // namespace

std::unique_ptr<Cursor> NewScanCursor(const ReadableStore& store, Column column,
                                      absl::string_view end) {
  return std::make_unique<ScanCursor>(store, column, end);
}

absl::StatusOr<std::vector<std::optional<std::string>>> ReadableStore::MultiGet(
    Column column, const std::vector<std::string>& keys) const {
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (const std::string& key : keys) {
    absl::StatusOr<std::optional<std::string>> value = Get(column, key);
    if (!value.ok()) return value.status();
    values.push_back(*std::move(value));
  }
  return values;
}

absl::string_view ColumnName(Column column) {
  switch (column) {
    case Column::kStatements:
      return "statements";
    case Column::kLeafByHash:
      return "leaf_by_hash";
    case Column::kCertificates:
      return "certificates";
    case Column::kCreditCodeIndex:
      return "credit_code_index";
    case Column::kNameIndex:
      return "name_index";
    case Column::kBodies:
      return "bodies";
    case Column::kKeys:
      return "keys";
    case Column::kMerkleNodes:
      return "merkle_nodes";
    case Column::kCheckpoints:
      return "checkpoints";
    case Column::kMeta:
      return "meta";
    case Column::kBodyStatements:
      return "body_statements";
    case Column::kStatusChanges:
      return "status_changes";
    case Column::kNextStatusChange:
      return "next_status_change";
    case Column::kWatchlists:
      return "watchlists";
    case Column::kDeliveries:
      return "deliveries";
  }
  return "unknown";
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace certreg
