#include "registry/storage/store_keys.h"

#include "absl/strings/str_cat.h"

namespace certreg {

std::string EncodeUint64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeUint64(absl::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

std::string PostingKey(absl::string_view term, absl::string_view number) {
  return absl::StrCat(term, absl::string_view("\0", 1), number);
}

std::string PostingPrefix(absl::string_view term) {
  return absl::StrCat(term, absl::string_view("\0", 1));
}

std::string EncodeLeafIndexes(const std::vector<uint64_t>& indexes) {
  std::string out;
  out.reserve(indexes.size() * 8);
  for (uint64_t index : indexes) out += EncodeUint64(index);
  return out;
}

std::optional<std::vector<uint64_t>> DecodeLeafIndexes(
    absl::string_view bytes) {
  if (bytes.empty() || bytes.size() % 8 != 0) return std::nullopt;
  std::vector<uint64_t> out;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    out.push_back(*DecodeUint64(bytes.substr(i, 8)));
  }
  return out;
}

std::string EncodeDay(absl::CivilDay day) {
  return EncodeUint64(static_cast<uint64_t>(day - absl::CivilDay(1970, 1, 1)));
}

std::optional<absl::CivilDay> DecodeDay(absl::string_view bytes) {
  std::optional<uint64_t> days = DecodeUint64(bytes);
  if (!days.has_value() || *days > 1000000) return std::nullopt;
  return absl::CivilDay(1970, 1, 1) + static_cast<int64_t>(*days);
}

std::string StatusChangePrefix(absl::CivilDay day) {
  return absl::StrCat(EncodeDay(day), std::string(1, '\0'));
}

std::string StatusChangeKey(absl::CivilDay day, absl::string_view number) {
  return absl::StrCat(StatusChangePrefix(day), number);
}

std::optional<std::pair<absl::CivilDay, std::string>> ParseStatusChangeKey(
    absl::string_view key) {
  if (key.size() < 10 || key[8] != '\0') return std::nullopt;
  std::optional<absl::CivilDay> day = DecodeDay(key.substr(0, 8));
  if (!day.has_value()) return std::nullopt;
  return std::make_pair(*day, std::string(key.substr(9)));
}

std::string MerkleNodeKey(int level, uint64_t index) {
  return absl::StrCat(std::string(1, static_cast<char>(level)),
                      EncodeUint64(index));
}

}  // namespace certreg
