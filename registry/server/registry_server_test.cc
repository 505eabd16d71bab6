#include "registry/server/registry_server.h"

#include <filesystem>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

std::string FreshDir(const std::string& name) {
  std::string dir = testing::TempDir() + "/" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

RegistryServerOptions LoopbackOptions(const std::string& dir) {
  static const auto* operator_key =
      new Ed25519PrivateKey(*Ed25519PrivateKey::Generate());
  RegistryServerOptions options;
  options.registry.operator_key =
      std::make_shared<const Ed25519PublicKey>(operator_key->public_key());
  static const auto log_key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  options.registry.log_key = log_key;
  options.serving.listen_address = "127.0.0.1:0";
  options.data_dir = dir;
  return options;
}

grpc::health::v1::HealthCheckResponse::ServingStatus CheckHealth(
    const std::string& address) {
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(RegistryServerTest, AnswersHealthChecksOnLoopback) {
  std::string dir = FreshDir("server_health");
  auto server = RegistryServer::Start(LoopbackOptions(dir));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ(CheckHealth((*server)->address()),
            grpc::health::v1::HealthCheckResponse::SERVING);
  (*server)->Shutdown();
}

TEST(RegistryServerTest, CreatesThenReopensTheDataDirectory) {
  std::string dir = FreshDir("server_reopen") + "/nested/data";
  {
    auto server = RegistryServer::Start(LoopbackOptions(dir));
    ASSERT_TRUE(server.ok()) << server.status();
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/CURRENT"));
  auto again = RegistryServer::Start(LoopbackOptions(dir));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(CheckHealth((*again)->address()),
            grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(RegistryServerTest, SecondServerOnTheSameDirectoryFailsClearly) {
  std::string dir = FreshDir("server_lock");
  auto first = RegistryServer::Start(LoopbackOptions(dir));
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = RegistryServer::Start(LoopbackOptions(dir));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(dir), std::string::npos);
  EXPECT_NE(second.status().message().find("in use by another process"),
            std::string::npos);
  // The first server is unaffected.
  EXPECT_EQ(CheckHealth((*first)->address()),
            grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(RegistryServerTest, RefusesAnAddressInUse) {
  auto first = RegistryServer::Start(LoopbackOptions(FreshDir("addr_a")));
  ASSERT_TRUE(first.ok()) << first.status();
  RegistryServerOptions options = LoopbackOptions(FreshDir("addr_b"));
  options.serving.listen_address = (*first)->address();
  auto second = RegistryServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(options.serving.listen_address),
            std::string::npos);
}

TEST(RegistryServerTest, RefusesADataDirectoryOfAnotherOperator) {
  std::string dir = FreshDir("server_operator");
  { ASSERT_TRUE(RegistryServer::Start(LoopbackOptions(dir)).ok()); }
  RegistryServerOptions options = LoopbackOptions(dir);
  options.registry.operator_key = std::make_shared<const Ed25519PublicKey>(
      Ed25519PrivateKey::Generate()->public_key());
  auto server = RegistryServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(server.status().message().find("operator key"), std::string::npos);
}

TEST(RegistryServerTest, RefusesMalformedOptions) {
  RegistryServerOptions options = LoopbackOptions("");
  EXPECT_EQ(RegistryServer::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = LoopbackOptions(FreshDir("bad_listen"));
  options.serving.listen_address = "no-port";
  auto server = RegistryServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("listen"), std::string::npos);
}

}  // namespace
}  // namespace certreg
