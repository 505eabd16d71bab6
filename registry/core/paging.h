#ifndef CERTREG_REGISTRY_CORE_PAGING_H_
#define CERTREG_REGISTRY_CORE_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// Pages of the registry's lists (search, bodies). A page token carries the
// last key a page showed and a check over it and the list it is for, in
// web-safe base64; the next page starts after that key. A token that was
// not made for the list it is used with, or was altered, is refused rather
// than read as a position or as "no more results".

// The page size to use for `requested` (0: `default_size`);
// INVALID_ARGUMENT naming `field` when it is negative or above `max_size`.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size,
                             absl::string_view field);

// The token of a page of list `list` (e.g. "search", "bodies") whose last
// key is `last_key`.
std::string EncodePageToken(absl::string_view list, absl::string_view last_key);

// The last key of the page `token` came with ("" for the first page, an
// empty token); INVALID_ARGUMENT "page_token: ..." when it is not a token
// this registry made for `list`.
absl::StatusOr<std::string> DecodePageToken(absl::string_view list,
                                            absl::string_view token);

// The smallest key greater than `key` (to resume after it).
std::string KeyAfter(absl::string_view key);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_PAGING_H_
