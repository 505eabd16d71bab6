#ifndef CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_REQUESTS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_REQUESTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "certreg/v1/registry.pb.h"

namespace certreg {

// The requests certctl get, search and export send, from their arguments
// and flag values.

// One request per number, in order: the full view (every history entry with
// its signed statement) when `full_view`, which --json asks for, else the
// basic one; as of `as_of` when given.
std::vector<v1::GetCertificateRequest> GetRequests(
    const std::vector<std::string>& numbers, bool full_view,
    const std::optional<v1::Date>& as_of);

// The values of search's filter flags, as given.
struct SearchFlags {
  std::string as_of;       // --as_of: YYYY-MM-DD
  std::string type;        // --type: management_system, service or product
  std::string status;      // --status: a status, in Chinese or English
  std::string item;        // --item: an item code or a prefix of it
  std::string body;        // --body: a body's approval number
  int page_size = 20;      // --page_size
  std::string page_token;  // --page_token
};

// The search of the optional QUERY in `args` with `flags`' filters.
//
// Errors (INVALID_ARGUMENT), in this order: "give at most one query (quote
// names with spaces)"; "--as_of: ..."; "--type: unknown type \"T\"
// (management_system, service or product)" (any case); "--status: ..." for
// a name ParseCertificateStatus does not know.
absl::StatusOr<v1::SearchCertificatesRequest> SearchRequest(
    const std::vector<std::string>& args, const SearchFlags& flags);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_REQUESTS_H_
