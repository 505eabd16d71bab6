// End to end: a registry process and a verifier process on loopback; a
// procurement system sends BatchVerify with good and bad claims mixed.
#include <filesystem>
#include <utility>
#include <vector>

#include "certreg/v1/verifier.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

bool WaitForRegistry(const std::string& address) {
  for (int i = 0; i < 100; ++i) {
    // A fresh client each time: a channel that failed to connect backs off.
    RegistryClient client(address, std::chrono::seconds(1));
    if (client.ListBodies(v1::ListBodiesRequest()).ok()) return true;
    usleep(100 * 1000);
  }
  return false;
}

v1::Claim ClaimOf(const std::string& number, const std::string& holder = "") {
  v1::Claim claim;
  claim.set_certificate_number(number);
  claim.set_holder_name(holder);
  return claim;
}

class VerifyEndToEndTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/verify_e2e";
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(WriteKeyPair(operator_key_, dir_ + "/operator.key",
                             dir_ + "/operator.pub")
                    .ok());
    registry_address_ = absl::StrCat("127.0.0.1:", TestPort(0));
    verifier_address_ = absl::StrCat("127.0.0.1:", TestPort(1));
    registry_ = std::make_unique<ChildProcess>(
        RunfilesBinary("registry/certreg-registry"),
        std::vector<std::string>{
            "--data_dir=" + dir_ + "/data",
            "--operator_public_key=" + dir_ + "/operator.pub",
            "--log_private_key=" + dir_ + "/log.key",
            "--listen=" + registry_address_});
    ASSERT_TRUE(WaitForRegistry(registry_address_));
    RegistryClient client(registry_address_);
    auto seeded = SeedDemo(
        operator_key_, body_keys_, TodayInChina(),
        [&client](v1::StatementKind kind, const v1::SignedStatement& s) {
          return client.Submit(kind, s);
        });
    ASSERT_TRUE(seeded.ok()) << seeded.status();

    verifier_ = std::make_unique<ChildProcess>(
        RunfilesBinary("verifier/certreg-verifier"),
        std::vector<std::string>{
            "--registry=" + registry_address_,
            "--operator_public_key=" + dir_ + "/operator.pub",
            "--log_public_key=" + dir_ + "/log.pub",
            "--state_file=" + dir_ + "/verifier/trusted_checkpoint",
            "--listen=" + verifier_address_});
    stub_ = v1::VerifierService::NewStub(grpc::CreateChannel(
        verifier_address_, grpc::InsecureChannelCredentials()));
    // Wait for the verifier to listen (wait_for_ready rides out the
    // channel's reconnect backoff).
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    v1::VerifyResponse ignored;
    ASSERT_TRUE(stub_->Verify(&context, v1::VerifyRequest(), &ignored).ok());
  }

  v1::BatchVerifyResponse BatchVerify(const std::vector<v1::Claim>& claims) {
    v1::BatchVerifyRequest request;
    for (const v1::Claim& claim : claims) *request.add_claims() = claim;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    v1::BatchVerifyResponse response;
    grpc::Status status = stub_->BatchVerify(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::string dir_;
  std::string registry_address_;
  std::string verifier_address_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
  std::unique_ptr<ChildProcess> registry_;
  std::unique_ptr<ChildProcess> verifier_;
  std::unique_ptr<v1::VerifierService::Stub> stub_;
};

TEST_F(VerifyEndToEndTest, BatchOfMixedClaims) {
  std::vector<v1::Claim> claims;
  claims.push_back(ClaimOf("90126Q21540R2M", "青岛海岳电器股份有限公司"));
  v1::Claim four_star = ClaimOf("90224S00317R0L", "杭州云帆家电服务有限公司");
  four_star.set_min_star_level(v1::STAR_LEVEL_FOUR);
  four_star.add_scope_terms("售后服务");
  four_star.set_basis("GB/T 27922");
  claims.push_back(four_star);
  v1::Claim five_star = four_star;
  five_star.set_min_star_level(v1::STAR_LEVEL_FIVE);
  claims.push_back(five_star);
  claims.push_back(ClaimOf("90126Q21540R2M", "青岛假冒电器有限公司"));
  claims.push_back(ClaimOf("90115E30472R1S"));  // suspended
  claims.push_back(ClaimOf("90119Q11234R0M"));  // revoked
  claims.push_back(ClaimOf("99999Q99999R9M"));  // not in the registry
  claims.push_back(ClaimOf(""));                // malformed
  v1::Claim before_suspension = ClaimOf("90119Q30555R1L");
  *before_suspension.mutable_as_of() =
      ToProtoDate(AddMonths(TodayInChina(), -4));
  claims.push_back(before_suspension);
  v1::Claim during_suspension = before_suspension;
  *during_suspension.mutable_as_of() =
      ToProtoDate(AddMonths(TodayInChina(), -3) + 5);
  claims.push_back(during_suspension);

  v1::BatchVerifyResponse response = BatchVerify(claims);
  const std::vector<v1::Verdict> expected = {
      v1::VERDICT_PASS, v1::VERDICT_PASS, v1::VERDICT_FAIL, v1::VERDICT_FAIL,
      v1::VERDICT_FAIL, v1::VERDICT_FAIL, v1::VERDICT_FAIL, v1::VERDICT_UNKNOWN,
      v1::VERDICT_PASS, v1::VERDICT_FAIL};
  ASSERT_EQ(response.results_size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    const v1::VerifyResponse& result = response.results(i);
    EXPECT_EQ(result.verdict(), expected[i])
        << "claim " << i << " (" << claims[i].certificate_number()
        << "): " << result.DebugString();
    EXPECT_EQ(result.certificate_number(), claims[i].certificate_number());
    EXPECT_FALSE(result.checks().empty());
  }
  EXPECT_EQ(response.results(4).status().status(),
            v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_GT(response.results(0).checkpoint_tree_size(), 0u);
}

TEST_F(VerifyEndToEndTest,
       OverLongBatchIsRefusedAndUnreachableRegistryIsUnknown) {
  v1::BatchVerifyRequest too_many;
  for (int i = 0; i < 1001; ++i) {
    *too_many.add_claims() = ClaimOf("90126Q21540R2M");
  }
  grpc::ClientContext context;
  v1::BatchVerifyResponse ignored;
  EXPECT_EQ(stub_->BatchVerify(&context, too_many, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  registry_->Stop(SIGTERM);
  v1::BatchVerifyResponse response =
      BatchVerify({ClaimOf("90126Q21540R2M", "青岛海岳电器股份有限公司")});
  ASSERT_EQ(response.results_size(), 1);
  // Without the registry's evidence the answer is UNKNOWN, never an error.
  EXPECT_EQ(response.results(0).verdict(), v1::VERDICT_UNKNOWN);
  EXPECT_EQ(response.results(0).checks(0).name(), "registry");
}

// Connection flags out of range are refused by both servers before they
// create or read anything, naming the flag; --help lists those flags, which
// both servers share.
TEST(ServerFlagsTest, ConnectionFlagsOutOfRangeAreRefused) {
  const std::string dir = testing::TempDir() + "/server_flags";
  std::filesystem::remove_all(dir);
  const std::string listen = absl::StrCat("--listen=127.0.0.1:", TestPort(2));
  const std::vector<std::pair<std::string, std::vector<std::string>>> servers =
      {{"registry/certreg-registry",
        {"--data_dir=" + dir + "/data", "--log_private_key=" + dir + "/log.key",
         "--operator_public_key=" + dir + "/operator.pub"}},
       {"verifier/certreg-verifier",
        {"--state_file=" + dir + "/trusted_checkpoint",
         "--operator_public_key=" + dir + "/operator.pub",
         "--log_public_key=" + dir + "/log.pub"}}};
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"--max_streams_per_connection=0",
       "--max_streams_per_connection must be at least 1"},
      {"--keepalive_seconds=0", "--keepalive_seconds must be at least 1"},
      {"--max_connection_idle_seconds=-5",
       "--max_connection_idle_seconds must be at least 0"}};
  for (const auto& [binary, server_args] : servers) {
    for (const auto& [flag, error] : refused) {
      std::vector<std::string> args = server_args;
      args.push_back(listen);
      args.push_back(flag);
      CommandResult result = RunCommand(RunfilesBinary(binary), args);
      EXPECT_EQ(result.exit_code, 2)
          << binary << " " << flag << ": " << result.err;
      EXPECT_NE(result.err.find(error), std::string::npos)
          << binary << " " << flag << ": " << result.err;
      EXPECT_FALSE(std::filesystem::exists(dir)) << binary << " " << flag;
    }
    CommandResult help = RunCommand(RunfilesBinary(binary), {"--help"});
    for (const char* flag :
         {"--max_streams_per_connection", "--keepalive_seconds",
          "--keepalive_timeout_seconds", "--max_connection_idle_seconds"}) {
      EXPECT_NE((help.out + help.err).find(flag), std::string::npos)
          << binary << " --help does not list " << flag;
    }
  }
}

}  // namespace
}  // namespace certreg
