#ifndef CERTREG_TOOLS_LOADGEN_CHANNELS_H_
#define CERTREG_TOOLS_LOADGEN_CHANNELS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "certreg/v1/verifier.grpc.pb.h"

namespace certreg::loadgen {

// One gRPC channel (TCP connection) to each server, as stubs. The verifier's
// is null when the run does not call it.
struct Channel {
  std::unique_ptr<v1::RegistryService::Stub> registry;
  std::unique_ptr<v1::VerifierService::Stub> verifier;
};

// `count` channels, each its own connection (no subchannel shared between
// them, messages up to 64 MiB), to `registry` and, unless `verifier` is
// empty, to `verifier`; each connected before this returns, so that the
// clock of a run does not count connecting. UNAVAILABLE "--registry: cannot
// connect ..." (or --verifier) when a server does not accept a connection
// within 5 s.
absl::StatusOr<std::vector<Channel>> ConnectChannels(
    const std::string& registry, const std::string& verifier, int count);

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_CHANNELS_H_
