// certreg-registry: the registry server process.
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "registry/server/registry_server.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/connection_flags.h"
#include "verifier/grpc/grpc_serving.h"

ABSL_FLAG(std::string, data_dir, certreg::DefaultDataDir() + "/registry",
          "RocksDB data directory; created when missing. Only one process may "
          "use it at a time.");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9464",
          "Where Prometheus scrapes the registry's metrics (/metrics, text "
          "format); keep it off public addresses. Empty: none.");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on. The default is loopback only; use "
          "0.0.0.0:PORT to serve other machines, or unix:PATH for a unix "
          "socket (e.g. behind a local proxy).");
ABSL_FLAG(
    std::string, operator_public_key, "",
    "PEM file with the registry operator's Ed25519 public key, the only "
    "key that may accredit bodies and rotate or retire their keys. When "
    "not given, CONFIG/operator.pub is used (CONFIG = "
    "$XDG_CONFIG_HOME/certreg or ~/.config/certreg); on first run it is "
    "created there with its private key CONFIG/operator.key (mode 0600).");
ABSL_FLAG(std::string, log_private_key, "",
          "PEM file with the Ed25519 private key that signs the log's "
          "checkpoints (kept by the registry, separate from the operator "
          "key). Default CONFIG/log.key, created on first run (mode 0600).");
ABSL_FLAG(std::string, log_origin, "certreg.v1",
          "The log's name, written into every checkpoint.");
ABSL_FLAG(std::string, admin_socket, "",
          "The admin socket (unix:PATH, mode 0700: only this user may "
          "connect) where certctl backup and scrub reach the admin service. "
          "Default unix:DATA_DIR.admin.sock; \"none\": no socket.");
ABSL_FLAG(std::string, backup_dir, "",
          "Directory that `certctl backup NAME` writes backups into (default: "
          "the data directory's path with \"-backups\" appended).");
ABSL_FLAG(int, max_request_bytes, 4 << 20,
          "Largest gRPC request accepted, in bytes.");
ABSL_FLAG(int, block_cache_mb, 512,
          "RocksDB block cache, in MiB: uncompressed blocks of every column "
          "family and the memtables (a quarter of it, at least 64 MiB); most "
          "of the registry's memory.");
ABSL_FLAG(int, settle_seconds, 30,
          "Once nothing has been written for this many seconds, RocksDB's "
          "newest files (level 0) are compacted into level 1, so searches and "
          "lookups read fewer sorted runs (a few seconds of CPU with "
          "1,000,000 certificates; logged). 0: never.");
ABSL_FLAG(int, min_free_disk_mb, 64,
          "Writes are refused (RESOURCE_EXHAUSTED) while less than this many "
          "MiB are free on the data directory's filesystem, before RocksDB "
          "would run out of space; reads go on, and writes resume by "
          "themselves once space is freed. A start with less than this free "
          "serves read-only and reopens for writing once space returns. 0: "
          "no watermark.");
ABSL_FLAG(int, test_clock_offset_days, 0,
          "For tests only: the registry's clock runs this many days ahead "
          "(statement dates, status as of today, the daily status changes "
          "watchers hear of). Never set it in production.");
ABSL_FLAG(int, webhook_dead_after_hours, 24,
          "A watchlist's webhook delivery the receiver has not accepted "
          "this long after the first attempt stops being retried (dead; "
          "certctl watchlist replay sends it again).");
ABSL_FLAG(bool, allow_http_webhooks, false,
          "Let watchlists call back over plain http to other machines (by "
          "default https, or http to this machine only).");
ABSL_FLAG(int, watch_write_timeout_seconds, 60,
          "A WatchCertificates stream whose watcher leaves a message unread "
          "this long is cut off (it resumes with its cursor).");
ABSL_FLAG(std::string, etcd_endpoints, "",
          "Replicated mode: etcd's client URLs (host:port,host:port,...). "
          "The replicas elect a leader through etcd; it takes the writes and "
          "appends them to etcd, and every replica applies them to its own "
          "database and serves reads (docs/SCALING.md). Empty (the default): "
          "a single registry, no etcd.");
ABSL_FLAG(std::string, etcd_cluster, "main",
          "Replicated mode: the deployment's name; its keys in etcd are "
          "under /certreg/NAME/.");
ABSL_FLAG(std::string, replica_name, "",
          "Replicated mode: this replica's name, unique in the deployment "
          "(default: the host name and --listen's port).");
ABSL_FLAG(std::string, advertise_address, "",
          "Replicated mode: host:port where clients reach this replica, "
          "which followers name when they refuse a write (default: "
          "--listen, unless it is 0.0.0.0 or [::]).");
