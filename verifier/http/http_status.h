#ifndef CERTREG_VERIFIER_HTTP_HTTP_STATUS_H_
#define CERTREG_VERIFIER_HTTP_HTTP_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certreg {

// The HTTP status for a status code, as Google's API design maps gRPC codes
// (google.rpc.Code): OK 200, INVALID_ARGUMENT / FAILED_PRECONDITION /
// OUT_OF_RANGE 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND
// 404, ABORTED / ALREADY_EXISTS 409, RESOURCE_EXHAUSTED 429, CANCELLED 499,
// UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, and UNKNOWN /
// INTERNAL / DATA_LOSS 500. The one conversion for HTTP.
int HttpStatusOf(absl::StatusCode code);

// The code's name as google.rpc.Code spells it, e.g. "NOT_FOUND".
absl::string_view CodeName(absl::StatusCode code);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_HTTP_STATUS_H_
