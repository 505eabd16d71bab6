#ifndef CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_
#define CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "verifier/grpc/grpc_serving.h"

ABSL_DECLARE_FLAG(int, max_streams_per_connection);
ABSL_DECLARE_FLAG(int, keepalive_seconds);
ABSL_DECLARE_FLAG(int, keepalive_timeout_seconds);
ABSL_DECLARE_FLAG(int, max_connection_idle_seconds);

namespace certreg {

// The command-line flags both servers (certreg-registry, certreg-verifier)
// share for their client connections: --max_streams_per_connection,
// --keepalive_seconds, --keepalive_timeout_seconds and
// --max_connection_idle_seconds. ParseServerFlags lists them in --help.

// GrpcServerOptions with those flags' values (listen_address and
// max_request_bytes left at their defaults); INVALID_ARGUMENT naming the flag
// when one is out of range.
absl::StatusOr<GrpcServerOptions> ConnectionOptionsFromFlags();

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_
