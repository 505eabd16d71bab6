#include "verifier/grpc/grpc_serving.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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

// A channel on a connection of its own to `address` (channels with the same
// arguments would share one).
std::shared_ptr<grpc::Channel> OwnConnection(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

// The code a health Check on `channel` ends with, given `timeout`.
grpc::StatusCode HealthCheck(const std::shared_ptr<grpc::Channel>& channel,
                             std::chrono::milliseconds timeout) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::health::v1::HealthCheckResponse response;
  return grpc::health::v1::Health::NewStub(channel)
      ->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
      .error_code();
}

TEST(StartGrpcServerTest, ServesOnAUnixSocket) {
  // A socket path has at most 107 bytes: too few for the test's TMPDIR.
  char dir[] = "/tmp/certreg-socket-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/certreg.sock";
  GrpcServerOptions options;
  options.listen_address = "unix:" + path;
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->address, "unix:" + path);
  EXPECT_TRUE(std::filesystem::is_socket(path));
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
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
    GrpcServerOptions options;
    options.listen_address = address;
    absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
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
  auto check = [](const std::shared_ptr<grpc::Channel>& channel) {
    return HealthCheck(channel, std::chrono::milliseconds(500));
  };
  std::shared_ptr<grpc::Channel> busy = OwnConnection(started->address);
  ASSERT_EQ(check(busy), grpc::StatusCode::OK);  // settings exchanged
  auto busy_stub = grpc::health::v1::Health::NewStub(busy);

  // Two Watch streams stay open: the connection's limit.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<
      grpc::ClientReader<grpc::health::v1::HealthCheckResponse>>>
      watches;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    watches.push_back(busy_stub->Watch(contexts.back().get(),
                                       grpc::health::v1::HealthCheckRequest()));
    grpc::health::v1::HealthCheckResponse first;
    ASSERT_TRUE(watches.back()->Read(&first));
  }
  // A third call on that connection waits for one to end; another
  // connection is not held back.
  EXPECT_EQ(check(busy), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(check(OwnConnection(started->address)), grpc::StatusCode::OK);
  contexts[0]->TryCancel();
  EXPECT_EQ(watches[0]->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(check(busy), grpc::StatusCode::OK);

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

TEST(StartGrpcServerTest, RefusesLivenessSettingsOutOfRange) {
  struct Case {
    ConnectionLiveness liveness;
    std::string field;
  };
  std::vector<Case> cases(3);
  cases[0].liveness.keepalive = absl::Milliseconds(500);
  cases[0].field = "keepalive:";
  cases[1].liveness.keepalive_timeout = absl::ZeroDuration();
  cases[1].field = "keepalive_timeout:";
  cases[2].liveness.max_idle = absl::Seconds(-1);
  cases[2].field = "max_idle:";
  for (const Case& c : cases) {
    GrpcServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.liveness = c.liveness;
    absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
    EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(started.status().message(), c.field))
        << started.status();
  }
}

// A client on a raw HTTP/2 connection that answers the server's pings for
// `answer_for`, then falls silent as one whose machine vanished: it reads
// what the server sends and answers nothing. Returns how long after falling
// silent the server closed the connection, or nothing if it had not within
// `wait`.
std::optional<absl::Duration> ClosedAfterClientFallsSilent(
    int port, absl::Duration answer_for, absl::Duration wait) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  // The client preface and an empty SETTINGS frame.
  const std::string hello = std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") +
                            std::string("\0\0\0\x04\0\0\0\0\0", 9);
  EXPECT_EQ(write(fd, hello.data(), hello.size()),
            static_cast<ssize_t>(hello.size()));
  const absl::Time silent_from = absl::Now() + answer_for;
  std::string received;
  std::optional<absl::Duration> closed_after;
  while (absl::Now() < silent_from + wait) {
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, 100) <= 0) continue;
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) {  // EOF or reset
      closed_after = absl::Now() - silent_from;
      break;
    }
    received.append(buffer, n);
    // Frames: 3 bytes length, type, flags, 4 bytes stream id, payload.
    while (received.size() >= 9) {
      const auto byte = [&](int i) {
        return static_cast<uint8_t>(received[i]);
      };
      const size_t length = byte(0) << 16 | byte(1) << 8 | byte(2);
      if (received.size() < 9 + length) break;
      const uint8_t type = byte(3), flags = byte(4);
      if (absl::Now() < silent_from && flags == 0 && (type == 4 || type == 6)) {
        // ACK a SETTINGS (empty) or a PING (its 8 bytes echoed).
        std::string ack = received.substr(0, type == 6 ? 9 + length : 9);
        if (type == 4) ack[0] = ack[1] = ack[2] = 0;  // no payload
        ack[4] = 1;
        EXPECT_EQ(write(fd, ack.data(), ack.size()),
                  static_cast<ssize_t>(ack.size()));
      }
      received.erase(0, 9 + length);
    }
  }
  close(fd);
  return closed_after;
}

