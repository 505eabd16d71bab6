#include "registry/grpc_serving.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(IsLocalPeerTest, LoopbackAndUnixSocketsAreLocal) {
  EXPECT_TRUE(IsLocalPeer("ipv4:127.0.0.1:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv4:127.3.2.1:1"));
  EXPECT_TRUE(IsLocalPeer("ipv6:[::1]:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv6:%5B::1%5D:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv6:[::ffff:127.0.0.1]:50123"));
  EXPECT_TRUE(IsLocalPeer("unix:/run/certreg.sock"));
}

TEST(IsLocalPeerTest, OtherAddressesAreNot) {
  EXPECT_FALSE(IsLocalPeer("ipv4:10.0.0.7:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv4:1.27.0.0:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv6:[2001:db8::1]:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv6:[::ffff:10.0.0.1]:50123"));
  EXPECT_FALSE(IsLocalPeer(""));
}

TEST(StartGrpcServerTest, ServesOnAUnixSocket) {
  // A socket path has at most 107 bytes: too few for the test's TMPDIR.
  char dir[] = "/tmp/certreg-socket-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/certreg.sock";
  absl::StatusOr<StartedServer> started = StartGrpcServer({"unix:" + path}, {});
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->address, "unix:" + path);
  EXPECT_TRUE(std::filesystem::is_socket(path));
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(started->address, grpc::InsecureChannelCredentials());
  EXPECT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() +
                                        std::chrono::seconds(10)));
  started->server->Shutdown();
  std::filesystem::remove_all(dir);
}

TEST(StartGrpcServerTest, NamesAMalformedAddress) {
  const std::string too_long = "unix:/tmp/" + std::string(120, 'x');
  for (const std::string& address : std::vector<std::string>{
           "50051", ":50051", "unix:", "unix://", too_long}) {
    absl::StatusOr<StartedServer> started = StartGrpcServer({address}, {});
    EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument)
        << address;
    EXPECT_TRUE(absl::StrContains(started.status().message(), address))
        << started.status();
  }
}

TEST(StartGrpcServerTest, CallsPastTheLimitWaitOnTheirConnection) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.max_streams_per_connection = 2;
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  // Each channel its own connection (channels with the same arguments would
  // share one).
  auto connect = [&] {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
        started->address, grpc::InsecureChannelCredentials(), args));
  };
  auto check = [](grpc::health::v1::Health::Stub& stub) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(500));
    grpc::health::v1::HealthCheckResponse response;
    return stub
        .Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
        .error_code();
  };
  auto busy = connect();
  ASSERT_EQ(check(*busy), grpc::StatusCode::OK);  // settings exchanged

  // Two Watch streams stay open: the connection's limit.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<
      grpc::ClientReader<grpc::health::v1::HealthCheckResponse>>>
      watches;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    watches.push_back(busy->Watch(contexts.back().get(),
                                  grpc::health::v1::HealthCheckRequest()));
    grpc::health::v1::HealthCheckResponse first;
    ASSERT_TRUE(watches.back()->Read(&first));
  }
  // A third call on that connection waits for one to end; another
  // connection is not held back.
  EXPECT_EQ(check(*busy), grpc::StatusCode::DEADLINE_EXCEEDED);
  auto other = connect();
  EXPECT_EQ(check(*other), grpc::StatusCode::OK);
  contexts[0]->TryCancel();
  EXPECT_EQ(watches[0]->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(check(*busy), grpc::StatusCode::OK);

  contexts[1]->TryCancel();
  watches[1]->Finish();
  started->server->Shutdown();
}

TEST(StartGrpcServerTest, RefusesAStreamLimitBelowOne) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.max_streams_per_connection = 0;
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(started.status().message(),
                                "max_streams_per_connection"))
      << started.status();
}

}  // namespace
}  // namespace certreg