ABSL_FLAG(int, lease_ttl_seconds, 3,
          "Replicated mode: a leader that cannot refresh its etcd lease for "
          "this long loses the leadership; another replica takes over within "
          "about this long.");
ABSL_FLAG(int, etcd_compact_seconds, 30,
          "Replicated mode: how often each replica records in etcd how much "
          "of the log it applied, and the leader deletes from etcd the "
          "groups every replica applied (a new replica starts from a backup "
          "of another). 0: never.");
ABSL_FLAG(int, max_stream_seconds, 1800,
          "A LookupCertificates or WatchCertificates stream open this long "
          "ends with DEADLINE_EXCEEDED (a watch within a second, saying the "
          "cursor to resume from; a lookup stream at its next request), "
          "whatever deadline its client set. 0: never (connections still "
          "end after --max_connection_age_seconds).");
ABSL_FLAG(int, max_watchlists_per_key, 100, "Watchlists one API key may hold.");
ABSL_FLAG(int, scrub_interval_hours, 24,
          "Scrub the whole registry in the background this often (every "
          "leaf hashed and its signer checked, every record re-derived; the "
          "result on stderr, as certctl scrub does on demand). 0: never.");
ABSL_FLAG(bool, repair, false,
          "Keep what is provably intact of a data directory the registry "
          "refuses as damaged: recover the write-ahead log up to its first "
          "damaged record, check every leaf against the checkpoint and its "
          "signer against the operator key, rewrite certificate records from "
          "the log, and accept a log shorter than the published checkpoint "
          "(saying how many acknowledged statements were lost; the old "
          "checkpoint is kept as published_checkpoint.before-repair). A log "
          "that is itself damaged or forks from what was published is still "
          "refused: restore a backup.");
ABSL_FLAG(int, checkpoint_resign_seconds, 60,
          "A checkpoint is signed again once it is this old even when nothing "
          "was written, so verifiers demanding fresh checkpoints keep getting "
          "them on a quiet day. 0: only when the log grows.");

namespace {

// Loads the operator's public key, creating the key pair on first run when no
// path was given.
absl::StatusOr<certreg::Ed25519PublicKey> OperatorKey() {
  std::string path = absl::GetFlag(FLAGS_operator_public_key);
  if (!path.empty()) return certreg::ReadPublicKey(path);
  std::string dir = certreg::DefaultConfigDir();
  std::string public_path = dir + "/operator.pub";
  std::string private_path = dir + "/operator.key";
  std::error_code error;
  if (!std::filesystem::exists(public_path, error)) {
    absl::StatusOr<certreg::Ed25519PrivateKey> key =
        certreg::Ed25519PrivateKey::Generate();
    if (!key.ok()) return key.status();
    absl::Status written =
        certreg::WriteKeyPair(*key, private_path, public_path);
    if (!written.ok()) return written;
    std::cerr << "certreg-registry: first run: created the operator key pair\n"
              << "  private key " << private_path
              << " (keep it safe and offline; certctl signs accreditations "
                 "with it)\n"
              << "  public key  " << public_path << "\n";
  }
  return certreg::ReadPublicKey(public_path);
}

// Loads the log-signing key, creating it on first use at the given or default
// path.
absl::StatusOr<certreg::Ed25519PrivateKey> LogKey() {
  std::string path = absl::GetFlag(FLAGS_log_private_key);
  if (path.empty()) path = certreg::DefaultConfigDir() + "/log.key";
  absl::StatusOr<certreg::Ed25519PrivateKey> key =
      certreg::ReadPrivateKey(path);
  if (!absl::IsNotFound(key.status())) return key;
  key = certreg::Ed25519PrivateKey::Generate();
  if (!key.ok()) return key.status();
  std::string public_path = path;
  if (public_path.size() > 4 &&
      public_path.compare(public_path.size() - 4, 4, ".key") == 0) {
    public_path.resize(public_path.size() - 4);
  }
  public_path += ".pub";
  absl::Status written = certreg::WriteKeyPair(*key, path, public_path);
  if (!written.ok()) return written;
  std::cerr << "certreg-registry: first run: created the log-signing key "
            << path << " (public key " << public_path
            << "; verifiers pin it)\n";
  return key;
}

}  // namespace

