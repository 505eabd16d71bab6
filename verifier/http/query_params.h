#ifndef CERTREG_VERIFIER_HTTP_QUERY_PARAMS_H_
#define CERTREG_VERIFIER_HTTP_QUERY_PARAMS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// A URL's query as (name, value) pairs, in order, percent-decoded ('+' is a
// space, as HTML forms send it). INVALID_ARGUMENT for a malformed escape or
// bytes that are not UTF-8 after decoding.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
absl::StatusOr<QueryParams> ParseQuery(absl::string_view query);

// One path segment (or a whole path) percent-decoded; '+' stays '+'.
// INVALID_ARGUMENT for a malformed escape, a NUL byte or invalid UTF-8.
absl::StatusOr<std::string> PercentDecode(absl::string_view text,
                                          bool plus_is_space = false);

// `text` percent-encoded for a path segment or query value: everything but
// unreserved characters (RFC 3986) is escaped.
std::string PercentEncode(absl::string_view text);

// The value of the first parameter called `name`, or "" when absent.
std::string ParamOf(const QueryParams& params, absl::string_view name);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_QUERY_PARAMS_H_
