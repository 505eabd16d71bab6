// kill -9: every write the registry acknowledged is there after a restart.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Cycles of kill -9 under write load (CERTREG_CRASH_CYCLES, 20 by default;
// e.g. CERTREG_CRASH_CYCLES=200 bazel test //tests:crash_test for a longer
// run): after each restart, every write acknowledged so far is there.
int Cycles() {
  const char* cycles = std::getenv("CERTREG_CRASH_CYCLES");
  return cycles != nullptr && std::atoi(cycles) > 0 ? std::atoi(cycles) : 20;
}

class CrashTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/crash";
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(WriteKeyPair(operator_key_, dir_ + "/operator.key",
                             dir_ + "/operator.pub")
                    .ok());
    Start();
    RegistryClient client(server_->address());
    auto submit = [&client](v1::StatementKind kind,
                            const v1::SignedStatement& s) {
      return client.Submit(kind, s);
    };
    ASSERT_TRUE(
        SeedDemo(operator_key_, body_keys_, TodayInChina(), submit).ok());
    v1::GetCertificateRequest get;
    get.set_number("90126Q21540R2M");
    base_ = client.GetCertificate(get)->certificate();
  }

  void Start() {
    server_.reset();
    server_ = std::make_unique<RegistryProcess>(
        dir_ + "/data", dir_ + "/operator.pub", TestPort(0));
    ASSERT_TRUE(server_->WaitReady());
  }

  // An issue statement of certificate `serial` of `cycle`'s writer `w`.
  v1::SignedStatement Issue(int cycle, int w, int serial, std::string* number) {
    v1::Certificate c = base_;
    c.set_number(absl::StrCat("90126Q",
                              absl::Dec(cycle * 10 + w, absl::kZeroPad3),
                              absl::Dec(serial, absl::kZeroPad6), "R2M"));
    c.mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(1000000 * cycle + 100000 * w + serial));
    v1::Statement issue;
    issue.set_certificate_number(c.number());
    *issue.mutable_date() = c.issue_date();
    *issue.mutable_issue()->mutable_certificate() = c;
    *number = c.number();
    return *SignStatement(issue, body_keys_[0]);
  }

  // Four writers issue certificates as fast as they can (writer 3 in
  // batches of ten) until at least `wanted` writes were acknowledged; then
  // the server is killed with SIGKILL while they are at it.
  std::vector<std::string> WriteAndKill(int cycle, size_t wanted) {
    std::atomic<bool> stop{false};
    std::vector<std::vector<std::string>> acknowledged(4);
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        RegistryClient own(server_->address(), std::chrono::seconds(2));
        const int batch = w == 3 ? 10 : 1;
        for (int i = 0; !stop && i < 100000; i += batch) {
          std::vector<v1::SignedStatement> statements;
          std::vector<std::string> numbers(batch);
          for (int k = 0; k < batch; ++k) {
            statements.push_back(Issue(cycle, w, i + k, &numbers[k]));
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
    for (int i = 0; i < 200; ++i) {
      size_t total = 0;
      for (const auto& a : acknowledged) total += a.size();
      if (total >= wanted) break;
      usleep(20 * 1000);
    }
    server_->Kill(SIGKILL);
    stop = true;
    for (std::thread& t : writers) t.join();
    std::vector<std::string> all;
    for (const auto& a : acknowledged)
      all.insert(all.end(), a.begin(), a.end());
    return all;
  }

  // The numbers in `numbers` that the server does not have.
  std::vector<std::string> Missing(const std::vector<std::string>& numbers) {
    RegistryClient client(server_->address());
    std::vector<std::string> missing;
    for (const std::string& number : numbers) {
      v1::GetCertificateRequest get;
      get.set_number(number);
      if (!client.GetCertificate(get).ok()) missing.push_back(number);
    }
    return missing;
  }

  std::string dir_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
  std::unique_ptr<RegistryProcess> server_;
  v1::Certificate base_;
};

TEST_F(CrashTest, AcknowledgedWritesSurviveRepeatedKillNine) {
  std::vector<std::string> all;
  for (int cycle = 0; cycle < Cycles(); ++cycle) {
    std::vector<std::string> acknowledged = WriteAndKill(cycle, 100);
    ASSERT_FALSE(acknowledged.empty()) << "cycle " << cycle;
    Start();
    const std::vector<std::string> missing = Missing(acknowledged);
    ASSERT_TRUE(missing.empty())
        << "cycle " << cycle << ": " << missing.size() << " of "
        << acknowledged.size() << " acknowledged writes lost, e.g. "
        << missing.front();
    all.insert(all.end(), acknowledged.begin(), acknowledged.end());
  }
  EXPECT_TRUE(Missing(all).empty());
  // The demo data is intact too.
  RegistryClient client(server_->address());
  v1::GetCertificateRequest get;
  get.set_number("90119Q30555R1L");
  EXPECT_EQ(client.GetCertificate(get)->history_size(), 5);
}

}  // namespace
}  // namespace certreg
