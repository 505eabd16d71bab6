#include "registry/grpc_serving.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
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

}  // namespace
}  // namespace certreg
