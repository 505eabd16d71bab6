#include "tools/loadgen/channels.h"

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"

namespace certreg::loadgen {
namespace {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           int index) {
  grpc::ChannelArguments args;
  // A connection per channel: no subchannel sharing between them.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("certreg.loadgen.channel", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

absl::Status Connect(const std::shared_ptr<grpc::Channel>& channel,
                     absl::string_view flag, const std::string& address) {
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(5))) {
    return absl::UnavailableError(
        absl::StrCat("--", flag, ": cannot connect to ", address,
                     " within 5 s (is the server running?)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Channel>> ConnectChannels(
    const std::string& registry, const std::string& verifier, int count) {
  std::vector<Channel> channels(count);
  for (int i = 0; i < count; ++i) {
    std::shared_ptr<grpc::Channel> r = MakeChannel(registry, i);
    if (absl::Status s = Connect(r, "registry", registry); !s.ok()) return s;
    channels[i].registry = v1::RegistryService::NewStub(r);
    if (verifier.empty()) continue;
    std::shared_ptr<grpc::Channel> v = MakeChannel(verifier, i);
    if (absl::Status s = Connect(v, "verifier", verifier); !s.ok()) return s;
    channels[i].verifier = v1::VerifierService::NewStub(v);
  }
  return channels;
}

}  // namespace certreg::loadgen
