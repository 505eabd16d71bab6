#include "verifier/grpc/connection_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(int, max_streams_per_connection,
          certreg::GrpcServerOptions().max_streams_per_connection,
          "Most calls (streams included) in progress at once on one client "
          "connection; a client's further calls wait on its side until one "
          "ends. Bounds the memory a flood of requests can take in the "
          "server.");
ABSL_FLAG(int, keepalive_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().keepalive),
          "Every client connection is pinged this often (HTTP/2 PING), so "
          "that the connections and calls of clients that vanished without "
          "closing them are let go. At least 1.");
ABSL_FLAG(int, keepalive_timeout_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().keepalive_timeout),
          "A connection whose client has not answered a ping within this "
          "long is closed and its calls cancelled. At least 1.");
ABSL_FLAG(int, max_connection_idle_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().max_idle),
          "A connection without a call in progress for this long is closed "
          "(HTTP/2 GOAWAY); its client reconnects on its next call. 0: "
          "never.");

namespace certreg {

absl::StatusOr<GrpcServerOptions> ConnectionOptionsFromFlags() {
  GrpcServerOptions options;
  options.max_streams_per_connection =
      absl::GetFlag(FLAGS_max_streams_per_connection);
  if (options.max_streams_per_connection < 1) {
    return absl::InvalidArgumentError(
        "--max_streams_per_connection must be at least 1");
  }
  struct Seconds {
    const char* flag;
    int value;
    int minimum;
    absl::Duration* into;
  };
  ConnectionLiveness& liveness = options.liveness;
  for (const Seconds& seconds : {
           Seconds{"keepalive_seconds", absl::GetFlag(FLAGS_keepalive_seconds),
                   1, &liveness.keepalive},
           Seconds{"keepalive_timeout_seconds",
                   absl::GetFlag(FLAGS_keepalive_timeout_seconds), 1,
                   &liveness.keepalive_timeout},
           Seconds{"max_connection_idle_seconds",
                   absl::GetFlag(FLAGS_max_connection_idle_seconds), 0,
                   &liveness.max_idle},
       }) {
    if (seconds.value < seconds.minimum) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", seconds.flag, " must be at least ", seconds.minimum));
    }
    *seconds.into = absl::Seconds(seconds.value);
  }
  return options;
}

}  // namespace certreg
