#ifndef CERTREG_VERIFIER_GRPC_LISTENER_WATCH_H_
#define CERTREG_VERIFIER_GRPC_LISTENER_WATCH_H_

#include "absl/strings/string_view.h"

namespace certreg {

// A listener that died. gRPC (1.51) stops accepting on a listening socket for
// good after one accept() fails with anything but EAGAIN or ECONNABORTED --
// EMFILE ("Too many open files") under a connection flood, say -- and only
// logs "Failed accept4". The process would go on running, healthy to its
// supervisor, serving no new client ever. The watch turns that log line
// into a stop: the server exits with kListenerDiedExitCode and its
// supervisor starts it afresh.

// EX_TEMPFAIL: a temporary failure, worth a restart.
inline constexpr int kListenerDiedExitCode = 75;

// Installs a gRPC log function that prints gRPC's log lines to stderr and,
// on a failed accept, asks the process to stop (stop_request.h) with
// kListenerDiedExitCode. Idempotent.
void WatchForDeadListener();

// Whether gRPC's log line `message` says that a listener stopped accepting.
bool IsDeadListenerMessage(absl::string_view message);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_LISTENER_WATCH_H_
