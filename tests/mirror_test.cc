// certreg-mirror against a real registry: it follows the log, verifying
// every entry and checkpoint, answers as the registry does, refuses writes,
// and stops -- keeping its last consistent state and the evidence -- when
// the registry it follows forks.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/loopback_testing.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Two valid demo certificates of the first demo body (body_keys_[0]).
constexpr char kHaier[] = "90126Q21540R2M";
constexpr char kExpiring[] = "90123S20417R1M";

class MirrorTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/mirror";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(WriteKeyPair(operator_key_, dir_ + "/operator.key",
                             dir_ + "/operator.pub")
                    .ok());
    StartRegistry(dir_ + "/a");
    RegistryClient client(registry_->address());
    auto submit = [&client](v1::StatementKind kind,
                            const v1::SignedStatement& s) {
      return client.Submit(kind, s);
    };
    absl::StatusOr<std::vector<DemoCertificate>> demo =
        SeedDemo(operator_key_, body_keys_, TodayInChina(), submit);
    ASSERT_TRUE(demo.ok()) << demo.status();
    for (const DemoCertificate& c : *demo) numbers_.push_back(c.number);
    mirror_ = std::make_unique<ChildProcess>(
        RunfilesBinary("registry/certreg-mirror"),
        std::vector<std::string>{
            "--upstream=" + registry_->address(),
            "--data_dir=" + dir_ + "/mirror", "--listen=" + MirrorAddress(),
            "--operator_public_key=" + dir_ + "/operator.pub",
            "--log_public_key=" + dir_ + "/a.log.pub", "--metrics_listen=",
            absl::StrCat("--admin_socket=unix:/tmp/certreg-", getpid(),
                         "-mirror.sock")},
        dir_ + "/mirror.err");
  }

  void StartRegistry(const std::string& data_dir) {
    registry_.reset();
    registry_ = std::make_unique<RegistryProcess>(
        data_dir, dir_ + "/operator.pub", TestPort(0),
        data_dir + ".err." + std::to_string(++starts_));
    ASSERT_TRUE(registry_->WaitReady());
  }

  std::string MirrorAddress() const {
    return absl::StrCat("127.0.0.1:", TestPort(1));
  }

  static bool WaitFor(const std::function<bool()>& done,
                      absl::Duration timeout = absl::Seconds(30)) {
    const absl::Time deadline = absl::Now() + timeout;
    while (!done()) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return true;
  }

  // Whether the mirror serves the registry's latest checkpoint.
  bool CaughtUp() {
    RegistryClient registry(registry_->address(), std::chrono::seconds(2));
    RegistryClient mirror(MirrorAddress(), std::chrono::seconds(2));
    absl::StatusOr<v1::SignedCheckpoint> theirs = registry.GetCheckpoint();
    absl::StatusOr<v1::SignedCheckpoint> ours = mirror.GetCheckpoint();
    return theirs.ok() && ours.ok() &&
           theirs->SerializeAsString() == ours->SerializeAsString();
  }

  // The mirror's state from its answers' metadata.
  std::string MirrorState() {
    return AnswerMetadata(MirrorAddress(), "certreg-mirror-state");
  }

  absl::Status Suspend(RegistryClient& client, const std::string& number) {
    v1::GetCertificateRequest get;
    get.set_number(number);
    absl::StatusOr<v1::GetCertificateResponse> current =
        client.GetCertificate(get);
    if (!current.ok()) return current.status();
    v1::Statement suspend;
    suspend.set_certificate_number(number);
    *suspend.mutable_date() = ToProtoDate(TodayInChina());
    suspend.set_previous_event_hash(current->head_event_hash());
    suspend.mutable_suspend()->set_reason("整改期间暂停");
    return client
        .Submit(v1::STATEMENT_KIND_SUSPEND,
                *SignStatement(suspend, body_keys_[0]))
        .status();
  }

  std::string dir_;
  int starts_ = 0;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
  std::unique_ptr<RegistryProcess> registry_;
  std::unique_ptr<ChildProcess> mirror_;
  std::vector<std::string> numbers_;
};

