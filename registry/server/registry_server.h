#ifndef CERTREG_REGISTRY_SERVER_REGISTRY_SERVER_H_
#define CERTREG_REGISTRY_SERVER_REGISTRY_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/server.h"
#include "registry/core/registry.h"
#include "registry/mirror/mirror_follower.h"
#include "registry/replication/replicator.h"
#include "registry/server/admin_service.h"
#include "registry/server/backup.h"
#include "registry/server/registry_metrics.h"
#include "registry/server/registry_service.h"
#include "registry/server/webhook_dispatcher.h"
#include "registry/storage/rocksdb_store.h"
#include "verifier/grpc/call_quota.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/server_observability.h"

namespace certreg {

struct RegistryServerOptions {
  // How gRPC serves: the address (127.0.0.1:50051 unless set; port 0 picks
  // a free port, see RegistryServer::port()), the largest request, and the
  // limits on client connections.
  GrpcServerOptions serving = [] {
    GrpcServerOptions serving;
    serving.listen_address = "127.0.0.1:50051";
    return serving;
  }();
  // The RocksDB data directory; created when missing or empty. One that
  // holds files but no database is refused.
  std::string data_dir;
  // RocksDB tuning (block cache size, bloom filters).
  RocksDbStoreOptions store;
  // The registry operator's public key, the log key and clock. Its
  // published_checkpoint_file defaults to DATA_DIR/published_checkpoint.
  RegistryOptions registry;
  // The admin socket (unix:PATH, mode 0700): the admin service for the
  // registry's own user. Empty: none. Over TLS with
  // serving.tls->client_ca_file, administrators with a client certificate
  // may call it on the main address too.
  std::string admin_socket;
  // Where AdminService.Backup writes backups; empty disables backups.
  std::string backup_dir;
  // How often a checkpoint is published while there are new entries.
  absl::Duration checkpoint_interval = absl::Seconds(1);
  // Writes are refused while less than this is free on the data
  // directory's filesystem; 0: no watermark. A start with less than this
  // free opens the database read-only (reads, bundles and verification
  // work; writes are RESOURCE_EXHAUSTED), as does a start whose read-write
  // open runs out of space.
  uint64_t min_free_disk_bytes = uint64_t{64} << 20;
  // A full scrub (see Registry::Scrub) runs this often in the background,
  // its result on stderr; zero or less: never.
  absl::Duration scrub_interval = absl::Hours(24);
  // Metrics and the access log of both listeners (metrics listener,
  // access log); the registry's own metrics are added (registry_metrics.h).
  ObservabilityOptions observability;
  // Quotas per client and class of call (call_quota.h).
  QuotaOptions quota;
  // Keep what is provably intact of a damaged data directory instead of
  // refusing it (see repair.h).
  bool repair = false;
  // Called once, from the publishing thread, when a registry that started
  // read-only finds the watermark free again: its database is to be
  // reopened for writing (the registry binary restarts itself).
  std::function<void()> on_writable_again;
  // Webhook deliveries of the watchlists (sent while writable).
  WebhookOptions webhooks;
  // Bounds on the streams (watch_stream.h).
  StreamLimits streams;
  // Replicated mode (replicator.h) when set: writes go through etcd and the
  // leader; none: a single registry on its own RocksDB.
  std::optional<ReplicationOptions> replication;
  // A verifying mirror (mirror_follower.h) of the registry named there when
  // set: registry.log_key unset, registry.log_public_key the registry's.
  std::optional<MirrorOptions> mirror;
  // How long Shutdown lets running calls finish before cancelling them.
  // gRPC waits this long whenever a client holds a connection, idle or not,
  // so it also bounds how long a stop takes.
  absl::Duration shutdown_grace = kShutdownGrace;
};

// The registry process's server: the data directory, the gRPC services, gRPC
// health checking and server reflection.
//
// Example:
//   auto server = RegistryServer::Start(options);
//   if (!server.ok()) { ...print server.status()... }
//   ...wait for SIGTERM...
//   (*server)->Shutdown();
class RegistryServer {
 public:
  // Opens (or creates) the data directory and starts serving. Errors:
  // FAILED_PRECONDITION when another process uses the data directory or it
  // holds files but no database, DATA_LOSS when it is damaged or its log is
  // shorter than the checkpoint it published (each saying what to do),
  // UNAVAILABLE when the address cannot be bound or storage fails,
  // INVALID_ARGUMENT for bad options.
  static absl::StatusOr<std::unique_ptr<RegistryServer>> Start(
      const RegistryServerOptions& options);

