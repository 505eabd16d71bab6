// Replicated mode on a real etcd: three etcd members and three registry
// replicas on loopback. The leader is killed with SIGKILL again and again
// under write load; a majority of etcd is stopped; a leader paused with
// SIGSTOP comes back deposed. Every acknowledged write is on every replica,
// the replicas' logs are identical (the same roots at the same size) and
// hold no statement twice.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/cluster_processes.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/loopback_testing.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

struct Acknowledged {
  std::string statement_hash;
  uint64_t leaf_index = 0;
};

class ReplicationTest : public testing::Test {
 protected:
  void SetUp() override {
    cluster_ =
        std::make_unique<ClusterProcesses>(testing::TempDir() + "/replication");
    for (int i = 0; i < ClusterProcesses::kMembers; ++i) cluster_->StartEtcd(i);
    for (int i = 0; i < ClusterProcesses::kMembers; ++i) {
      cluster_->StartReplica(i);
    }
    ASSERT_TRUE(
        WaitFor([&] { return cluster_->Leader() >= 0; }, absl::Seconds(30)))
        << "no leader elected";
    RegistryClient client(cluster_->Addresses(), std::chrono::seconds(20));
    auto submit = [&client](v1::StatementKind kind,
                            const v1::SignedStatement& s) {
      return client.Submit(kind, s);
    };
    ASSERT_TRUE(
        SeedDemo(cluster_->operator_key(), body_keys_, TodayInChina(), submit)
            .ok());
    v1::GetCertificateRequest get;
    get.set_number("90126Q21540R2M");
    base_ = client.GetCertificate(get)->certificate();
  }

  static bool WaitFor(const std::function<bool()>& done,
                      absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (!done()) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return true;
  }

