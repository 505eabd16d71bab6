// kill -9: every write the registry acknowledged is there after a restart.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// The registry binary as a child process on a loopback port.
class Server {
 public:
  Server(const std::string& data_dir, const std::string& operator_pub, int port)
      : address_(absl::StrCat("127.0.0.1:", port)),
        process_(
            RunfilesBinary("registry/certreg-registry"),
            {"--data_dir=" + data_dir, "--operator_public_key=" + operator_pub,
             "--listen=" + address_,
             "--log_private_key=" + data_dir + ".log.key"}) {}

  // Waits until the server answers.
  bool WaitReady() {
    for (int i = 0; i < 100; ++i) {
      // A fresh client each time: a channel that failed to connect backs off.
      RegistryClient client(address_, std::chrono::seconds(1));
      if (client.ListBodies(v1::ListBodiesRequest()).ok()) return true;
      usleep(100 * 1000);
    }
    return false;
  }

  void Kill(int signal) { process_.Stop(signal); }
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  ChildProcess process_;
};

TEST(CrashTest, AcknowledgedWritesSurviveKillNine) {
  std::string dir = testing::TempDir() + "/crash";
  std::filesystem::remove_all(dir);
  Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  ASSERT_TRUE(
      WriteKeyPair(operator_key, dir + "/operator.key", dir + "/operator.pub")
          .ok());
  std::vector<Ed25519PrivateKey> body_keys = {*Ed25519PrivateKey::Generate(),
                                              *Ed25519PrivateKey::Generate()};
  const int port = TestPort(0);
  auto server =
      std::make_unique<Server>(dir + "/data", dir + "/operator.pub", port);
  ASSERT_TRUE(server->WaitReady());
  RegistryClient client(server->address());
  auto submit = [&client](v1::StatementKind kind,
                          const v1::SignedStatement& s) {
    return client.Submit(kind, s);
  };
  ASSERT_TRUE(SeedDemo(operator_key, body_keys, TodayInChina(), submit).ok());

  // Four writers issue certificates as fast as they can; the server is
  // killed with SIGKILL while they are at it.
  v1::Certificate base;
  {
    v1::GetCertificateRequest get;
    get.set_number("90126Q21540R2M");
    base = client.GetCertificate(get)->certificate();
  }
  std::atomic<bool> stop{false};
  std::vector<std::vector<std::string>> acknowledged(4);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      RegistryClient own(server->address(), std::chrono::seconds(2));
      // Writer 3 sends batches of ten (SubmitStatements), the others one
      // statement per call.
      const int batch = w == 3 ? 10 : 1;
      for (int i = 0; !stop && i < 100000; i += batch) {
        std::vector<v1::SignedStatement> statements;
        std::vector<std::string> numbers;
        for (int k = i; k < i + batch; ++k) {
          v1::Certificate c = base;
          c.set_number(absl::StrCat("90126Q", w, 10000 + k, "R2M"));
          c.mutable_holder()->set_unified_social_credit_code(
              DemoCreditCode(1000 * w + k));
          v1::Statement issue;
          issue.set_certificate_number(c.number());
          *issue.mutable_date() = c.issue_date();
          *issue.mutable_issue()->mutable_certificate() = c;
          statements.push_back(*SignStatement(issue, body_keys[0]));
          numbers.push_back(c.number());
        }
        if (batch == 1) {
          if (own.Submit(v1::STATEMENT_KIND_ISSUE, statements[0]).ok()) {
            acknowledged[w].push_back(numbers[0]);
          }
          continue;
        }
        auto results = own.SubmitBatch(statements);
        if (!results.ok()) continue;
        for (size_t k = 0; k < results->size(); ++k) {
          if ((*results)[k].ok()) acknowledged[w].push_back(numbers[k]);
        }
      }
    });
  }
  // Let a good number of writes through, then pull the plug.
  for (int i = 0; i < 200; ++i) {
    size_t total = 0;
    for (const auto& a : acknowledged) total += a.size();
    if (total >= 200) break;
    usleep(50 * 1000);
  }
  server->Kill(SIGKILL);
  stop = true;
  for (std::thread& t : writers) t.join();

  size_t total = 0;
  for (const auto& a : acknowledged) total += a.size();
  ASSERT_GT(total, 0u);
  EXPECT_GT(acknowledged[3].size(), 0u) << "no batch was acknowledged";

  server = std::make_unique<Server>(dir + "/data", dir + "/operator.pub", port);
  ASSERT_TRUE(server->WaitReady());
  RegistryClient reopened(server->address());
  for (const auto& numbers : acknowledged) {
    for (const std::string& number : numbers) {
      v1::GetCertificateRequest get;
      get.set_number(number);
      auto got = reopened.GetCertificate(get);
      EXPECT_TRUE(got.ok())
          << number << " was acknowledged but is lost: " << got.status();
    }
  }
  // The demo data is intact too.
  v1::GetCertificateRequest get;
  get.set_number("90119Q30555R1L");
  EXPECT_EQ(reopened.GetCertificate(get)->history_size(), 5);
}

}  // namespace
}  // namespace certreg
