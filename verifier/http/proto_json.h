#ifndef CERTREG_VERIFIER_HTTP_PROTO_JSON_H_
#define CERTREG_VERIFIER_HTTP_PROTO_JSON_H_

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "verifier/http/http_message.h"
#include "verifier/http/query_params.h"

namespace certreg {

// Protobuf messages over HTTP in the proto3 JSON mapping, with protobuf's
// own JsonFormat (util/json_util.h): field names in lowerCamelCase, 64-bit
// integers as strings, bytes as base64, enums by name.

inline constexpr absl::string_view kJsonType = "application/json";

// `message` as JSON, with HTTP status `status`.
HttpResponse JsonResponse(const google::protobuf::Message& message,
                          int status = 200);

// An error as Google's JSON APIs send it (AIP-193):
//   {"error": {"code": 404, "message": "...", "status": "NOT_FOUND"}}
// with the HTTP status HttpStatusOf(status.code()) and the message the gRPC
// answer would carry.
HttpResponse JsonError(const absl::Status& status);

// Parses a request body into `message`. INVALID_ARGUMENT starting "body: "
// and naming the problem (malformed JSON, an unknown field, a wrong type).
absl::Status ParseJsonBody(absl::string_view body,
                           google::protobuf::Message* message);

// Parsers for message-typed fields given as one query parameter, by the
// message's full name (e.g. a date "2026-03-01" into certreg.v1.Date).
using QueryMessageParsers = absl::flat_hash_map<
    std::string,
    std::function<absl::Status(absl::string_view, google::protobuf::Message*)>>;

// Sets `message`'s fields from query parameters the way Google's HTTP/JSON
// transcoding does: each parameter names a top-level field (its proto name
// or JSON name); scalars from their text, enums by name or number, repeated
// fields by repeating the parameter, message fields through `parsers`.
// INVALID_ARGUMENT naming the parameter for an unknown name or a bad value.
absl::Status QueryToMessage(const QueryParams& params,
                            const QueryMessageParsers& parsers,
                            google::protobuf::Message* message);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_PROTO_JSON_H_