// The mirror answers lookups, searches, entries and checkpoints exactly as
// the registry does, relays bundles it checked, refuses writes, and follows
// new writes.
TEST_F(MirrorTest, FollowsAndAnswersAsTheRegistryDoes) {
  ASSERT_TRUE(WaitFor([&] { return CaughtUp(); }))
      << "the mirror never caught up";
  EXPECT_EQ(MirrorState(), "following");
  RegistryClient registry(registry_->address());
  RegistryClient mirror(MirrorAddress());
  for (const std::string& number : numbers_) {
    v1::GetCertificateRequest get;
    get.set_number(number);
    absl::StatusOr<v1::GetCertificateResponse> theirs =
        registry.GetCertificate(get);
    absl::StatusOr<v1::GetCertificateResponse> ours =
        mirror.GetCertificate(get);
    ASSERT_TRUE(theirs.ok() && ours.ok()) << number << ours.status();
    EXPECT_EQ(ours->SerializeAsString(), theirs->SerializeAsString()) << number;
  }
  v1::SearchCertificatesRequest search;
  search.set_query("有限公司");
  EXPECT_EQ(mirror.SearchCertificates(search)->SerializeAsString(),
            registry.SearchCertificates(search)->SerializeAsString());
  absl::StatusOr<v1::SignedCheckpoint> latest = mirror.GetCheckpoint();
  ASSERT_TRUE(latest.ok());
  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(latest->checkpoint());
  EXPECT_EQ(
      mirror.GetEntries(0, checkpoint.tree_size())->SerializeAsString(),
      registry.GetEntries(0, checkpoint.tree_size())->SerializeAsString());
  absl::StatusOr<v1::VerificationBundle> bundle =
      mirror.GetVerificationBundle(numbers_[0]);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->certificate_number(), numbers_[0]);

  absl::Status refused = Suspend(mirror, kHaier);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "mirror")) << refused;

  ASSERT_TRUE(Suspend(registry, kHaier).ok());
  ASSERT_TRUE(WaitFor([&] {
    v1::GetCertificateRequest get;
    get.set_number(kHaier);
    auto ours = mirror.GetCertificate(get);
    return ours.ok() &&
           ours->status().status() == v1::CERTIFICATE_STATUS_SUSPENDED;
  }));
}

// The registry is replaced by one restored from an earlier backup that
// wrote something else since: its checkpoint at the size the mirror holds
// has another root. The mirror stops, keeps serving what it verified
// (stale), refuses to relay bundles, and keeps both checkpoints.
TEST_F(MirrorTest, AForkedRegistryIsDetected) {
  ASSERT_TRUE(WaitFor([&] { return CaughtUp(); }));
  const CommandResult backup =
      RunCommand(RunfilesBinary("tools/certctl"),
                 {"backup", "before", "--admin=" + AdminSocket(TestPort(0))});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  {
    RegistryClient a(registry_->address());
    ASSERT_TRUE(Suspend(a, kHaier).ok());
  }
  ASSERT_TRUE(WaitFor([&] { return CaughtUp(); }));

  registry_->Kill(SIGTERM);
  std::filesystem::copy(dir_ + "/a-backups/before", dir_ + "/b",
                        std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(dir_ + "/a.log.key", dir_ + "/b.log.key");
  std::filesystem::copy_file(dir_ + "/a.log.pub", dir_ + "/b.log.pub");
  StartRegistry(dir_ + "/b");
  {
    RegistryClient b(registry_->address());
    ASSERT_TRUE(Suspend(b, kExpiring).ok());  // another history
  }
  ASSERT_TRUE(WaitFor([&] { return MirrorState() == "stale"; }))
      << "the fork went unnoticed";

  RegistryClient mirror(MirrorAddress());
  v1::GetCertificateRequest get;
  get.set_number(kHaier);
  absl::StatusOr<v1::GetCertificateResponse> kept = mirror.GetCertificate(get);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->status().status(), v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(mirror.GetVerificationBundle(kHaier).status().code(),
            absl::StatusCode::kUnavailable);

  std::ifstream file(dir_ + "/mirror.fork-evidence.json");
  std::stringstream evidence;
  evidence << file.rdbuf();
  EXPECT_TRUE(absl::StrContains(evidence.str(), "\"trusted_checkpoint\": {"))
      << evidence.str();
  EXPECT_TRUE(
      absl::StrContains(evidence.str(), "\"conflicting_checkpoint\": {"))
      << evidence.str();
}

}  // namespace
}  // namespace certreg
