#include "registry/replication/replicator.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Groups read from etcd at a time.
constexpr int64_t kGroupsPerRead = 16;

// The certificate a statement is about; empty for authority and rules
// statements, which go into a group of their own.
std::string CertificateOf(const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::Statement> statement =
      ParseSignedStatement(signed_statement);
  if (!statement.ok()) return "?";  // refused by the check anyway
  const v1::StatementKind kind = KindOf(*statement);
  if (kind == v1::STATEMENT_KIND_PUBLISH_RULES || IsAuthorityKind(kind)) {
    return "";
  }
  return statement->certificate_number();
}

// `status` marked as worth a retry in a moment, once a leader is elected.
absl::Status LeaderChanging(absl::Status status) {
  return WithRetryInfo(WithErrorInfo(std::move(status), kLeaderChangingReason),
                       absl::Milliseconds(500));
}

}  // namespace

std::string Replicator::LogPrefix(const std::string& cluster) {
  return absl::StrCat("/certreg/", cluster, "/log/");
}

std::string Replicator::LogKey(const std::string& cluster,
                               uint64_t first_leaf) {
  return absl::StrFormat("%s%020u", LogPrefix(cluster), first_leaf);
}

std::string Replicator::AppliedPrefix(const std::string& cluster) {
  return absl::StrCat("/certreg/", cluster, "/applied/");
}

std::string Replicator::ElectionName(const std::string& cluster) {
  return absl::StrCat("/certreg/", cluster, "/leader");
}

absl::StatusOr<std::unique_ptr<Replicator>> Replicator::Start(
    Registry* registry, ReplicationOptions options) {
  if (options.replica_name.empty()) {
    return absl::InvalidArgumentError(
        "replica_name: empty (each replica needs a name of its own)");
  }
  if (options.advertise_address.empty()) {
    return absl::InvalidArgumentError(
        "advertise_address: empty (where clients reach this replica)");
  }
  if (options.lease_ttl < absl::Seconds(1)) {
    return absl::InvalidArgumentError("lease_ttl: at least a second");
  }
  CERTREG_ASSIGN_OR_RETURN(std::unique_ptr<EtcdClient> etcd,
                           EtcdClient::Connect(options.etcd_endpoints));
  std::unique_ptr<Replicator> replicator(
      new Replicator(registry, std::move(options), std::move(etcd)));
  Replicator* r = replicator.get();
  r->apply_thread_ = std::thread([r] { r->ApplyLoop(); });
  r->election_thread_ = std::thread([r] { r->ElectionLoop(); });
  r->group_thread_ = std::thread([r] { r->GroupLoop(); });
  return replicator;
}

void Replicator::Stop() {
  stopping_ = true;
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (std::thread* thread :
       {&group_thread_, &election_thread_, &apply_thread_}) {
    if (thread->joinable()) thread->join();
  }
  FailPending(absl::UnavailableError("the replica is stopping"));
}

void Replicator::Log(absl::string_view line) const {
  if (options_.log) options_.log(line);
}

absl::Status Replicator::failure() const {
  absl::MutexLock lock(&mu_);
  return failure_;
}

std::string Replicator::role() const {
  if (!failure().ok()) return "stopped";
  return leader_ ? "leader" : "follower";
}

absl::Status Replicator::NotLeader() const {
  absl::MutexLock lock(&mu_);
  if (!failure_.ok()) {
    return absl::UnavailableError(
        absl::StrCat("this replica (", options_.replica_name,
                     ") stopped following the log: ", failure_.message()));
  }
  if (leader_address_.empty() ||
      absl::Now() - leader_seen_ > options_.lease_ttl) {
    return LeaderChanging(absl::UnavailableError(
        "no replica is known to lead (an election is under way, or etcd "
        "cannot be reached); retry in a few seconds"));
  }
  return WithErrorInfo(
      absl::FailedPreconditionError(
          absl::StrCat("this replica (", options_.replica_name,
                       ") is a follower and takes no writes; the leader is at ",
                       leader_address_, " (send writes there)")),
      kNotLeaderReason, {{kLeaderFact, leader_address_}});
}

absl::Status Replicator::Accepting() const {
  if (stopping_) return absl::UnavailableError("the replica is stopping");
  return leader_ ? absl::OkStatus() : NotLeader();
}

