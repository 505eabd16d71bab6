#ifndef CERTREG_VERIFIER_GRPC_STOP_REQUEST_H_
#define CERTREG_VERIFIER_GRPC_STOP_REQUEST_H_

#include <optional>
#include <string>

namespace certreg {

// Why a server process stops, how it exits, and whether it starts itself
// afresh (the same command line) once stopped.
struct StopRequest {
  std::string why;  // "received SIGTERM", or what happened
  int exit_code = 0;
  bool restart = false;
};

// Asks the server process to stop, from any thread: records `request` (the
// first one asked for wins) and sends the process SIGTERM, which the main
// thread's WaitForStopRequest (grpc_serving.h) receives.
void RequestStop(StopRequest request);

// The stop asked for with RequestStop, if any.
std::optional<StopRequest> RequestedStop();

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_STOP_REQUEST_H_