  // An issue statement of a certificate of writer `w`, number `serial`.
  v1::SignedStatement Issue(int w, int serial) {
    v1::Certificate c = base_;
    c.set_number(absl::StrCat("90126Q", absl::Dec(w, absl::kZeroPad3),
                              absl::Dec(serial, absl::kZeroPad6), "R2M"));
    c.mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(100000 * w + serial));
    v1::Statement issue;
    issue.set_certificate_number(c.number());
    *issue.mutable_date() = c.issue_date();
    *issue.mutable_issue()->mutable_certificate() = c;
    return *SignStatement(issue, body_keys_[0]);
  }

  // Writers issuing certificates through a client of every replica until
  // Stop(), keeping what was acknowledged.
  void StartWriters(int writers) {
    for (int w = 0; w < writers; ++w) {
      writers_.emplace_back([this, w] {
        RegistryClient client(cluster_->Addresses(), std::chrono::seconds(15));
        for (int i = 0; !stop_writers_; ++i) {
          const v1::SignedStatement statement = Issue(w + 1, i);
          absl::StatusOr<v1::StatementReceipt> receipt =
              client.Submit(v1::STATEMENT_KIND_ISSUE, statement);
          if (!receipt.ok()) continue;
          std::lock_guard<std::mutex> lock(mu_);
          acknowledged_.push_back(
              {receipt->statement_hash(), receipt->leaf_index()});
          last_ack_ = absl::Now();
        }
      });
    }
  }
  void StopWriters() {
    stop_writers_ = true;
    for (std::thread& t : writers_) t.join();
    writers_.clear();
  }
  size_t AcknowledgedCount() {
    std::lock_guard<std::mutex> lock(mu_);
    return acknowledged_.size();
  }
  absl::Time LastAck() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_ack_;
  }

  // Waits until every replica's latest checkpoint has the same size, at
  // least `at_least`; returns that size (0 on a timeout).
  uint64_t Converged(uint64_t at_least) {
    uint64_t size = 0;
    WaitFor(
        [&] {
          std::set<uint64_t> sizes;
          for (int i = 0; i < ClusterProcesses::kMembers; ++i) {
            RegistryClient client(cluster_->ReplicaAddress(i),
                                  std::chrono::seconds(2));
            absl::StatusOr<v1::SignedCheckpoint> latest =
                client.GetCheckpoint();
            v1::Checkpoint checkpoint;
            if (!latest.ok() ||
                !checkpoint.ParseFromString(latest->checkpoint())) {
              return false;
            }
            sizes.insert(checkpoint.tree_size());
          }
          size = *sizes.begin();
          return sizes.size() == 1 && size >= at_least;
        },
        absl::Seconds(60));
    return size;
  }

  // Every replica: the same root at `size`, the same leaves, no statement
  // twice, and every acknowledged statement at the index it was given.
  void ExpectIdenticalLogs(uint64_t size) {
    std::vector<std::string> first_leaves;
    std::string first_root;
    for (int i = 0; i < ClusterProcesses::kMembers; ++i) {
      SCOPED_TRACE(absl::StrCat("replica ", i));
      RegistryClient client(cluster_->ReplicaAddress(i),
                            std::chrono::seconds(10));
      absl::StatusOr<v1::SignedCheckpoint> at = client.GetCheckpoint(size);
      ASSERT_TRUE(at.ok()) << at.status();
      v1::Checkpoint checkpoint;
      ASSERT_TRUE(checkpoint.ParseFromString(at->checkpoint()));
      if (i == 0) first_root = checkpoint.root_hash();
      EXPECT_EQ(checkpoint.root_hash(), first_root);
      std::vector<std::string> hashes;
      for (uint64_t start = 0; start < size; start += 1000) {
        absl::StatusOr<v1::GetEntriesResponse> entries =
            client.GetEntries(start, std::min(size, start + 1000));
        ASSERT_TRUE(entries.ok()) << entries.status();
        for (const v1::LogEntry& entry : entries->entries()) {
          hashes.push_back(StatementHash(entry.signed_statement()));
        }
      }
      ASSERT_EQ(hashes.size(), size);
      EXPECT_EQ(std::set<std::string>(hashes.begin(), hashes.end()).size(),
                size)
          << "a statement appears twice";
      if (i == 0) first_leaves = hashes;
      EXPECT_EQ(hashes, first_leaves);
      std::lock_guard<std::mutex> lock(mu_);
      for (const Acknowledged& ack : acknowledged_) {
        ASSERT_LT(ack.leaf_index, size);
        EXPECT_EQ(hashes[ack.leaf_index], ack.statement_hash)
            << "acknowledged write at " << ack.leaf_index << " missing";
      }
    }
  }

  // The role replica `i` gives in its answers' metadata ("" when it does
  // not answer).
  std::string RoleOf(int i) {
    return AnswerMetadata(cluster_->ReplicaAddress(i), "certreg-role");
  }

  void TearDown() override {
    StopWriters();
    cluster_.reset();
  }

  std::unique_ptr<ClusterProcesses> cluster_;
  std::vector<Ed25519PrivateKey> body_keys_ = {*Ed25519PrivateKey::Generate(),
                                               *Ed25519PrivateKey::Generate()};
  v1::Certificate base_;
  std::atomic<bool> stop_writers_{false};
  std::vector<std::thread> writers_;
  std::mutex mu_;
  std::vector<Acknowledged> acknowledged_;
  absl::Time last_ack_ = absl::InfinitePast();
};