void Replicator::SubmitAsync(
    v1::StatementKind expected_kind, v1::SignedStatement signed_statement,
    std::function<void(absl::StatusOr<v1::StatementReceipt>)> done) {
  if (absl::Status accepting = Accepting(); !accepting.ok()) {
    done(accepting);
    return;
  }
  std::string number = CertificateOf(signed_statement);
  absl::MutexLock lock(&mu_);
  queue_.push_back(Pending{expected_kind, std::move(signed_statement),
                           std::move(number), std::move(done)});
}

void Replicator::FailPending(const absl::Status& status) {
  std::deque<Pending> failed;
  {
    absl::MutexLock lock(&mu_);
    failed.swap(queue_);
  }
  for (Pending& pending : failed) pending.done(status);
}

// --- Election ---------------------------------------------------------

void Replicator::ElectionLoop() {
  v1::ReplicaAddress me;
  me.set_name(options_.replica_name);
  me.set_address(options_.advertise_address);
  const std::string value = me.SerializeAsString();
  const std::string election = ElectionName(options_.cluster);
  while (!stop_.HasBeenNotified()) {
    if (!failure().ok()) {  // a diverged replica never leads
      stop_.WaitForNotificationWithTimeout(absl::Seconds(1));
      continue;
    }
    absl::StatusOr<int64_t> lease = etcd_->GrantLease(options_.lease_ttl);
    if (!lease.ok()) {
      stop_.WaitForNotificationWithTimeout(absl::Milliseconds(500));
      continue;
    }
    while (!stop_.HasBeenNotified() && failure().ok()) {
      // Who leads now, for the writes a follower refuses.
      if (absl::StatusOr<std::string> current = etcd_->LeaderValue(election);
          current.ok()) {
        v1::ReplicaAddress leader;
        if (leader.ParseFromString(*current)) {
          absl::MutexLock lock(&mu_);
          leader_address_ = leader.address();
          leader_seen_ = absl::Now();
        }
      }
      absl::StatusOr<EtcdClient::Leadership> won =
          etcd_->Campaign(election, *lease, value, options_.lease_ttl / 3);
      if (won.ok()) {
        Lead(*won);
        break;
      }
      if (!absl::IsDeadlineExceeded(won.status())) {
        stop_.WaitForNotificationWithTimeout(absl::Milliseconds(200));
      }
      if (!etcd_->KeepAlive(*lease).ok()) break;  // a new lease, then
    }
  }
}

void Replicator::Lead(const EtcdClient::Leadership& leadership) {
  // First everything the last leader appended: each write is checked
  // against the whole log.
  absl::Time refreshed = absl::Now();
  while (!stop_.HasBeenNotified()) {
    if (CatchUp().ok()) break;
    if (etcd_->KeepAlive(leadership.lease).ok()) refreshed = absl::Now();
    if (absl::Now() - refreshed > options_.lease_ttl / 2) break;
    stop_.WaitForNotificationWithTimeout(options_.poll_interval);
  }
  if (stop_.HasBeenNotified() || !failure().ok() ||
      absl::Now() - refreshed > options_.lease_ttl / 2) {
    etcd_->Resign(leadership).IgnoreError();
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    leadership_ = leadership;
    leader_address_ = options_.advertise_address;
  }
  leader_ = true;
  Log(absl::StrCat("elected leader at log size ", registry_.size()));
  // A leader that cannot refresh its lease steps down well before etcd
  // lets the lease expire; its appends are fenced anyway.
  while (!stop_.HasBeenNotified() && leader_ && failure().ok()) {
    stop_.WaitForNotificationWithTimeout(options_.lease_ttl / 6);
    const absl::Status kept = etcd_->KeepAlive(leadership.lease);
    if (kept.ok()) {
      refreshed = absl::Now();
    } else if (absl::IsNotFound(kept) ||
               absl::Now() - refreshed > options_.lease_ttl / 2) {
      Log(absl::StrCat("stepping down: ", kept.message()));
      break;
    }
  }
  leader_ = false;
  {
    absl::MutexLock lock(&mu_);
    leadership_.reset();
    leader_address_.clear();
  }
  FailPending(LeaderChanging(absl::UnavailableError(
      "the leader stepped down before this write was appended; retry (on "
      "the new leader)")));
  etcd_->Resign(leadership).IgnoreError();
  etcd_->RevokeLease(leadership.lease).IgnoreError();
}

// --- Applying -----------------------------------------------------------

void Replicator::ApplyLoop() {
  absl::Time recorded = absl::Now();
  while (!stop_.HasBeenNotified()) {
    if (failure().ok() && !leader_) CatchUp().IgnoreError();
    if (options_.compact_interval > absl::ZeroDuration() &&
        absl::Now() - recorded >= options_.compact_interval) {
      recorded = absl::Now();
      RecordApplied();
    }
    stop_.WaitForNotificationWithTimeout(options_.poll_interval);
  }
}

