#ifndef CERTREG_TESTS_CLUSTER_PROCESSES_H_
#define CERTREG_TESTS_CLUSTER_PROCESSES_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "certreg/v1/replication.pb.h"
#include "registry/replication/etcd_client.h"
#include "registry/replication/replicator.h"
#include "tests/child_process.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"

namespace certreg {

// A replicated registry on loopback for tests: three etcd members (Debian's
// /usr/bin/etcd) and three certreg-registry replicas, each a child process
// that can be killed, stopped and started again on its data directory.
class ClusterProcesses {
 public:
  static constexpr int kMembers = 3;

  // Keys and directories under `dir`; nothing runs yet.
  explicit ClusterProcesses(std::string dir) : dir_(std::move(dir)) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    WriteKeyPair(operator_key_, dir_ + "/operator.key", dir_ + "/operator.pub")
        .IgnoreError();
    WriteKeyPair(*Ed25519PrivateKey::Generate(), dir_ + "/log.key",
                 dir_ + "/log.pub")
        .IgnoreError();
    etcd_.resize(kMembers);
    replicas_.resize(kMembers);
  }

  // Ports 30000-32699, below Linux's ephemeral range and above TestPort's,
  // nine per test process.
  int Port(int k) const { return 30000 + (getpid() % 300) * 9 + k; }
  int EtcdPort(int i) const { return Port(i); }
  int ReplicaPort(int i) const { return Port(6 + i); }
  std::string ReplicaAddress(int i) const {
    return absl::StrCat("127.0.0.1:", ReplicaPort(i));
  }
  std::string EtcdEndpoints() const {
    std::vector<std::string> endpoints;
    for (int i = 0; i < kMembers; ++i) {
      endpoints.push_back(absl::StrCat("127.0.0.1:", EtcdPort(i)));
    }
    return absl::StrJoin(endpoints, ",");
  }
  // Every replica, for a client that follows the leader.
  std::string Addresses() const {
    std::vector<std::string> addresses;
    for (int i = 0; i < kMembers; ++i) addresses.push_back(ReplicaAddress(i));
    return absl::StrJoin(addresses, ",");
  }
  const std::string& dir() const { return dir_; }
  const Ed25519PrivateKey& operator_key() const { return operator_key_; }

  void StartEtcd(int i) {
    std::vector<std::string> peers;
    for (int k = 0; k < kMembers; ++k) {
      peers.push_back(absl::StrCat("e", k, "=http://127.0.0.1:", Port(3 + k)));
    }
    const std::string client = absl::StrCat("http://127.0.0.1:", EtcdPort(i));
    const std::string peer = absl::StrCat("http://127.0.0.1:", Port(3 + i));
    etcd_[i] = std::make_unique<ChildProcess>(
        "/usr/bin/etcd",
        std::vector<std::string>{
            absl::StrCat("--name=e", i),
            absl::StrCat("--data-dir=", dir_, "/etcd", i),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client, "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=" + absl::StrJoin(peers, ","),
            "--initial-cluster-state=new",
            "--initial-cluster-token=certreg-test", "--log-level=error"},
        absl::StrCat(dir_, "/etcd", i, ".", ++starts_, ".err"));
  }

  void StartReplica(int i, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        absl::StrCat("--data_dir=", dir_, "/replica", i),
        "--operator_public_key=" + dir_ + "/operator.pub",
        "--log_private_key=" + dir_ + "/log.key",
        "--listen=" + ReplicaAddress(i),
        absl::StrCat("--admin_socket=unix:/tmp/certreg-", getpid(), "-r", i,
                     ".sock"),
        "--metrics_listen=",
        "--etcd_endpoints=" + EtcdEndpoints(),
        absl::StrCat("--replica_name=r", i),
        "--checkpoint_resign_seconds=1"};
    args.insert(args.end(), extra.begin(), extra.end());
    replicas_[i] = std::make_unique<ChildProcess>(
        RunfilesBinary("registry/certreg-registry"), args,
        absl::StrCat(dir_, "/replica", i, ".", ++starts_, ".err"));
  }

  ChildProcess& etcd(int i) { return *etcd_[i]; }
  ChildProcess& replica(int i) { return *replicas_[i]; }

  // The replica etcd says leads now (0 to 2), or -1.
  int Leader() {
    if (client_ == nullptr) {
      client_ = *EtcdClient::Connect(EtcdEndpoints(), absl::Seconds(2));
    }
    absl::StatusOr<std::string> value =
        client_->LeaderValue(Replicator::ElectionName("main"));
    v1::ReplicaAddress leader;
    if (!value.ok() || !leader.ParseFromString(*value)) return -1;
    for (int i = 0; i < kMembers; ++i) {
      if (leader.address() == ReplicaAddress(i)) return i;
    }
    return -1;
  }

 private:
  std::string dir_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::vector<std::unique_ptr<ChildProcess>> etcd_;
  std::vector<std::unique_ptr<ChildProcess>> replicas_;
  std::unique_ptr<EtcdClient> client_;
  int starts_ = 0;
};

}  // namespace certreg

#endif  // CERTREG_TESTS_CLUSTER_PROCESSES_H_