// Ten times: the leader is killed with SIGKILL under write load; another
// replica takes over, writes resume, and the killed one comes back and
// catches up. Failover times are printed for docs/SCALING.md.
TEST_F(ReplicationTest, KillingTheLeaderLosesNoAcknowledgedWrite) {
  StartWriters(3);
  std::vector<double> failover_seconds;
  for (int round = 0; round < 10; ++round) {
    const size_t before = AcknowledgedCount();
    ASSERT_TRUE(WaitFor([&] { return AcknowledgedCount() >= before + 20; },
                        absl::Seconds(60)))
        << "writes stalled in round " << round;
    const int leader = cluster_->Leader();
    ASSERT_GE(leader, 0);
    cluster_->replica(leader).Stop(SIGKILL);
    const absl::Time killed = absl::Now();
    ASSERT_TRUE(WaitFor([&] { return LastAck() > killed; }, absl::Seconds(60)))
        << "no write acknowledged after the leader died (round " << round
        << ")";
    failover_seconds.push_back(absl::ToDoubleSeconds(LastAck() - killed));
    EXPECT_NE(cluster_->Leader(), leader);
    cluster_->StartReplica(leader);
  }
  StopWriters();
  std::sort(failover_seconds.begin(), failover_seconds.end());
  std::printf(
      "{\"failover_seconds\": {\"median\": %.2f, \"max\": %.2f}, "
      "\"acknowledged\": %zu}\n",
      failover_seconds[failover_seconds.size() / 2], failover_seconds.back(),
      AcknowledgedCount());
  uint64_t highest = 0;
  for (const Acknowledged& ack : acknowledged_) {
    highest = std::max(highest, ack.leaf_index + 1);
  }
  const uint64_t size = Converged(highest);
  ASSERT_GE(size, highest);
  ExpectIdenticalLogs(size);
}

// Without a majority of etcd no write is accepted (UNAVAILABLE) while every
// replica still answers reads; once etcd is back, writes resume.
TEST_F(ReplicationTest, WithoutAMajorityOfEtcdWritesStopAndReadsGoOn) {
  cluster_->etcd(1).Stop(SIGKILL);
  cluster_->etcd(2).Stop(SIGKILL);
  RegistryClient writer(cluster_->Addresses(), std::chrono::seconds(8));
  absl::StatusOr<v1::StatementReceipt> refused =
      writer.Submit(v1::STATEMENT_KIND_ISSUE, Issue(1, 1));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable)
      << refused.status();
  for (int i = 0; i < ClusterProcesses::kMembers; ++i) {
    RegistryClient reader(cluster_->ReplicaAddress(i), std::chrono::seconds(5));
    v1::GetCertificateRequest get;
    get.set_number("90126Q21540R2M");
    EXPECT_TRUE(reader.GetCertificate(get).ok()) << "replica " << i;
  }
  cluster_->StartEtcd(1);
  cluster_->StartEtcd(2);
  absl::Status written = absl::UnknownError("not tried");
  WaitFor(
      [&] {
        RegistryClient again(cluster_->Addresses(), std::chrono::seconds(5));
        written = again.Submit(v1::STATEMENT_KIND_ISSUE, Issue(1, 2)).status();
        return written.ok();
      },
      absl::Seconds(60));
  EXPECT_TRUE(written.ok()) << written;
}

// A leader paused (SIGSTOP) past its lease is replaced; resumed, it still
// thinks it leads for a moment, but etcd refuses its append (the fence) and
// the write sent to it is not acknowledged nor in any log.
TEST_F(ReplicationTest, ADeposedLeaderCannotAppend) {
  const int old_leader = cluster_->Leader();
  ASSERT_GE(old_leader, 0);
  kill(cluster_->replica(old_leader).pid(), SIGSTOP);
  ASSERT_TRUE(WaitFor(
      [&] {
        const int now = cluster_->Leader();
        return now >= 0 && now != old_leader;
      },
      absl::Seconds(30)));
  RegistryClient fresh(cluster_->Addresses(), std::chrono::seconds(15));
  ASSERT_TRUE(fresh.Submit(v1::STATEMENT_KIND_ISSUE, Issue(2, 1)).ok());

  // The write reaches the paused process first, then it resumes.
  const v1::SignedStatement late = Issue(2, 2);
  absl::StatusOr<v1::StatementReceipt> answer;
  std::thread sender([&] {
    RegistryClient direct(cluster_->ReplicaAddress(old_leader),
                          std::chrono::seconds(10));
    answer = direct.Submit(v1::STATEMENT_KIND_ISSUE, late);
  });
  absl::SleepFor(absl::Milliseconds(300));
  kill(cluster_->replica(old_leader).pid(), SIGCONT);
  sender.join();
  // Refused outright, or sent on by the client to the new leader (once the
  // old one named it): never appended by the deposed one.
  auto etcd = *EtcdClient::Connect(cluster_->EtcdEndpoints());
  const std::string prefix = Replicator::LogPrefix("main");
  absl::StatusOr<std::vector<EtcdClient::KeyValue>> groups =
      etcd->Range(prefix, PrefixEnd(prefix), 0);
  ASSERT_TRUE(groups.ok()) << groups.status();
  int found = 0;
  for (const EtcdClient::KeyValue& kv : *groups) {
    v1::ReplicatedGroup group;
    ASSERT_TRUE(group.ParseFromString(kv.value));
    for (const v1::SignedStatement& statement : group.statements()) {
      if (StatementHash(statement) != StatementHash(late)) continue;
      ++found;
      EXPECT_NE(group.leader(), absl::StrCat("r", old_leader));
    }
  }
  EXPECT_EQ(found, answer.ok() ? 1 : 0) << answer.status();
  const uint64_t size = Converged(1);
  ASSERT_GT(size, 0u);
  ExpectIdenticalLogs(size);
}