void Replicator::RecordApplied() {
  if (!failure().ok()) return;
  etcd_
      ->Put(AppliedPrefix(options_.cluster) + options_.replica_name,
            std::to_string(registry_.size()))
      .IgnoreError();
  if (leader_) {
    if (absl::Status compacted = Compact(); !compacted.ok()) {
      Log(absl::StrCat("compaction: ", compacted.message()));
    }
  }
}

absl::Status Replicator::Compact() {
  // The least any replica has applied. A replica retired for good keeps
  // its key (and the log) until an operator deletes it.
  const std::string applied = AppliedPrefix(options_.cluster);
  CERTREG_ASSIGN_OR_RETURN(std::vector<EtcdClient::KeyValue> replicas,
                           etcd_->Range(applied, PrefixEnd(applied), 0));
  uint64_t least = registry_.size();
  for (const EtcdClient::KeyValue& kv : replicas) {
    uint64_t size = 0;
    if (!absl::SimpleAtoi(kv.value, &size)) continue;
    least = std::min(least, size);
  }
  // Every group before the one holding `least` is applied everywhere.
  const std::string prefix = LogPrefix(options_.cluster);
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<EtcdClient::KeyValue> holding,
      etcd_->Range(prefix, LogKey(options_.cluster, least) + '\0', 1,
                   /*descending=*/true));
  if (holding.empty()) return absl::OkStatus();
  return etcd_->DeleteRange(prefix, holding[0].key);
}

absl::Status Replicator::CatchUp() {
  absl::MutexLock apply(&apply_mu_);
  const std::string prefix = LogPrefix(options_.cluster);
  for (;;) {
    const uint64_t next = registry_.size();
    // The group holding `next` (the last key at or before it) may have
    // been applied in part by a replica killed mid-group.
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<EtcdClient::KeyValue> holding,
        etcd_->Range(prefix, LogKey(options_.cluster, next) + '\0', 1,
                     /*descending=*/true));
    std::string from = LogKey(options_.cluster, next);
    if (!holding.empty()) from = holding[0].key;
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<EtcdClient::KeyValue> groups,
        etcd_->Range(from, PrefixEnd(prefix), kGroupsPerRead));
    if (!groups.empty() && holding.empty() && next > 0) {
      return StopFollowing(absl::DataLossError(absl::StrCat(
          "this replica has ", next, " entries but etcd's log starts at ",
          groups[0].key,
          ": the entries between were compacted away (start this replica "
          "from a newer backup of another replica)")));
    }
    for (const EtcdClient::KeyValue& kv : groups) {
      v1::ReplicatedGroup group;
      if (!group.ParseFromString(kv.value)) {
        return StopFollowing(absl::DataLossError(
            absl::StrCat("etcd key ", kv.key, " is not a replicated group")));
      }
      CERTREG_RETURN_IF_ERROR(ApplyGroup(group));
    }
    if (groups.size() < static_cast<size_t>(kGroupsPerRead)) {
      return absl::OkStatus();
    }
  }
}

absl::Status Replicator::StopFollowing(absl::Status why) {
  Log(why.message());
  absl::MutexLock lock(&mu_);
  if (failure_.ok()) failure_ = std::move(why);
  return failure_;
}

absl::Status Replicator::ApplyGroup(
    const v1::ReplicatedGroup& group,
    std::vector<v1::StatementReceipt>* receipts) {
  const uint64_t size = registry_.size();
  const uint64_t first = group.first_leaf_index();
  const uint64_t count = group.statements_size();
  if (first + count <= size) return absl::OkStatus();  // applied before
  absl::Status refused;
  if (first > size) {
    refused = absl::DataLossError(absl::StrCat(
        "etcd's next group starts at entry ", first, " but this replica has ",
        size,
        " entries: the entries between were compacted away (start this "
        "replica from a backup of another: certctl backup, then its "
        "directory as --data_dir)"));
  } else {
    const std::vector<v1::SignedStatement> statements(
        group.statements().begin() + (size - first), group.statements().end());
    for (absl::StatusOr<v1::StatementReceipt>& receipt :
         registry_.ApplyReplicated(statements, ToCivilDay(group.day()))) {
      if (!receipt.ok()) {
        refused = receipt.status();
        break;
      }
      if (receipts != nullptr) receipts->push_back(*std::move(receipt));
    }
  }
  if (refused.ok()) return absl::OkStatus();
  if (!IsVerdict(refused)) return refused;  // tried again later
  return StopFollowing(absl::DataLossError(absl::StrCat(
      "entry ", registry_.size(), " (group of ", group.leader(), " at ", first,
      ") was accepted by the leader but this replica refuses it: ",
      refused.message(),
      "; this replica's data is not the deployment's (restore it from a "
      "replica's backup)")));
}

