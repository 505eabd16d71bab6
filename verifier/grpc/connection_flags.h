#ifndef CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_
#define CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "verifier/grpc/call_quota.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/server_observability.h"

ABSL_DECLARE_FLAG(int, max_streams_per_connection);
ABSL_DECLARE_FLAG(int, keepalive_seconds);
ABSL_DECLARE_FLAG(int, keepalive_timeout_seconds);
ABSL_DECLARE_FLAG(int, max_connection_idle_seconds);
ABSL_DECLARE_FLAG(int, max_connection_age_seconds);
ABSL_DECLARE_FLAG(int, max_connections);
ABSL_DECLARE_FLAG(int, connection_reserve);
ABSL_DECLARE_FLAG(std::string, connection_reserve_sources);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(bool, allow_insecure_listen);
ABSL_DECLARE_FLAG(std::string, access_log);
ABSL_DECLARE_FLAG(double, access_log_sample);

namespace certreg {

// The command-line flags both servers (certreg-registry, certreg-verifier)
// share for their client connections: --max_streams_per_connection,
// --keepalive_seconds, --keepalive_timeout_seconds,
// --max_connection_idle_seconds, the connection cap: --max_connections,
// --connection_reserve, --connection_reserve_sources, and TLS: --tls_cert_file,
// --tls_key_file,
// --tls_client_ca_file, --allow_insecure_listen. ParseServerFlags lists
// them in --help.

// GrpcServerOptions with those flags' values (listen_address and
// max_request_bytes left at their defaults); INVALID_ARGUMENT naming the flag
// when one is out of range or --tls_client_ca_file comes without a
// certificate (the files themselves are checked by StartGrpcServer).
absl::StatusOr<GrpcServerOptions> ConnectionOptionsFromFlags();

// The quota flags (--quota_*_per_second, --max_concurrent_reads,
// --quota_local_clients, --api_keys_file).
QuotaOptions QuotaFromFlags();

// The access log flags (--access_log, --access_log_sample) with the
// server's own `metrics_listen`.
ObservabilityOptions ObservabilityFromFlags(const std::string& metrics_listen);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CONNECTION_FLAGS_H_