// etcd is not the archive: once every replica has applied a group the
// leader deletes it. A replica whose data is gone cannot catch up from what
// is left and says so; started from another replica's backup, it verifies
// the copy, applies the tail from etcd and holds the same log again.
TEST_F(ReplicationTest, CompactedLogAndANewReplicaFromABackup) {
  for (int i = 0; i < ClusterProcesses::kMembers; ++i) {
    cluster_->replica(i).Stop(SIGTERM);
    cluster_->StartReplica(i, {"--etcd_compact_seconds=1"});
  }
  RegistryClient writer(cluster_->Addresses(), std::chrono::seconds(20));
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(writer.Submit(v1::STATEMENT_KIND_ISSUE, Issue(3, i)).ok());
  }
  auto etcd = *EtcdClient::Connect(cluster_->EtcdEndpoints());
  const std::string prefix = Replicator::LogPrefix("main");
  ASSERT_TRUE(WaitFor(
      [&] {
        auto first = etcd->Range(prefix, PrefixEnd(prefix), 1);
        return first.ok() && !first->empty() &&
               (*first)[0].key != Replicator::LogKey("main", 0);
      },
      absl::Seconds(30)))
      << "the applied groups were not compacted";

  // Replica 2 loses its data: the log it needs is gone from etcd.
  cluster_->replica(2).Stop(SIGTERM);
  std::filesystem::remove_all(cluster_->dir() + "/replica2");
  cluster_->StartReplica(2, {"--etcd_compact_seconds=1"});
  ASSERT_TRUE(
      WaitFor([&] { return RoleOf(2) == "stopped"; }, absl::Seconds(30)));
  // Health checks hear it too, so that load balancers leave it.
  ASSERT_TRUE(WaitFor(
      [&] {
        return RunCommand(RunfilesBinary("tools/certctl"),
                          {"--registry=" + cluster_->ReplicaAddress(2),
                           "--timeout_seconds=2", "health"})
                   .exit_code != 0;
      },
      absl::Seconds(10)));

  // From replica 0's backup it comes back, the tail written meanwhile
  // included.
  const CommandResult backup = RunCommand(
      RunfilesBinary("tools/certctl"),
      {"backup", "seed",
       absl::StrCat("--admin=unix:/tmp/certreg-", getpid(), "-r0.sock")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  ASSERT_TRUE(writer.Submit(v1::STATEMENT_KIND_ISSUE, Issue(3, 100)).ok());
  cluster_->replica(2).Stop(SIGTERM);
  std::filesystem::remove_all(cluster_->dir() + "/replica2");
  std::filesystem::copy(cluster_->dir() + "/replica0-backups/seed",
                        cluster_->dir() + "/replica2",
                        std::filesystem::copy_options::recursive);
  cluster_->StartReplica(2, {"--etcd_compact_seconds=1"});
  ASSERT_TRUE(
      WaitFor([&] { return RoleOf(2) == "follower"; }, absl::Seconds(30)));
  const uint64_t size = Converged(1);
  ASSERT_GT(size, 0u);
  ExpectIdenticalLogs(size);
}

}  // namespace
}  // namespace certreg
