#ifndef CERTREG_REGISTRY_REPLICATION_REPLICATOR_H_
#define CERTREG_REGISTRY_REPLICATION_REPLICATOR_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "certreg/v1/replication.pb.h"
#include "registry/core/registry.h"
#include "registry/replication/etcd_client.h"

namespace certreg {

struct ReplicationOptions {
  // etcd's client URLs, comma-separated host:port.
  std::string etcd_endpoints;
  // The deployment's keys live under /certreg/CLUSTER/ in etcd.
  std::string cluster = "main";
  // This replica's name, unique in the deployment.
  std::string replica_name;
  // host:port where clients reach this replica's gRPC service (what a
  // follower names when it refuses a write).
  std::string advertise_address;
  // A leader that cannot refresh its lease for this long is no longer the
  // leader; another takes over within about this long.
  absl::Duration lease_ttl = absl::Seconds(3);
  // The largest commit group (statements, bytes) appended in one etcd
  // transaction; etcd refuses requests over 1.5 MiB by default.
  size_t max_group_statements = 500;
  size_t max_group_bytes = 1 << 20;
  // How often a replica looks for groups it has not applied.
  absl::Duration poll_interval = absl::Milliseconds(20);
  // How often each replica records in etcd how much it has applied, and the
  // leader deletes the groups every replica has applied (etcd is not the
  // archive: each replica's database is, and a new replica starts from a
  // backup of one). Zero: never compacted.
  absl::Duration compact_interval = absl::Seconds(30);
  // Told what the replica is doing (elected, stepped down, stopped
  // applying), for the server's log.
  std::function<void(absl::string_view)> log;
};

// A registry replica in replicated mode (docs/SCALING.md): replicas campaign
// for leadership with etcd's election API on a lease; the leader checks
// each statement as a single registry would, appends each commit group to
// etcd in one transaction fenced by its leadership, and acknowledges a
// statement once etcd has committed it (durable on a majority) and it is
// applied here. Every replica, the leader included, applies the groups in
// etcd's order to its own RocksDB through the same writer, so every replica
// holds the same leaves, roots and records. A follower refuses writes
// (FAILED_PRECONDITION naming the leader's address).
//
// A replica whose state cannot take a group the leader accepted (it
// diverged: damaged or restored from another deployment) stops applying,
// stops campaigning and says why; it keeps serving what it has, stale.
class Replicator final : public WriteRouter {
 public:
  // Connects to etcd and starts the threads; the registry must outlive the
  // replicator and route its writes here (Registry::set_write_router).
  // INVALID_ARGUMENT for missing options.
  static absl::StatusOr<std::unique_ptr<Replicator>> Start(
      Registry* registry, ReplicationOptions options);
  // Stops the threads, resigns leadership and answers every write waiting
  // (UNAVAILABLE); writes from then on are refused. Idempotent.
  void Stop();
  ~Replicator() override { Stop(); }

  void SubmitAsync(
      v1::StatementKind expected_kind, v1::SignedStatement signed_statement,
      std::function<void(absl::StatusOr<v1::StatementReceipt>)> done) override;
  absl::Status Accepting() const override;

  bool is_leader() const { return leader_.load(); }
  // Statements applied here (the local log's size).
  uint64_t applied() const { return registry_.size(); }
  // Why this replica stopped applying; OK while it follows.
  absl::Status failure() const;
  // "leader", "follower" or "stopped".
  std::string role() const;

  // etcd keys, for tools and tests.
  static std::string LogKey(const std::string& cluster, uint64_t first_leaf);
  static std::string LogPrefix(const std::string& cluster);
  static std::string ElectionName(const std::string& cluster);
  static std::string AppliedPrefix(const std::string& cluster);

 private:
  struct Pending {
    v1::StatementKind expected_kind;
    v1::SignedStatement statement;
    std::string certificate_number;  // empty for authority and rules
    std::function<void(absl::StatusOr<v1::StatementReceipt>)> done;
  };

  Replicator(Registry* registry, ReplicationOptions options,
             std::unique_ptr<EtcdClient> etcd)
      : registry_(*registry),
        options_(std::move(options)),
        etcd_(std::move(etcd)) {}

  void ElectionLoop();
  // Holds leadership: refreshes the lease until it cannot, then steps down.
  void Lead(const EtcdClient::Leadership& leadership);
  void ApplyLoop();
  // Records how much this replica applied; the leader also deletes the
  // groups every replica recorded as applied.
  void RecordApplied();
  absl::Status Compact();
  // Applies every group etcd has beyond the local log; OK when caught up.
  absl::Status CatchUp() ABSL_LOCKS_EXCLUDED(apply_mu_);
  // Applies what of `group` this replica lacks; `receipts` (when given)
  // gets one per statement applied. A refusal that says this replica's
  // state is not the leader's stops it (failure()).
  absl::Status ApplyGroup(const v1::ReplicatedGroup& group,
                          std::vector<v1::StatementReceipt>* receipts = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  // Stops this replica following the log, saying why.
  absl::Status StopFollowing(absl::Status why);
  // The leader's loop: forms, appends and applies commit groups.
  void GroupLoop();
  // Takes the next group's statements from the queue (checked, in order;
  // those refused are answered at once).
  std::vector<Pending> FormGroup(absl::CivilDay today);
  void Append(std::vector<Pending> group, absl::CivilDay today,
              const EtcdClient::Leadership& leadership);
  // Answers every statement waiting with `status`.
  void FailPending(const absl::Status& status);
  absl::Status NotLeader() const;
  void Log(absl::string_view line) const;

  Registry& registry_;
  const ReplicationOptions options_;
  const std::unique_ptr<EtcdClient> etcd_;

  absl::Notification stop_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> leader_{false};
  std::thread election_thread_, apply_thread_, group_thread_;

  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  std::optional<EtcdClient::Leadership> leadership_ ABSL_GUARDED_BY(mu_);
  std::string leader_address_ ABSL_GUARDED_BY(mu_);
  // When etcd last named the leader: a follower that cannot reach etcd
  // names none after a lease's time.
  absl::Time leader_seen_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status failure_ ABSL_GUARDED_BY(mu_);

  // Held while a group is applied: the leader's own groups and the apply
  // loop's never interleave.
  absl::Mutex apply_mu_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_REPLICATION_REPLICATOR_H_
