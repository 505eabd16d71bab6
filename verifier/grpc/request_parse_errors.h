#ifndef CERTREG_VERIFIER_GRPC_REQUEST_PARSE_ERRORS_H_
#define CERTREG_VERIFIER_GRPC_REQUEST_PARSE_ERRORS_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace certreg {

// Requests whose bytes do not parse as the method's request message: garbage,
// or a string field that is not UTF-8. gRPC's callback API answers them with
// UNIMPLEMENTED and no message, which clients read as "this server lacks the
// method", and protobuf prints an ERROR line for each. With these installed
// the client gets INVALID_ARGUMENT naming the problem, and the server's log
// stays quiet.

// A server interceptor factory for grpc::ServerBuilder: turns the
// UNIMPLEMENTED answer to a request that did not parse into INVALID_ARGUMENT.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRequestParseErrorInterceptorFactory();

// Routes protobuf's "invalid UTF-8 when parsing" log lines to the parse
// error of the current call instead of stderr; every other protobuf log line
// is printed as before. Call once before serving.
void CaptureProtobufParseErrors();

// The INVALID_ARGUMENT message for a request to `method` that did not parse;
// `protobuf_log` is protobuf's log line about it, empty if it wrote none.
std::string RequestParseErrorMessage(absl::string_view method,
                                     absl::string_view protobuf_log);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_REQUEST_PARSE_ERRORS_H_
