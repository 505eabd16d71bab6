#ifndef CERTREG_VERIFIER_GRPC_GRPC_SERVING_H_
#define CERTREG_VERIFIER_GRPC_GRPC_SERVING_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/server.h"
#include "verifier/grpc/connection_cap.h"
#include "verifier/grpc/server_observability.h"
#include "verifier/grpc/server_tls.h"
#include "verifier/grpc/stop_request.h"

namespace certreg {

// What every certreg server process shares: how a gRPC server is started
// and how the process waits for SIGINT/SIGTERM.

// How a server lets go of client connections it no longer needs. A client
// whose machine or network vanished sends no FIN, so without pings its
// connection and streams (a LookupCertificates stream, say) would stay open
// until gRPC's default keepalive (two hours) noticed.
struct ConnectionLiveness {
  // A connection is pinged this often (HTTP/2 PING, calls or not)...
  absl::Duration keepalive = absl::Seconds(60);
  // ...and closed, its calls cancelled, when a ping is not answered within
  // this long.
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // A connection without a call in progress for this long is closed with
  // GOAWAY; its client reconnects on its next call. Zero: never.
  absl::Duration max_idle = absl::Minutes(10);
  // A connection this old is sent GOAWAY (its client reconnects for new
  // calls) and, after max_age_grace more, closed with whatever calls it
  // still carries: the server-side bound on how long any call or stream
  // lives. Zero: never.
  absl::Duration max_age = absl::Hours(1);
  absl::Duration max_age_grace = absl::Minutes(1);
};

// How long a stopping server lets running calls finish before cancelling
// them. gRPC waits this long whenever any client holds a connection, idle or
// not, so it is also how long a stop takes; calls here take milliseconds.
inline constexpr absl::Duration kShutdownGrace = absl::Milliseconds(800);

struct GrpcServerOptions {
  // host:port (port 0 picks a free port) or unix:PATH (a unix socket).
  std::string listen_address;
  int max_request_bytes = 4 << 20;
  // Most calls (streams included) in progress at once on one client
  // connection, announced to the client as HTTP/2's
  // SETTINGS_MAX_CONCURRENT_STREAMS: a client's further calls wait on its
  // side for one to end. It bounds the memory a flood of requests on one
  // connection can take in the server. At least 1.
  int max_streams_per_connection = 100;
  ConnectionLiveness liveness;
  // Permissions of a unix socket (listen_address unix:PATH): only its owner
  // may connect unless widened here.
  int unix_socket_mode = 0700;
  // TLS on listen_address (server_tls.h); none: plaintext.
  std::optional<ServerTlsFiles> tls;
  // Plaintext on a listen_address other machines can reach is refused
  // unless this is set (a proxy in front terminates TLS, say).
  bool allow_insecure_listen = false;
  // Counts every call and writes the access log (must outlive the server);
  // none when null.
  ServerObservability* observability = nullptr;
  // The cap on client connections open at once (none by default here; the
  // servers' flags set one). A max_connections of -1 is worked out from the
  // open-file limit at the start (AutomaticMaxConnections).
  ConnectionCapOptions connection_cap;
  // Header fields (name, value) added to every answer's initial metadata,
  // asked for each call (a replica's role and applied index, say); none when
  // empty.
  using ResponseMetadata =
      std::function<std::vector<std::pair<std::string, std::string>>()>;
  ResponseMetadata response_metadata;
  // Full names of the services health checking answers SERVING for (e.g.
  // "certreg.v1.RegistryService"), besides the server as a whole ("").
  std::vector<std::string> health_service_names;
};

struct StartedServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  std::string address;  // host:port actually bound, or unix:PATH
  // The connection cap in force (null when none).
  std::shared_ptr<ConnectionCap> connection_cap;
};

// Starts a server with `services`, gRPC health checking and server
// reflection, refusing to share its port (no SO_REUSEPORT). INVALID_ARGUMENT
// for a malformed address, a limit below 1, a connection cap out of range, a
// keepalive or keepalive timeout under a second, a negative max_idle, unusable
// TLS files, or plaintext where other machines can reach it (unless allowed);
// UNAVAILABLE when it cannot be bound.
absl::StatusOr<StartedServer> StartGrpcServer(
    const GrpcServerOptions& options,
    const std::vector<grpc::Service*>& services);

// Raises this process's soft limit on open files to its hard limit, so that
// a burst of connections does not run the listener out of descriptors at
// systemd's default soft limit of 1,024. Returns a line saying what it did
// (or why it could not), for the server's log.
std::string RaiseOpenFileLimit();

// Parses the command line of a server whose flags are defined in the file
// `main_file` (e.g. "registry_main.cc") and in connection_flags.cc, so that
// --help lists them; returns the positional arguments.
std::vector<char*> ParseServerFlags(int argc, char** argv,
                                    absl::string_view usage,
                                    absl::string_view main_file);

// True when `peer` (grpc::ServerContextBase::peer(), e.g.
// "ipv4:127.0.0.1:5123", "ipv6:[::1]:5123", "unix:/run/x.sock") is on this
// machine: the loopback range or a unix socket.
bool IsLocalPeer(absl::string_view peer);

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and the threads it
// starts afterwards: call first thing in main().
void BlockTerminationSignals();

// Waits for SIGINT or SIGTERM (blocked by BlockTerminationSignals; SIGHUP
// is logged and waited past: TLS files reload by themselves), or for
// a stop asked for with RequestStop (stop_request.h: a dead listener, say),
// and returns why.
StopRequest WaitForStopRequest();

// Replaces this stopped server process with a fresh run of its own binary
// with `argv` (main's), descriptors other than 0-2 closed. Returns only if
// it could not, with why.
std::string RestartStoppedServer(char** argv);

// Ends a server process whose servers are stopped and whose files are closed,
// with `code`, without running static destructors: gRPC's global shutdown
// waits up to two seconds for its background threads, for nothing.
[[noreturn]] void ExitStoppedServer(int code);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_GRPC_SERVING_H_