// The replicated mode's options from the flags; INVALID_ARGUMENT naming
// the flag when one is missing or wrong.
absl::StatusOr<certreg::ReplicationOptions> ReplicationFromFlags() {
  certreg::ReplicationOptions replication;
  replication.etcd_endpoints = absl::GetFlag(FLAGS_etcd_endpoints);
  replication.cluster = absl::GetFlag(FLAGS_etcd_cluster);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const size_t colon = listen.rfind(':');
  const std::string port =
      colon == std::string::npos ? "" : listen.substr(colon + 1);
  replication.advertise_address = absl::GetFlag(FLAGS_advertise_address);
  if (replication.advertise_address.empty()) {
    if (absl::StartsWith(listen, "0.0.0.0:") ||
        absl::StartsWith(listen, "[::]:") || port == "0" ||
        absl::StartsWith(listen, "unix:")) {
      return absl::InvalidArgumentError(
          "--advertise_address: needed when --listen is not an address "
          "clients can use (host:port with a fixed port)");
    }
    replication.advertise_address = listen;
  }
  replication.replica_name = absl::GetFlag(FLAGS_replica_name);
  if (replication.replica_name.empty()) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    replication.replica_name = absl::StrCat(host, ":", port);
  }
  const int ttl = absl::GetFlag(FLAGS_lease_ttl_seconds);
  if (ttl < 1) {
    return absl::InvalidArgumentError("--lease_ttl_seconds: at least 1");
  }
  replication.lease_ttl = absl::Seconds(ttl);
  replication.compact_interval =
      absl::Seconds(std::max(0, absl::GetFlag(FLAGS_etcd_compact_seconds)));
  return replication;
}

