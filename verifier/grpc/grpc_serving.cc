#include "verifier/grpc/grpc_serving.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "verifier/base/status_macros.h"
#include "verifier/grpc/listener_watch.h"
#include "verifier/grpc/request_parse_errors.h"
#include "verifier/grpc/server_tls.h"

namespace certreg {
namespace {

// gRPC takes durations as int milliseconds.
int Milliseconds(absl::Duration duration) {
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Milliseconds(duration), INT_MAX));
}

// INVALID_ARGUMENT, naming the field, for a keepalive or keepalive timeout
// under a second or a negative max_idle.
absl::Status CheckConnectionLiveness(const ConnectionLiveness& liveness) {
  if (liveness.keepalive < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("keepalive: ", absl::FormatDuration(liveness.keepalive),
                     " is under a second"));
  }
  if (liveness.keepalive_timeout < absl::Seconds(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "keepalive_timeout: ", absl::FormatDuration(liveness.keepalive_timeout),
        " is under a second"));
  }
  if (liveness.max_age < absl::ZeroDuration() ||
      liveness.max_age_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "max_age, max_age_grace: negative (zero: never)");
  }
  if (liveness.max_idle < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_idle: ", absl::FormatDuration(liveness.max_idle),
                     " is negative (zero: never)"));
  }
  return absl::OkStatus();
}

// The path of a unix:PATH (or unix:///PATH) address; empty for host:port.
std::string UnixSocketPath(absl::string_view address) {
  if (absl::StartsWith(address, "unix://")) {
    return std::string(address.substr(7));
  }
  if (absl::StartsWith(address, "unix:")) {
    return std::string(address.substr(5));
  }
  return "";
}

// INVALID_ARGUMENT, naming the field, for a malformed address or limit, or
// a listener other machines reach without TLS (unless allowed).
absl::Status CheckServingOptions(const GrpcServerOptions& options) {
  const std::string& address = options.listen_address;
  const bool unix_socket = absl::StartsWith(address, "unix:");
  const size_t colon = address.rfind(':');
  if (unix_socket ? UnixSocketPath(address).empty()
                  : colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen: \"", address, "\" is not of the form host:port or unix:PATH"));
  }
  const size_t path_bytes = UnixSocketPath(address).size();
  if (path_bytes >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen: the unix socket path of \"", address, "\" is ", path_bytes,
        " bytes long; the limit is ", sizeof(sockaddr_un::sun_path) - 1));
  }
  if (!options.tls.has_value() && !options.allow_insecure_listen &&
      !IsLocalListenAddress(address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen: ", address,
        " can be reached from other machines, and plaintext would carry "
        "every request in clear: serve it with TLS (--tls_cert_file and "
        "--tls_key_file), or give --allow_insecure_listen (behind a proxy "
        "that terminates TLS, say)"));
  }
  if (options.tls.has_value()) {
    if (absl::Status files = CheckServerTlsFiles(*options.tls); !files.ok()) {
      return files;
    }
  }
  if (options.max_streams_per_connection < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_streams_per_connection: ", options.max_streams_per_connection,
        " is below 1; a connection needs at least one call"));
  }
  return CheckConnectionLiveness(options.liveness);
}

// Adds `fields()` to the initial metadata of every answer.
class ResponseMetadataInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ResponseMetadataInterceptor(
      const GrpcServerOptions::ResponseMetadata* fields)
      : fields_(*fields) {}
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      for (auto& [name, value] : fields_()) {
        methods->GetSendInitialMetadata()->emplace(name, value);
      }
    }
    methods->Proceed();
  }

 private:
  const GrpcServerOptions::ResponseMetadata& fields_;
};

class ResponseMetadataFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ResponseMetadataFactory(GrpcServerOptions::ResponseMetadata fields)
      : fields_(std::move(fields)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new ResponseMetadataInterceptor(&fields_);
  }

 private:
  const GrpcServerOptions::ResponseMetadata fields_;
};

// `cap` with an automatic max_connections (-1) worked out from the
// open-file limit now, its reserve at most a quarter of it.
ConnectionCapOptions ResolveConnectionCap(ConnectionCapOptions cap) {
  if (cap.max_connections != -1) return cap;
  rlimit limit = {};
  getrlimit(RLIMIT_NOFILE, &limit);
  cap.max_connections = AutomaticMaxConnections(limit.rlim_cur);
  cap.reserve = std::min(cap.reserve, cap.max_connections / 4);
  return cap;
}

// The builder's channel arguments: no shared port, the stream limit, the
// liveness settings.
void SetChannelArguments(const GrpcServerOptions& options,
                         grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  // gRPC sets SO_REUSEPORT by default, which would let a second server bind
  // the same port silently and share its traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_streams_per_connection);
  const ConnectionLiveness& liveness = options.liveness;
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             Milliseconds(liveness.keepalive));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Milliseconds(liveness.keepalive_timeout));
  // Ping connections without calls too: a vanished client's idle connection.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  if (liveness.max_idle > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                               Milliseconds(liveness.max_idle));
  }
  if (liveness.max_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               Milliseconds(liveness.max_age));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               Milliseconds(liveness.max_age_grace));
  }
}

}  // namespace

