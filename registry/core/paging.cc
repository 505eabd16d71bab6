#include "registry/core/paging.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "verifier/crypto/sha256.h"

namespace certreg {

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size,
                             absl::string_view field) {
  if (requested < 0 || requested > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", requested, " is outside 1-", max_size,
                     " (0 means ", default_size, ")"));
  }
  return requested == 0 ? default_size : requested;
}

namespace {

constexpr size_t kCheckBytes = 8;

// The check a token carries: the first bytes of a hash of the list's name
// and the key.
std::string Check(absl::string_view list, absl::string_view key) {
  return Sha256({"certreg.v1.PageToken", absl::string_view("\0", 1), list,
                 absl::string_view("\0", 1), key})
      .substr(0, kCheckBytes);
}

absl::Status NotAToken(absl::string_view list) {
  return absl::InvalidArgumentError(absl::StrCat(
      "page_token: not a token from a previous response of ", list,
      " (altered, truncated, or from another list); start again without one"));
}

}  // namespace

std::string EncodePageToken(absl::string_view list,
                            absl::string_view last_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(last_key, Check(list, last_key)));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view list,
                                            absl::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < kCheckBytes) {
    return NotAToken(list);
  }
  std::string key = raw.substr(0, raw.size() - kCheckBytes);
  if (raw.substr(key.size()) != Check(list, key)) return NotAToken(list);
  return key;
}

std::string KeyAfter(absl::string_view key) {
  return absl::StrCat(key, absl::string_view("\0", 1));
}

}  // namespace certreg
