#include "registry/store.h"

namespace certreg {

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