TEST(StartGrpcServerTest, ClosesTheConnectionOfAClientThatStopsAnswering) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.liveness.keepalive = absl::Seconds(1);
  options.liveness.keepalive_timeout = absl::Seconds(1);
  options.liveness.max_idle = absl::ZeroDuration();
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  // Silent from the start.
  std::optional<absl::Duration> closed = ClosedAfterClientFallsSilent(
      started->port, absl::ZeroDuration(), absl::Seconds(20));
  ASSERT_TRUE(closed.has_value());
  EXPECT_GE(*closed, absl::Seconds(1));  // a ping, then its timeout
  // Silent after answering several pings: the server has not stopped
  // pinging a connection that carries no data (gRPC stops a client's pings
  // after two without data, GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA).
  closed = ClosedAfterClientFallsSilent(started->port, absl::Seconds(4),
                                        absl::Seconds(20));
  ASSERT_TRUE(closed.has_value());
  EXPECT_LT(*closed, absl::Seconds(10));
  started->server->Shutdown();
}

TEST(StartGrpcServerTest, WithoutPingsASilentClientKeepsItsConnection) {
  // The control for the test above: the close is the keepalive's doing.
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.liveness.keepalive = absl::Hours(1);
  options.liveness.max_idle = absl::ZeroDuration();
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_FALSE(ClosedAfterClientFallsSilent(started->port, absl::ZeroDuration(),
                                            absl::Seconds(4))
                   .has_value());
  started->server->Shutdown();
}

TEST(StartGrpcServerTest, AClientThatAnswersPingsKeepsItsStreams) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.liveness.keepalive = absl::Seconds(1);
  options.liveness.keepalive_timeout = absl::Seconds(1);
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(started->address, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  auto watch = stub->Watch(&context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse first;
  ASSERT_TRUE(watch->Read(&first));
  // Several pings answered by gRPC's client: the connection stays up.
  EXPECT_FALSE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY,
      std::chrono::system_clock::now() + std::chrono::seconds(4)));
  context.TryCancel();
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);
  started->server->Shutdown();
}

TEST(StartGrpcServerTest, ClosesConnectionsWithoutCallsAfterMaxIdle) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.liveness.max_idle = absl::Seconds(1);
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  auto check = [](const std::shared_ptr<grpc::Channel>& channel) {
    return HealthCheck(channel, std::chrono::seconds(5));
  };
  std::shared_ptr<grpc::Channel> idle = OwnConnection(started->address);
  std::shared_ptr<grpc::Channel> busy = OwnConnection(started->address);
  ASSERT_EQ(check(idle), grpc::StatusCode::OK);
  ASSERT_EQ(check(busy), grpc::StatusCode::OK);
  grpc::ClientContext context;
  auto watch = grpc::health::v1::Health::NewStub(busy)->Watch(
      &context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse first;
  ASSERT_TRUE(watch->Read(&first));

  // The idle connection gets a GOAWAY; the one with a stream open does not.
  EXPECT_TRUE(idle->WaitForStateChange(
      GRPC_CHANNEL_READY,
      std::chrono::system_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(busy->GetState(false), GRPC_CHANNEL_READY);
  // The next call reconnects.
  EXPECT_EQ(check(idle), grpc::StatusCode::OK);

  context.TryCancel();
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);
  started->server->Shutdown();
}

}  // namespace
}  // namespace certreg

namespace certreg {
namespace {

TEST(StartGrpcServerTest, HealthAnswersForEachNamedService) {
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.health_service_names = {"certreg.v1.RegistryService"};
  absl::StatusOr<StartedServer> started = StartGrpcServer(options, {});
  ASSERT_TRUE(started.ok()) << started.status();
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      started->address, grpc::InsecureChannelCredentials()));
  for (const std::string& name :
       {std::string(), std::string("certreg.v1.RegistryService")}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(name);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(stub->Check(&context, request, &response).ok()) << name;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << name;
  }
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("certreg.v1.NoSuchService");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(stub->Check(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  started->server->Shutdown();
}

TEST(RaiseOpenFileLimitTest, SoftLimitReachesTheHardLimit) {
  struct rlimit limit;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  const rlim_t hard = limit.rlim_max;
  limit.rlim_cur = std::min<rlim_t>(hard, 256);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  const std::string said = RaiseOpenFileLimit();
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, hard) << said;
  EXPECT_TRUE(absl::StrContains(said, absl::StrCat(hard))) << said;
}

}  // namespace
}  // namespace certreg
