// Quotas on a real registry: one client flooding lookups is refused with
// RESOURCE_EXHAUSTED and when to retry, while another client (with its own
// API key) and a writer from the flooding address keep being served.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/registry_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/sha256.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

TEST(QuotaTest, AFloodingClientIsRefusedWhileOthersAndWritersAreServed) {
  const std::string dir = testing::TempDir() + "/quota";
  std::filesystem::remove_all(dir);
  Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  ASSERT_TRUE(
      WriteKeyPair(operator_key, dir + "/operator.key", dir + "/operator.pub")
          .ok());
  const std::string buyer_key = "buyer-secret-key-0123456789";
  std::ofstream(dir + "/api_keys")
      << "# name hash lookups searches verifications streams writes\n"
      << "buyer " << ToHex(Sha256(buyer_key)) << " 1000 100 100 10 0\n";
  RegistryProcess server(
      dir + "/data", dir + "/operator.pub", TestPort(0), dir + "/registry.err",
      {"--quota_local_clients", "--quota_lookups_per_second=50",
       "--access_log=" + dir + "/access.log", "--quota_writes_per_second=50",
       "--api_keys_file=" + dir + "/api_keys", "--metrics_listen="});
  ASSERT_TRUE(server.WaitReady());
  std::vector<Ed25519PrivateKey> body_keys = {*Ed25519PrivateKey::Generate(),
                                              *Ed25519PrivateKey::Generate()};
  RegistryClient writer(server.address());
  auto seeded =
      SeedDemo(operator_key, body_keys, TodayInChina(),
               [&writer](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return writer.Submit(kind, s);
               });
  ASSERT_TRUE(seeded.ok()) << seeded.status();

  // The flood: four threads from this address, as fast as they can.
  std::atomic<bool> stop{false};
  std::atomic<int> flood_ok{0}, flood_refused{0};
  std::mutex refusal_mu;
  std::string refusal;
  std::optional<absl::Duration> retry_delay;  // google.rpc.RetryInfo's
  std::vector<std::thread> flooders;
  for (int t = 0; t < 4; ++t) {
    flooders.emplace_back([&] {
      RegistryClient flooder(server.address());
      v1::GetCertificateRequest get;
      get.set_number("90126Q21540R2M");
      while (!stop) {
        absl::StatusOr<v1::GetCertificateResponse> got =
            flooder.GetCertificate(get);
        if (got.ok()) {
          ++flood_ok;
        } else if (absl::IsResourceExhausted(got.status())) {
          ++flood_refused;
          std::lock_guard<std::mutex> lock(refusal_mu);
          if (refusal.empty()) {
            refusal = std::string(got.status().message());
            retry_delay = RetryDelay(got.status());
          }
        }
      }
    });
  }
  // Meanwhile a buyer with its key, and a writer from the same address.
  RegistryClient buyer(server.address());
  buyer.set_api_key(buyer_key);
  int buyer_ok = 0;
  v1::GetCertificateRequest get;
  get.set_number("90119Q30555R1L");
  for (int i = 0; i < 40; ++i) {
    buyer_ok += buyer.GetCertificate(get).ok();
    usleep(20 * 1000);
  }
  const v1::Certificate base = buyer.GetCertificate(get)->certificate();
  int written = 0;
  for (int i = 0; i < 10; ++i) {
    v1::Certificate c = base;
    c.set_number(absl::StrCat("90119Q", 800000 + i, "R1L"));
    c.mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(7000 + i));
    v1::Statement issue;
    issue.set_certificate_number(c.number());
    *issue.mutable_date() = c.issue_date();
    *issue.mutable_issue()->mutable_certificate() = c;
    written += writer
                   .Submit(v1::STATEMENT_KIND_ISSUE,
                           *SignStatement(issue, body_keys[0]))
                   .ok();
  }
  stop = true;
  for (std::thread& flooder : flooders) flooder.join();

  EXPECT_EQ(buyer_ok, 40);
  EXPECT_EQ(written, 10);
  EXPECT_GT(flood_refused, 0);
  // About 50 a second got through (plus a burst of 100), not thousands.
  EXPECT_LT(flood_ok, 400) << flood_refused;
  // Refusals are answered after the wait they name, so a closed-loop flood
  // slows itself to a few hundred a second instead of tens of thousands.
  EXPECT_LT(flood_refused, 5000);
  EXPECT_TRUE(absl::StrContains(refusal,
                                "quota: ipv4:127.0.0.1 has used its "
                                "lookup budget (50 a second); retry "
                                "after"))
      << refusal;
  ASSERT_TRUE(retry_delay.has_value()) << "no google.rpc.RetryInfo detail";
  EXPECT_GT(*retry_delay, absl::ZeroDuration());
  EXPECT_LE(*retry_delay, absl::Seconds(1));

  // An unknown key is refused as such.
  RegistryClient stranger(server.address());
  stranger.set_api_key("not-a-key");
  EXPECT_EQ(stranger.GetCertificate(get).status().code(),
            absl::StatusCode::kUnauthenticated);

  // The access log names the key's client.
  server.Kill(SIGTERM);
  std::ifstream log(dir + "/access.log");
  const std::string lines((std::istreambuf_iterator<char>(log)),
                          std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(lines, "code=OK")) << lines.substr(0, 500);
  EXPECT_TRUE(absl::StrContains(lines, " client=buyer\n"))
      << lines.substr(0, 500);
  EXPECT_TRUE(absl::StrContains(lines, "code=RESOURCE_EXHAUSTED"));
}

}  // namespace
}  // namespace certreg