int main(int argc, char** argv) {
  certreg::ParseServerFlags(
      argc, argv,
      "The certreg registry server: stores certificates as signed statements "
      "in RocksDB and serves certreg.v1.RegistryService, gRPC health checking "
      "and server reflection.\n\n"
      "Example:\n  certreg-registry --data_dir=/var/lib/certreg "
      "--listen=127.0.0.1:50051 "
      "--operator_public_key=/etc/certreg/operator.pub",
      "registry_main.cc");

  // SIGINT/SIGTERM are handled synchronously: blocked before gRPC starts its
  // threads, then waited for below.
  certreg::BlockTerminationSignals();

  // Flag values checked before anything is created (the first run's keys).
  absl::StatusOr<certreg::GrpcServerOptions> connections =
      certreg::ConnectionOptionsFromFlags();
  if (!connections.ok()) {
    std::cerr << "certreg-registry: " << connections.status().message() << "\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_block_cache_mb) < 1) {
    std::cerr << "certreg-registry: --block_cache_mb must be at least 1\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_settle_seconds) < 0) {
    std::cerr << "certreg-registry: --settle_seconds must not be negative\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_min_free_disk_mb) < 0) {
    std::cerr << "certreg-registry: --min_free_disk_mb must not be negative\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_checkpoint_resign_seconds) < 0) {
    std::cerr << "certreg-registry: --checkpoint_resign_seconds must not be "
                 "negative\n";
    return 2;
  }

  absl::StatusOr<certreg::Ed25519PublicKey> operator_key = OperatorKey();
  if (!operator_key.ok()) {
    std::cerr << "certreg-registry: operator key: "
              << operator_key.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<certreg::Ed25519PrivateKey> log_key = LogKey();
  if (!log_key.ok()) {
    std::cerr << "certreg-registry: log key: " << log_key.status().message()
              << "\n";
    return 1;
  }
  certreg::RegistryServerOptions options;
  options.registry.log_key =
      std::make_shared<const certreg::Ed25519PrivateKey>(*log_key);
  options.registry.log_origin = absl::GetFlag(FLAGS_log_origin);
  options.registry.watchlists.max_per_owner =
      absl::GetFlag(FLAGS_max_watchlists_per_key);
  options.registry.watchlists.allow_http =
      absl::GetFlag(FLAGS_allow_http_webhooks);
  options.streams.watch_write_timeout = absl::Seconds(
      std::max(1, absl::GetFlag(FLAGS_watch_write_timeout_seconds)));
  options.streams.max_age =
      absl::Seconds(std::max(0, absl::GetFlag(FLAGS_max_stream_seconds)));
  options.webhooks.dead_after =
      absl::Hours(std::max(1, absl::GetFlag(FLAGS_webhook_dead_after_hours)));
  if (const int offset = absl::GetFlag(FLAGS_test_clock_offset_days)) {
    options.registry.now = [offset] {
      return absl::Now() + absl::Hours(24) * offset;
    };
    std::cerr << "certreg-registry: test clock: " << offset << " days ahead"
              << std::endl;
  }
  options.registry.progress = [](absl::string_view what) {
    std::cerr << "certreg-registry: " << what << std::endl;
  };
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.admin_socket = absl::GetFlag(FLAGS_admin_socket);
  if (options.admin_socket.empty()) {
    options.admin_socket = "unix:" + options.data_dir + ".admin.sock";
    if (options.admin_socket.size() - 5 >= sizeof(sockaddr_un::sun_path)) {
      std::cerr << "certreg-registry: no admin socket: " << options.data_dir
                << ".admin.sock is too long a path for a unix socket; give "
                   "--admin_socket=unix:PATH"
                << std::endl;
      options.admin_socket = "none";
    }
  }
  if (options.admin_socket == "none") options.admin_socket.clear();
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  if (options.backup_dir.empty())
    options.backup_dir = options.data_dir + "-backups";
  options.serving = *std::move(connections);
  options.serving.listen_address = absl::GetFlag(FLAGS_listen);
  options.serving.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  options.store.block_cache_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_block_cache_mb)) << 20;
  options.store.settle_after =
      absl::Seconds(absl::GetFlag(FLAGS_settle_seconds));
  options.store.on_settled = [](const certreg::SettleReport& report) {
    std::cerr << "certreg-registry: settled: " << report.level0_files
              << " level-0 files of " << report.column_families
              << " column families compacted into level 1 in "
              << absl::StrFormat("%.3f", absl::ToDoubleSeconds(report.took))
              << " s";
    if (!report.status.ok()) {
      std::cerr << "; stopped early: " << report.status.message();
    }
    std::cerr << std::endl;
  };
  options.registry.operator_key =
      std::make_shared<const certreg::Ed25519PublicKey>(*operator_key);
  options.min_free_disk_bytes =
      static_cast<uint64_t>(absl::GetFlag(FLAGS_min_free_disk_mb)) << 20;
  options.repair = absl::GetFlag(FLAGS_repair);
  options.quota = certreg::QuotaFromFlags();
  options.observability =
      certreg::ObservabilityFromFlags(absl::GetFlag(FLAGS_metrics_listen));
  options.scrub_interval =
      absl::Hours(absl::GetFlag(FLAGS_scrub_interval_hours));
  options.registry.checkpoint_resign_after =
      absl::Seconds(absl::GetFlag(FLAGS_checkpoint_resign_seconds));
  options.on_writable_again = [] {
    certreg::RequestStop(
        {"disk space returned; restarting to reopen the "
         "database for writing",
         0, /*restart=*/true});
  };
  if (!absl::GetFlag(FLAGS_etcd_endpoints).empty()) {
    absl::StatusOr<certreg::ReplicationOptions> replication =
        ReplicationFromFlags();
    if (!replication.ok()) {
      std::cerr << "certreg-registry: " << replication.status().message()
                << "\n";
      return 2;
    }
    options.replication = *std::move(replication);
  }
  std::cerr << "certreg-registry: " << certreg::RaiseOpenFileLimit() << "\n";
  auto server = certreg::RegistryServer::Start(options);
  if (!server.ok()) {
    std::cerr << "certreg-registry: " << server.status().message() << "\n";
    return 1;
  }
  std::cerr << "certreg-registry: data directory " << options.data_dir << "\n"
            << "certreg-registry: operator key "
            << certreg::ToHex(operator_key->key_id()) << "\n"
            << "certreg-registry: log key " << certreg::ToHex(log_key->key_id())
            << "\n"
            << "certreg-registry: " << (*server)->registry().size()
            << " statements stored\n"
            << "certreg-registry: listening on " << (*server)->address()
            << (options.serving.tls.has_value() ? " (gRPC over TLS"
                                                : " (gRPC, plaintext")
            << "; health and reflection on)" << std::endl;
  if (!(*server)->metrics_address().empty()) {
    std::cerr << "certreg-registry: metrics on http://"
              << (*server)->metrics_address() << "/metrics" << std::endl;
  }
  if (!(*server)->admin_address().empty()) {
    std::cerr << "certreg-registry: admin socket " << (*server)->admin_address()
              << std::endl;
  }

  const certreg::StopRequest stop = certreg::WaitForStopRequest();
  std::cerr << "certreg-registry: " << stop.why << "; shutting down"
            << std::endl;
  (*server)->Shutdown();
  std::cerr << "certreg-registry: stopped" << std::endl;
  if (stop.restart) {
    const std::string failure = certreg::RestartStoppedServer(argv);
    std::cerr << "certreg-registry: " << failure << std::endl;
    certreg::ExitStoppedServer(1);
  }
  certreg::ExitStoppedServer(stop.exit_code);
}
