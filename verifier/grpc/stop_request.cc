#include "verifier/grpc/stop_request.h"

#include <signal.h>
#include <unistd.h>

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace certreg {
namespace {

absl::Mutex requested_mu(absl::kConstInit);
std::optional<StopRequest>& Requested()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(requested_mu) {
  static auto* requested = new std::optional<StopRequest>();
  return *requested;
}

}  // namespace

void RequestStop(StopRequest request) {
  {
    absl::MutexLock lock(&requested_mu);
    if (Requested().has_value()) return;
    Requested() = std::move(request);
  }
  kill(getpid(), SIGTERM);
}

std::optional<StopRequest> RequestedStop() {
  absl::MutexLock lock(&requested_mu);
  return Requested();
}

}  // namespace certreg
