#include "verifier/grpc/listener_watch.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/support/log.h"

namespace certreg {
namespace {

absl::Mutex failure_mu;
std::optional<std::string>& Failure()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(failure_mu) {
  static auto* failure = new std::optional<std::string>();
  return *failure;
}

void LogGrpc(gpr_log_func_args* args) {
  std::fprintf(stderr, "[grpc %s %s:%d] %s\n",
               gpr_log_severity_string(args->severity), args->file, args->line,
               args->message);
  std::fflush(stderr);
  if (!IsDeadListenerMessage(args->message)) return;
  {
    absl::MutexLock lock(&failure_mu);
    if (Failure().has_value()) return;
    Failure() = absl::StrCat("the listener stopped accepting connections (",
                             args->message, ")");
  }
  kill(getpid(), SIGTERM);
}

}  // namespace

void WatchForDeadListener() {
  static absl::once_flag once;
  absl::call_once(once, [] { gpr_set_log_function(&LogGrpc); });
}

std::optional<std::string> DeadListenerFailure() {
  absl::MutexLock lock(&failure_mu);
  return Failure();
}

bool IsDeadListenerMessage(absl::string_view message) {
  // "Failed accept4: Too many open files" (tcp_server_posix.cc).
  return absl::StartsWith(message, "Failed accept");
}

}  // namespace certreg
