#include "registry/server/registry_server.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "registry/server/repair.h"
#include "verifier/base/status_macros.h"
#include "verifier/grpc/grpc_serving.h"

namespace certreg {
namespace {

// The data directory's database, read-only when less than the watermark is
// free or a read-write open runs out of space.
absl::StatusOr<std::unique_ptr<RocksDbStore>> OpenStore(
    const RegistryServerOptions& options) {
  RocksDbStoreOptions store_options = options.store;
  store_options.drop_damaged_wal_tail = options.repair;
  std::error_code error;
  const bool exists =
      std::filesystem::exists(options.data_dir + "/CURRENT", error);
  if (exists && options.min_free_disk_bytes > 0) {
    absl::StatusOr<uint64_t> free =
        DiskWatermark::FreeBytesOf(options.data_dir)();
    store_options.read_only = free.ok() && *free < options.min_free_disk_bytes;
  }
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::Open(options.data_dir, store_options);
  if (exists && !store.ok() && absl::IsResourceExhausted(store.status()) &&
      !store_options.read_only) {
    store_options.read_only = true;
    store = RocksDbStore::Open(options.data_dir, store_options);
  }
  if (store.ok() && (*store)->read_only()) {
    std::cerr << "certreg-registry: the disk holding " << options.data_dir
              << " is full: serving read-only (lookups, bundles and "
                 "verification work; writes are refused) until space returns"
              << std::endl;
  }
  return store;
}

// Opens the registry on `store` and runs the checks of a start: the log
// against the published checkpoint (Registry::Open), --repair (with the
// published checkpoint set aside at `set_aside`), a restored backup's full
// scrub. The table files RocksDB dropped on opening are released only once
// every check passed; a refusal names where they are kept.
absl::StatusOr<std::unique_ptr<Registry>> OpenChecked(
    RocksDbStore* store, RegistryOptions registry_options,
    const RegistryServerOptions& options, const std::string& set_aside) {
  absl::StatusOr<std::unique_ptr<Registry>> registry =
      Registry::Open(store, std::move(registry_options));
  absl::Status checked = registry.status();
  if (checked.ok() && options.repair) {
    absl::StatusOr<std::string> repaired =
        RepairOpenedRegistry(**registry, set_aside);
    checked = repaired.status();
    if (repaired.ok()) std::cerr << "certreg-registry: " << *repaired << "\n";
    if (!repaired.ok() && !set_aside.empty()) {
      // The next start refuses the directory again, as it should.
      std::error_code error;
      std::filesystem::rename(
          set_aside, options.data_dir + "/" + kPublishedCheckpointFile, error);
    }
  }
  if (checked.ok()) checked = CheckRestoredBackup(options.data_dir, **registry);
  if (!checked.ok()) {
    if (store->kept_files_dir().empty()) return checked;
    return absl::Status(
        checked.code(),
        absl::StrCat(checked.message(),
                     ". The files found on opening that RocksDB deletes "
                     "(table files its MANIFEST does not list) are kept in ",
                     store->kept_files_dir()));
  }
  if (store->kept_at_open() > 0) {
    std::cerr << "certreg-registry: " << store->kept_at_open()
              << " table file(s) not listed by the MANIFEST (left by a crash "
                 "during a flush or compaction) were dropped; the log checks "
                 "passed\n";
  }
  store->ReleaseFilesKeptAtOpen();
  if (!store->kept_files_dir().empty()) {
    std::cerr << "certreg-registry: " << store->kept_files_dir()
              << " holds the files a refused start found; remove it once "
                 "you no longer need them\n";
  }
  return registry;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RegistryServer>> RegistryServer::Start(
    const RegistryServerOptions& options) {
  if (options.data_dir.empty()) {
    return absl::InvalidArgumentError("data_dir: must not be empty");
  }
  auto server = absl::WrapUnique(new RegistryServer());

  std::string set_aside;
  if (options.repair) {
    CERTREG_ASSIGN_OR_RETURN(set_aside,
                             SetPublishedCheckpointAside(options.data_dir));
  }
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = OpenStore(options);
  if (!store.ok()) return store.status();
  server->store_ = std::move(store).value();
  RegistryOptions registry_options = options.registry;
  if (options.min_free_disk_bytes > 0 &&
      registry_options.disk_watermark == nullptr) {
    registry_options.disk_watermark = std::make_shared<DiskWatermark>(
        DiskWatermark::FreeBytesOf(options.data_dir),
        options.min_free_disk_bytes);
  }
  if (registry_options.published_checkpoint_file.empty()) {
    registry_options.published_checkpoint_file =
        options.data_dir + "/" + kPublishedCheckpointFile;
  }
  if (options.mirror.has_value()) {
    server->PrepareMirror(*options.mirror, registry_options);
  }
  CERTREG_ASSIGN_OR_RETURN(
      server->registry_,
      OpenChecked(server->store_.get(), std::move(registry_options), options,
                  set_aside));
  if (server->mirror_ != nullptr) {
    server->registry_->set_write_router(server->mirror_.get());
    server->mirror_->Start(server->registry_.get());
  }
  server->backups_ = std::make_unique<BackupWriter>(
      server->store_.get(), server->registry_.get(), options.backup_dir);
  if (options.replication.has_value()) {
    // Before serving: no write may reach the local writer directly.
    CERTREG_RETURN_IF_ERROR(server->StartReplication(*options.replication));
  }
  CERTREG_RETURN_IF_ERROR(server->StartServing(options));
  server->StartScrubber(options.scrub_interval);
  server->StartPublisher(options.checkpoint_interval,
                         options.min_free_disk_bytes, options.data_dir,
                         options.on_writable_again);
  if (!server->read_only() && server->mirror_ == nullptr) {
    server->webhooks_ = std::make_unique<WebhookDispatcher>(
        server->registry_.get(), options.registry.log_key, options.webhooks);
  }
  return server;
}

void RegistryServer::PrepareMirror(MirrorOptions mirror,
                                   RegistryOptions& registry_options) {
  if (!mirror.log) {
    mirror.log = [](absl::string_view line) {
      std::cerr << "certreg-mirror: " << line << std::endl;
    };
  }
  mirror_ = std::make_unique<MirrorFollower>(std::move(mirror));
  MirrorFollower* follower = mirror_.get();
  registry_options.mirror_bundle =
      [follower](const v1::GetVerificationBundleRequest& request) {
        return follower->Bundle(request);
      };
  registry_options.mirror_bundles =
      [follower](const v1::GetVerificationBundlesRequest& request) {
        return follower->Bundles(request);
      };
}

absl::Status RegistryServer::StartReplication(ReplicationOptions replication) {
  if (!replication.log) {
    replication.log = [](absl::string_view line) {
      std::cerr << "certreg-registry: replication: " << line << std::endl;
    };
  }
  CERTREG_ASSIGN_OR_RETURN(
      replicator_, Replicator::Start(registry_.get(), std::move(replication)));
  registry_->set_write_router(replicator_.get());
  return absl::OkStatus();
}

void RegistryServer::StartPublisher(absl::Duration interval,
                                    uint64_t min_free_bytes,
                                    const std::string& data_dir,
                                    std::function<void()> writable_again) {
  Registry* core = registry_.get();
  absl::Notification* stop = &stop_publishing_;
  // A replica that stopped following the log says so to health checks:
  // load balancers leave it while it serves what it has.
  std::function<void()> check_health = [] {};
  if (replicator_ != nullptr) {
    check_health = [replicator = replicator_.get(), server = server_.get()] {
      server->GetHealthCheckService()->SetServingStatus(
          replicator->failure().ok());
    };
  }
  if (!read_only()) {
    publisher_ = std::thread([core, stop, interval, check_health] {
      while (!stop->WaitForNotificationWithTimeout(interval)) {
        check_health();
        // A mirror signs nothing: it adopts its registry's checkpoints.
        if (!core->is_mirror()) {
          absl::StatusOr<v1::SignedCheckpoint> published =
              core->PublishCheckpoint();
          if (!published.ok()) {
            std::cerr << "certreg-registry: cannot publish a checkpoint: "
                      << published.status().message() << std::endl;
          }
        }
        // A new day's date-driven status changes, for the watchers.
        if (absl::Status advanced = core->AdvanceStatusCalendar();
            !advanced.ok()) {
          std::cerr << "certreg-registry: status calendar: "
                    << advanced.message() << std::endl;
        }
      }
    });
    return;
  }
  // Read-only: the last checkpoint stays (verifiers see its age grow).
  DiskWatermark::FreeBytes free_bytes = DiskWatermark::FreeBytesOf(data_dir);
  publisher_ = std::thread([=] {
    while (!stop->WaitForNotificationWithTimeout(interval)) {
      absl::StatusOr<uint64_t> free = free_bytes();
      if (!free.ok() || *free < min_free_bytes) continue;
      std::cerr << "certreg-registry: " << (*free >> 20)
                << " MiB free again on the disk holding " << data_dir
                << ": reopening the database for writing" << std::endl;
      if (writable_again) writable_again();
      return;
    }
  });
}

RegistryServer::~RegistryServer() { Shutdown(); }

GrpcServerOptions::ResponseMetadata RegistryServer::ResponseMetadata(
    const RegistryServerOptions& options) const {
  using Fields = std::vector<std::pair<std::string, std::string>>;
  if (mirror_ != nullptr) {
    // A mirror says whose, whether it still follows, and how far.
    return [mirror = mirror_.get(), core = registry_.get()] {
      return Fields{{"certreg-mirror-of", mirror->upstream()},
                    {"certreg-mirror-state", mirror->state()},
                    {"certreg-applied-index", std::to_string(core->size())}};
    };
  }
  if (replicator_ != nullptr) {
    // Which replica answered, in which role, and how much of the log it
    // had applied: a follower may be a little behind the leader.
    return [replicator = replicator_.get(),
            name = options.replication->replica_name] {
      return Fields{
          {"certreg-replica", name},
          {"certreg-role", replicator->role()},
          {"certreg-applied-index", std::to_string(replicator->applied())}};
    };
  }
  return nullptr;
}

absl::Status RegistryServer::StartServing(
    const RegistryServerOptions& options) {
  shutdown_grace_ = options.shutdown_grace;
  CERTREG_ASSIGN_OR_RETURN(
      observability_,
      StartObservability(options.observability, "certreg-registry"));
  collector_ = std::make_shared<RegistryCollector>(
      registry_.get(), store_.get(), options.data_dir);
  observability_->AddCollectable(collector_);
  CERTREG_ASSIGN_OR_RETURN(
      quota_, CallQuota::Create(options.quota, &observability_->registry()));
  service_ = std::make_unique<RegistryService>(registry_.get(), quota_.get(),
                                               options.streams);
  observability_->set_client_namer(
      [quota = quota_.get()](const grpc::ServerContextBase& context) {
        return quota->KeyName(context);
      });
  GrpcServerOptions serving = options.serving;
  serving.observability = observability_.get();
  serving.response_metadata = ResponseMetadata(options);
  serving.health_service_names = {v1::RegistryService::service_full_name()};
  std::vector<grpc::Service*> services = {service_.get()};
  // Over TLS, administrators with a verified client certificate too.
  if (serving.tls.has_value() && !serving.tls->client_ca_file.empty()) {
    tls_admin_service_ =
        std::make_unique<AdminService>(backups_.get(), registry_.get(),
                                       AdminAccess::kVerifiedClientCertificate);
    services.push_back(tls_admin_service_.get());
    serving.health_service_names.push_back(
        v1::AdminService::service_full_name());
  }
  CERTREG_ASSIGN_OR_RETURN(StartedServer started,
                           StartGrpcServer(serving, services));
  server_ = std::move(started.server);
  port_ = started.port;
  address_ = started.address;
  if (options.admin_socket.empty()) return absl::OkStatus();
  socket_admin_service_ = std::make_unique<AdminService>(
      backups_.get(), registry_.get(), AdminAccess::kAnyoneConnected);
  GrpcServerOptions admin = serving;
  admin.listen_address = options.admin_socket;
  admin.tls.reset();
  admin.connection_cap = {};  // the socket is the operator's own way in
  admin.unix_socket_mode = 0700;
  admin.health_service_names = {v1::AdminService::service_full_name()};
  if (!absl::StartsWith(admin.listen_address, "unix:")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "admin_socket: \"", options.admin_socket, "\" is not unix:PATH"));
  }
  // A socket left by a registry that was killed would block the bind.
  std::error_code error;
  std::filesystem::remove(admin.listen_address.substr(5), error);
  CERTREG_ASSIGN_OR_RETURN(
      StartedServer admin_started,
      StartGrpcServer(admin, {socket_admin_service_.get()}));
  admin_server_ = std::move(admin_started.server);
  admin_address_ = admin_started.address;
  return absl::OkStatus();
}

void RegistryServer::StartScrubber(absl::Duration interval) {
  if (interval <= absl::ZeroDuration()) return;
  Registry* core = registry_.get();
  absl::Notification* stop = &stop_publishing_;
  scrubber_ = std::thread([core, stop, interval] {
    while (!stop->WaitForNotificationWithTimeout(interval)) {
      absl::StatusOr<v1::ScrubReport> report = core->Scrub(stop);
      if (!report.ok()) {
        if (!absl::IsCancelled(report.status())) {
          std::cerr << "certreg-registry: background scrub failed: "
                    << report.status().message() << std::endl;
        }
        continue;
      }
      std::cerr << "certreg-registry: background scrub: "
                << report->leaves_checked() << " leaves, "
                << report->certificates_checked() << " records, "
                << (report->problems().empty()
                        ? "no damage found"
                        : absl::StrCat("DAMAGE FOUND (run certctl scrub for "
                                       "the list; restore from a backup): ",
                                       report->problems(0)))
                << std::endl;
    }
  });
}

void RegistryServer::Shutdown() {
  webhooks_.reset();  // finishes the attempt under way
  if (!stop_publishing_.HasBeenNotified()) stop_publishing_.Notify();
  if (publisher_.joinable()) publisher_.join();
  if (scrubber_.joinable()) scrubber_.join();
  if (quota_ != nullptr) quota_->FinishWaiting();
  // Writes waiting for the leader are answered (UNAVAILABLE) and new ones
  // refused, so that no call holds the servers' stop.
  if (replicator_ != nullptr) replicator_->Stop();
  if (mirror_ != nullptr) mirror_->Stop();
  for (std::unique_ptr<grpc::Server>* server : {&server_, &admin_server_}) {
    if (*server == nullptr) continue;
    // Health checks answer NOT_SERVING while running calls finish.
    (*server)->GetHealthCheckService()->Shutdown();
    (*server)->Shutdown(absl::ToChronoTime(absl::Now() + shutdown_grace_));
    (*server)->Wait();
    server->reset();
  }
  if (collector_ != nullptr) collector_->Detach();
  service_.reset();
  quota_.reset();
  observability_.reset();
  tls_admin_service_.reset();
  socket_admin_service_.reset();
  backups_.reset();
  replicator_.reset();
  registry_.reset();
  mirror_.reset();  // the core's bundle functions call it
  store_.reset();
}

}  // namespace certreg
