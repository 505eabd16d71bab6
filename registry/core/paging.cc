#include "registry/core/paging.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

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

std::string EncodePageToken(absl::string_view last_key) {
  return absl::WebSafeBase64Escape(last_key);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  std::string out;
  if (!absl::WebSafeBase64Unescape(token, &out)) {
    return absl::InvalidArgumentError(
        "page_token: not a token from a previous response");
  }
  return out;
}

std::string KeyAfter(absl::string_view key) {
  return absl::StrCat(key, absl::string_view("\0", 1));
}

}  // namespace certreg
