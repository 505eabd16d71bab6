#include "verifier/grpc/connection_flags.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

class ConnectionFlagsTest : public testing::Test {
 private:
  absl::FlagSaver saver_;  // each test's flag values are its own
};

TEST_F(ConnectionFlagsTest, DefaultsAreTheServerDefaults) {
  absl::StatusOr<GrpcServerOptions> options = ConnectionOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  const GrpcServerOptions defaults;
  EXPECT_EQ(options->max_streams_per_connection,
            defaults.max_streams_per_connection);
  EXPECT_EQ(options->liveness.keepalive, defaults.liveness.keepalive);
  EXPECT_EQ(options->liveness.keepalive_timeout,
            defaults.liveness.keepalive_timeout);
  EXPECT_EQ(options->liveness.max_idle, defaults.liveness.max_idle);
}

TEST_F(ConnectionFlagsTest, TakesTheFlagsValues) {
  absl::SetFlag(&FLAGS_max_streams_per_connection, 7);
  absl::SetFlag(&FLAGS_keepalive_seconds, 30);
  absl::SetFlag(&FLAGS_keepalive_timeout_seconds, 5);
  absl::SetFlag(&FLAGS_max_connection_idle_seconds, 0);
  absl::StatusOr<GrpcServerOptions> options = ConnectionOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->max_streams_per_connection, 7);
  EXPECT_EQ(options->liveness.keepalive, absl::Seconds(30));
  EXPECT_EQ(options->liveness.keepalive_timeout, absl::Seconds(5));
  EXPECT_EQ(options->liveness.max_idle, absl::ZeroDuration());
}

TEST_F(ConnectionFlagsTest, NamesTheFlagOutOfRange) {
  absl::SetFlag(&FLAGS_keepalive_timeout_seconds, 0);
  absl::StatusOr<GrpcServerOptions> options = ConnectionOptionsFromFlags();
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(options.status().message(),
            "--keepalive_timeout_seconds must be at least 1");

  absl::SetFlag(&FLAGS_keepalive_timeout_seconds, 20);
  absl::SetFlag(&FLAGS_max_connection_idle_seconds, -1);
  options = ConnectionOptionsFromFlags();
  EXPECT_EQ(options.status().message(),
            "--max_connection_idle_seconds must be at least 0");

  absl::SetFlag(&FLAGS_max_connection_idle_seconds, 0);
  absl::SetFlag(&FLAGS_max_streams_per_connection, 0);
  options = ConnectionOptionsFromFlags();
  EXPECT_EQ(options.status().message(),
            "--max_streams_per_connection must be at least 1");
}

TEST_F(ConnectionFlagsTest, ConnectionCapFlags) {
  absl::StatusOr<GrpcServerOptions> options = ConnectionOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection_cap.max_connections, -1);  // automatic
  EXPECT_EQ(options->connection_cap.reserved_sources,
            (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));

  absl::SetFlag(&FLAGS_max_connections, 100);
  absl::SetFlag(&FLAGS_connection_reserve, 100);
  options = ConnectionOptionsFromFlags();
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(options.status().message(),
            "--connection_reserve: 100 leaves no connection of "
            "max_connections 100 for other clients");

  absl::SetFlag(&FLAGS_connection_reserve, 10);
  absl::SetFlag(&FLAGS_connection_reserve_sources, "10.0.0.0/8, 10.1/16");
  options = ConnectionOptionsFromFlags();
  EXPECT_EQ(options.status().message(),
            "--connection_reserve_sources: \"10.1/16\" is not an IP address "
            "or ADDRESS/PREFIX");

  absl::SetFlag(&FLAGS_connection_reserve_sources, "10.0.0.0/8,fd00::/8");
  options = ConnectionOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection_cap.max_connections, 100);
  EXPECT_EQ(options->connection_cap.reserve, 10);
  absl::SetFlag(&FLAGS_max_connections, -1);
  absl::SetFlag(&FLAGS_connection_reserve, 32);
  absl::SetFlag(&FLAGS_connection_reserve_sources, "127.0.0.0/8,::1/128");
}

}  // namespace
}  // namespace certreg