  ~RegistryServer();

  // The port actually bound.
  int port() const { return port_; }
  // host:port actually bound.
  const std::string& address() const { return address_; }
  // The metrics listener's host:port; empty when there is none.
  const std::string& metrics_address() const {
    return observability_->metrics_address();
  }
  // The admin socket's address (unix:PATH); empty when there is none.
  const std::string& admin_address() const { return admin_address_; }
  // The registry core, for in-process callers.
  Registry& registry() const { return *registry_; }
  // Replicated mode's replicator; null for a single registry.
  Replicator* replicator() const { return replicator_.get(); }
  // A mirror's follower; null otherwise.
  MirrorFollower* mirror() const { return mirror_.get(); }
  // Whether the database was opened read-only (the disk was full).
  bool read_only() const { return store_->read_only(); }

  // Stops accepting calls, lets running calls finish (up to
  // options.shutdown_grace) and closes the database. Idempotent. Not to be
  // called concurrently with itself or the destructor.
  void Shutdown();

 private:
  RegistryServer() = default;

  // Starts the gRPC servers: the registry service (and, over TLS with
  // client certificates, the admin service) on options.serving's address;
  // the admin service on options.admin_socket.
  absl::Status StartServing(const RegistryServerOptions& options);
  // What every answer says of this server: a replica's role and applied
  // index, a mirror's state; none for a single registry.
  GrpcServerOptions::ResponseMetadata ResponseMetadata(
      const RegistryServerOptions& options) const;
  // A mirror: the follower, and the registry core's bundle functions that
  // go through it.
  void PrepareMirror(MirrorOptions mirror, RegistryOptions& registry_options);
  // Replicated mode: the replicator, taking every write from now on.
  absl::Status StartReplication(ReplicationOptions replication);
  // Publishes a checkpoint every `interval` until Shutdown; read-only,
  // waits for the watermark to clear instead and calls `writable_again`.
  void StartPublisher(absl::Duration interval, uint64_t min_free_bytes,
                      const std::string& data_dir,
                      std::function<void()> writable_again);

  std::string address_;
  int port_ = 0;
  absl::Duration shutdown_grace_ = kShutdownGrace;
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<Registry> registry_;
  // Replicated mode only: orders the writes through etcd.
  std::unique_ptr<Replicator> replicator_;
  // A mirror only: follows its registry.
  std::unique_ptr<MirrorFollower> mirror_;
  std::unique_ptr<RegistryService> service_;
  std::unique_ptr<BackupWriter> backups_;
  std::unique_ptr<ServerObservability> observability_;
  std::unique_ptr<CallQuota> quota_;
  std::shared_ptr<RegistryCollector> collector_;
  std::unique_ptr<AdminService> tls_admin_service_;
  std::unique_ptr<AdminService> socket_admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<WebhookDispatcher> webhooks_;
  // The admin socket's own server: a call on it comes from the socket.
  std::unique_ptr<grpc::Server> admin_server_;
  std::string admin_address_;
  // Scrubs every `interval` until Shutdown (when positive).
  void StartScrubber(absl::Duration interval);

  absl::Notification stop_publishing_;  // and scrubbing
  std::thread publisher_;
  std::thread scrubber_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_REGISTRY_SERVER_H_
