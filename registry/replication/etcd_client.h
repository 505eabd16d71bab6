#ifndef CERTREG_REGISTRY_REPLICATION_ETCD_CLIENT_H_
#define CERTREG_REGISTRY_REPLICATION_ETCD_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "etcd/etcdserver/api/v3election/v3electionpb/v3election.grpc.pb.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

namespace certreg {

// The few calls of etcd v3's gRPC API (KV, Lease, Election) a replicated
// registry needs, over stubs generated from etcd's own .proto files. One
// channel to every endpoint: gRPC moves to another member when one stops
// answering. Errors are absl::Status: UNAVAILABLE when etcd cannot be
// reached or has no quorum, FAILED_PRECONDITION when a fenced write lost
// its fence.
class EtcdClient {
 public:
  // A key and its value.
  struct KeyValue {
    std::string key;
    std::string value;
  };
  // Leadership as etcd's election API grants it: the candidate's key under
  // the election's prefix and its create revision, the fence of every
  // write the leader makes.
  struct Leadership {
    std::string key;
    int64_t revision = 0;
    int64_t lease = 0;
  };

  // `endpoints`: comma-separated host:port of etcd's client URLs.
  // INVALID_ARGUMENT when empty. Each call gets `timeout`.
  static absl::StatusOr<std::unique_ptr<EtcdClient>> Connect(
      const std::string& endpoints, absl::Duration timeout = absl::Seconds(5));

  // A lease that ends `ttl` after its last refresh; its id.
  absl::StatusOr<int64_t> GrantLease(absl::Duration ttl);
  // Refreshes `lease`; NOT_FOUND once it has expired.
  absl::Status KeepAlive(int64_t lease);
  absl::Status RevokeLease(int64_t lease);

  // Campaigns in election `name` with `value`, held by `lease`; returns once
  // elected, or DEADLINE_EXCEEDED after `wait` (the candidacy is withdrawn).
  absl::StatusOr<Leadership> Campaign(const std::string& name, int64_t lease,
                                      const std::string& value,
                                      absl::Duration wait);
  // The value of election `name`'s leader; NOT_FOUND when none.
  absl::StatusOr<std::string> LeaderValue(const std::string& name);
  absl::Status Resign(const Leadership& leadership);

  // Keys in [from, to) in order (DESCEND: from the last), at most `limit`
  // (0: all).
  absl::StatusOr<std::vector<KeyValue>> Range(const std::string& from,
                                              const std::string& to,
                                              int64_t limit,
                                              bool descending = false);
  absl::Status Put(const std::string& key, const std::string& value,
                   int64_t lease = 0);
  // Writes `key` = `value` if and only if `leadership` still holds (its key
  // still has its create revision) and `key` does not exist, in one
  // transaction. FAILED_PRECONDITION when either fails.
  absl::Status PutIfLeader(const Leadership& leadership, const std::string& key,
                           const std::string& value);
  // Deletes the keys in [from, to).
  absl::Status DeleteRange(const std::string& from, const std::string& to);

 private:
  EtcdClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);
  void SetDeadline(grpc::ClientContext& context) const;

  const absl::Duration timeout_;
  std::unique_ptr<etcdserverpb::KV::Stub> kv_;
  std::unique_ptr<etcdserverpb::Lease::Stub> lease_;
  std::unique_ptr<v3electionpb::Election::Stub> election_;
};

// The key just after every key starting with `prefix` (etcd's range end
// for "all keys with this prefix").
std::string PrefixEnd(const std::string& prefix);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_REPLICATION_ETCD_CLIENT_H_