absl::StatusOr<StartedServer> StartGrpcServer(
    const GrpcServerOptions& options,
    const std::vector<grpc::Service*>& services) {
  if (absl::Status checked = CheckServingOptions(options); !checked.ok()) {
    return checked;
  }
  std::shared_ptr<ConnectionCap> cap;
  if (options.connection_cap.max_connections != 0) {
    CERTREG_ASSIGN_OR_RETURN(
        cap,
        ConnectionCap::Create(ResolveConnectionCap(options.connection_cap)));
  }
  const std::string& address = options.listen_address;
  WatchForDeadListener();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  StartedServer started;
  builder.AddListeningPort(address,
                           options.tls.has_value()
                               ? NewServerTlsCredentials(*options.tls)
                               : grpc::InsecureServerCredentials(),
                           &started.port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  // A request that does not parse is INVALID_ARGUMENT, not UNIMPLEMENTED.
  CaptureProtobufParseErrors();
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewRequestParseErrorInterceptorFactory());
  if (options.observability != nullptr) {
    interceptors.push_back(options.observability->NewInterceptorFactory());
  }
  if (options.response_metadata) {
    interceptors.push_back(
        std::make_unique<ResponseMetadataFactory>(options.response_metadata));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  SetChannelArguments(options, builder);
  if (cap != nullptr) {
    ConnectionCap::Install(cap, builder);
    if (options.observability != nullptr) {
      options.observability->AddConnectionCap(cap);
    }
  }
  // Sockets are created with the permissions the umask leaves; none for
  // others until they are narrowed to unix_socket_mode just after.
  const mode_t umask_before = ::umask(077);
  started.server = builder.BuildAndStart();
  ::umask(umask_before);
  if (started.server == nullptr || started.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address,
                     " (address in use or not available on this machine)"));
  }
  const size_t colon = address.rfind(':');
  started.address =
      !UnixSocketPath(address).empty()
          ? address
          : absl::StrCat(address.substr(0, colon), ":", started.port);
  const std::string path = UnixSocketPath(address);
  if (!path.empty() && ::chmod(path.c_str(), options.unix_socket_mode) != 0) {
    started.server->Shutdown();
    return absl::UnavailableError(absl::StrCat(
        "cannot set the permissions of ", path, ": ", std::strerror(errno)));
  }
  started.connection_cap = std::move(cap);
  grpc::HealthCheckServiceInterface* health =
      started.server->GetHealthCheckService();
  for (const std::string& name : options.health_service_names) {
    health->SetServingStatus(name, true);
  }
  return started;
}

std::string RaiseOpenFileLimit() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return absl::StrCat("cannot read the open-file limit: ",
                        std::strerror(errno));
  }
  const rlim_t before = limit.rlim_cur;
  if (limit.rlim_cur == limit.rlim_max) {
    return absl::StrCat("open-file limit ", before, " (the hard limit)");
  }
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return absl::StrCat("open-file limit ", before,
                        ", could not raise it: ", std::strerror(errno));
  }
  return absl::StrCat("open-file limit raised from ", before, " to ",
                      limit.rlim_cur, " (the hard limit)");
}

bool IsLocalPeer(absl::string_view peer) {
  return absl::StartsWith(peer, "ipv4:127.") ||
         absl::StartsWith(peer, "ipv6:[::1]:") ||
         absl::StartsWith(peer, "ipv6:%5B::1%5D:") ||
         absl::StartsWith(peer, "ipv6:[::ffff:127.") ||
         absl::StartsWith(peer, "unix:");
}

std::vector<char*> ParseServerFlags(int argc, char** argv,
                                    absl::string_view usage,
                                    absl::string_view main_file) {
  absl::SetProgramUsageMessage(usage);
  // absl lists the flags of a file named like the binary by default.
  absl::FlagsUsageConfig config;
  std::string file(main_file);
  config.contains_help_flags = [file](absl::string_view path) {
    return absl::EndsWith(path, file) ||
           absl::EndsWith(path, "verifier/grpc/connection_flags.cc");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  // Debian's abseil is built with deadlock detection on: every absl::Mutex
  // (gRPC's included) would update a lock graph on each acquisition, a few
  // per cent of a lookup's CPU. The tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return absl::ParseCommandLine(argc, argv);
}

namespace {
sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

StopRequest WaitForStopRequest() {
  sigset_t signals = TerminationSignals();
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  // SIGHUP is "reload" to operators (systemctl reload); the TLS files are
  // re-read every second already, so it stops nothing.
  while (signal_number == SIGHUP) {
    std::cerr << program_invocation_short_name
              << ": received SIGHUP: the TLS certificate and key are re-read "
                 "within a second of changing; nothing else to reload"
              << std::endl;
    sigwait(&signals, &signal_number);
  }
  if (std::optional<StopRequest> requested = RequestedStop()) {
    return *std::move(requested);
  }
  return {signal_number == SIGINT ? "received SIGINT" : "received SIGTERM"};
}

std::string RestartStoppedServer(char** argv) {
  std::cout.flush();
  std::cerr.flush();
  // gRPC's and RocksDB's descriptors are closed with their owners or marked
  // close-on-exec; this catches any that are not (a listening socket left
  // open would keep the port from the new run).
  for (int fd = 3; fd < 65536; ++fd) {
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
  ::execv("/proc/self/exe", argv);
  return absl::StrCat("cannot restart: ", std::strerror(errno));
}

void ExitStoppedServer(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(code);
}

}  // namespace certreg
