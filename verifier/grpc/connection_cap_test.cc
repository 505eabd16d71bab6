#include "verifier/grpc/connection_cap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/create_channel_posix.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/loopback_testing.h"

namespace certreg {
namespace {

TEST(ParseIpNetworkTest, AddressesAndPrefixes) {
  absl::StatusOr<IpNetwork> v4 = ParseIpNetwork("10.1.0.0/16");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(v4->prefix_bits, 16);
  absl::StatusOr<IpNetwork> one = ParseIpNetwork("::1");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->family, AF_INET6);
  EXPECT_EQ(one->prefix_bits, 128);
  for (const char* bad : {"", "localhost", "10.0.0.0/33", "::1/129",
                          "10.0.0.0/", "10.0.0.0/x", "1.2.3"}) {
    absl::StatusOr<IpNetwork> parsed = ParseIpNetwork(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(ConnectionCapTest, RefusesAReserveThatLeavesNothingAndBadSources) {
  EXPECT_EQ(ConnectionCap::Create({4, 4, {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConnectionCap::Create({-1, 0, {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status bad_source =
      ConnectionCap::Create({10, 1, {"10.0.0.0/8", "nowhere"}}).status();
  EXPECT_EQ(bad_source.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_source.message().find("connection_reserve_sources"),
            std::string::npos)
      << bad_source;
  EXPECT_TRUE(ConnectionCap::Create({10, 2, {"10.0.0.0/8"}}).ok());
}

TEST(ConnectionCapTest, AutomaticCapLeavesRoomForTheProcessFiles) {
  EXPECT_EQ(AutomaticMaxConnections(160), 80);
  EXPECT_EQ(AutomaticMaxConnections(1024), 512);
  EXPECT_EQ(AutomaticMaxConnections(65536), 64512);
  EXPECT_EQ(AutomaticMaxConnections(1), 1);
}

// Whether the server closed `fd` within `timeout` (a read sees the end).
bool ClosedByServer(int fd, absl::Duration timeout) {
  pollfd wait = {fd, POLLIN, 0};
  if (poll(&wait, 1, absl::ToInt64Milliseconds(timeout)) != 1) return false;
  char byte;
  return recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

// Waits until `cap` counts `count` connections (or fewer, with
// `or_fewer`); false after 5 s.
bool WaitForOpen(ConnectionCap& cap, int count, bool or_fewer = false) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  for (int open = cap.OpenConnections();
       or_fewer ? open > count : open != count; open = cap.OpenConnections()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// A real server capped at 8 connections, 2 of them kept for 127.0.0.2:
// idle connections from 127.0.0.1 fill the rest, the next one is closed at
// once, the reserved source still gets a health check through, and once
// the idle ones go, 127.0.0.1 is served again.
TEST(ConnectionCapTest, ServerRefusesOverTheCapAndKeepsTheReserve) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.connection_cap = {8, 2, {"127.0.0.2"}};
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  ConnectionCap& cap = *started->connection_cap;

  std::vector<int> idle;
  for (int i = 0; i < 6; ++i) {
    const int fd = ConnectFrom("127.0.0.1", started->port);
    ASSERT_GE(fd, 0);
    idle.push_back(fd);
  }
  ASSERT_TRUE(WaitForOpen(cap, 6));
  for (int fd : idle) EXPECT_FALSE(ClosedByServer(fd, absl::ZeroDuration()));

  const int over = ConnectFrom("127.0.0.1", started->port);
  ASSERT_GE(over, 0);
  EXPECT_TRUE(ClosedByServer(over, absl::Seconds(5)));
  close(over);
  EXPECT_EQ(cap.refused(), 1u);

  const int reserved = ConnectFrom("127.0.0.2", started->port);
  ASSERT_GE(reserved, 0);
  EXPECT_TRUE(
      HealthServing(grpc::CreateInsecureChannelFromFd("reserved", reserved)));

  for (int fd : idle) close(fd);
  // The reserved client's channel is gone too, or going.
  ASSERT_TRUE(WaitForOpen(cap, 1, /*or_fewer=*/true));
  EXPECT_TRUE(HealthServing(grpc::CreateChannel(
      started->address, grpc::InsecureChannelCredentials())));
  started->server->Shutdown();
}

}  // namespace
}  // namespace certreg
