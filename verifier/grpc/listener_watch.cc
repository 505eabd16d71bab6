#include "verifier/grpc/listener_watch.h"

#include <cstdio>

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/support/log.h"
#include "verifier/grpc/stop_request.h"

namespace certreg {
namespace {

void LogGrpc(gpr_log_func_args* args) {
  std::fprintf(stderr, "[grpc %s %s:%d] %s\n",
               gpr_log_severity_string(args->severity), args->file, args->line,
               args->message);
  std::fflush(stderr);
  if (!IsDeadListenerMessage(args->message)) return;
  RequestStop({absl::StrCat("the listener stopped accepting connections (",
                            args->message, "); exiting with status ",
                            kListenerDiedExitCode,
                            " for a supervisor to restart this server"),
               kListenerDiedExitCode});
}

}  // namespace

void WatchForDeadListener() {
  static absl::once_flag once;
  absl::call_once(once, [] { gpr_set_log_function(&LogGrpc); });
}

bool IsDeadListenerMessage(absl::string_view message) {
  // "Failed accept4: Too many open files" (tcp_server_posix.cc).
  return absl::StartsWith(message, "Failed accept");
}

}  // namespace certreg