// --- Leading --------------------------------------------------------------

void Replicator::GroupLoop() {
  while (!stop_.HasBeenNotified()) {
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty();
      };
      mu_.AwaitWithTimeout(absl::Condition(&work), absl::Milliseconds(100));
      if (queue_.empty()) continue;
    }
    if (!leader_) {
      FailPending(NotLeader());
      continue;
    }
    std::optional<EtcdClient::Leadership> leadership;
    {
      absl::MutexLock lock(&mu_);
      leadership = leadership_;
    }
    if (!leadership.has_value()) continue;
    absl::MutexLock apply(&apply_mu_);
    const absl::CivilDay today = registry_.Today();
    std::vector<Pending> group = FormGroup(today);
    if (!group.empty()) Append(std::move(group), today, *leadership);
  }
}

std::vector<Replicator::Pending> Replicator::FormGroup(absl::CivilDay today) {
  std::deque<Pending> candidates;
  {
    absl::MutexLock lock(&mu_);
    candidates.swap(queue_);
  }
  std::vector<Pending> group;
  std::deque<Pending> deferred;  // for the next group, in order
  std::set<std::string> numbers;
  size_t bytes = 0;
  bool closed = false;
  for (Pending& pending : candidates) {
    const bool alone = pending.certificate_number.empty();
    if (closed || (alone && !group.empty()) ||
        numbers.count(pending.certificate_number) > 0) {
      // A statement about a certificate already in the group builds on
      // it: it waits for the next group, as does everything after a
      // statement that must be alone.
      deferred.push_back(std::move(pending));
      if (alone) closed = true;
      continue;
    }
    const absl::Status checked = registry_.CheckForReplication(
        pending.expected_kind, pending.statement, today);
    if (!checked.ok()) {
      pending.done(checked);
      continue;
    }
    bytes += pending.statement.ByteSizeLong();
    numbers.insert(pending.certificate_number);
    group.push_back(std::move(pending));
    closed = alone || group.size() >= options_.max_group_statements ||
             bytes >= options_.max_group_bytes;
  }
  absl::MutexLock lock(&mu_);
  while (!deferred.empty()) {
    queue_.push_front(std::move(deferred.back()));
    deferred.pop_back();
  }
  return group;
}

void Replicator::Append(std::vector<Pending> group, absl::CivilDay today,
                        const EtcdClient::Leadership& leadership) {
  v1::ReplicatedGroup replicated;
  replicated.set_first_leaf_index(registry_.size());
  *replicated.mutable_day() = ToProtoDate(today);
  replicated.set_leader(options_.replica_name);
  for (const Pending& pending : group) {
    *replicated.add_statements() = pending.statement;
  }
  const absl::Status appended = etcd_->PutIfLeader(
      leadership, LogKey(options_.cluster, replicated.first_leaf_index()),
      replicated.SerializeAsString());
  absl::Status answer;
  if (absl::IsFailedPrecondition(appended)) {
    leader_ = false;  // deposed: the loop in Lead steps down
    answer = LeaderChanging(absl::UnavailableError(absl::StrCat(
        "not written: this replica's leadership ended before etcd took the "
        "write (",
        appended.message(), "); retry on the new leader")));
  } else if (!appended.ok()) {
    answer = absl::UnavailableError(absl::StrCat(
        "etcd did not confirm the write, so whether it was made is unknown (",
        appended.message(),
        "); retry: a statement already written is refused as a duplicate"));
  }
  if (!answer.ok()) {
    for (Pending& pending : group) pending.done(answer);
    return;
  }
  // Durable on a majority of etcd: apply it here, then acknowledge.
  const uint64_t first = replicated.first_leaf_index();
  std::vector<v1::StatementReceipt> receipts;
  const absl::Status applied = ApplyGroup(replicated, &receipts);
  for (size_t i = 0; i < group.size(); ++i) {
    if (applied.ok() && i < receipts.size()) {
      group[i].done(std::move(receipts[i]));
      continue;
    }
    group[i].done(absl::UnavailableError(absl::StrCat(
        "written to the replicated log (entry ", first + i,
        ") but not applied on the leader yet: ", applied.message())));
  }
}

}  // namespace certreg
