// certreg-mirror: a verifying mirror of a certreg registry (docs/SCALING.md).
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "registry/server/registry_server.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/client_channel.h"
#include "verifier/grpc/connection_flags.h"
#include "verifier/grpc/grpc_serving.h"

ABSL_FLAG(std::string, upstream, "",
          "The registry to follow: host:port, or its replicas' list "
          "(host:port,host:port,...). Required.");
ABSL_FLAG(std::string, upstream_tls_ca_file, "",
          "Reach the registry over TLS, its certificate checked against this "
          "PEM CA (default: plaintext).");
ABSL_FLAG(std::string, data_dir, certreg::DefaultDataDir() + "/mirror",
          "Where the mirror keeps its copy of the log, its records and "
          "indexes (RocksDB).");
ABSL_FLAG(std::string, listen, "127.0.0.1:50071",
          "host:port to serve the registry's read API on (gRPC).");
ABSL_FLAG(std::string, operator_public_key, "",
          "The registry operator's public key (PEM), pinned: every body's "
          "accreditation must carry its signature (default: "
          "~/.config/certreg/operator.pub).");
ABSL_FLAG(std::string, log_public_key, "",
          "The registry's log key (PEM), pinned: every checkpoint adopted "
          "must carry its signature (default: ~/.config/certreg/log.pub).");
ABSL_FLAG(std::string, log_origin, "certreg.v1",
          "The log's name its checkpoints must carry.");
ABSL_FLAG(int, poll_seconds, 1,
          "How often the registry's latest checkpoint is asked for.");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9467",
          "Where Prometheus scrapes the mirror's metrics; empty: none.");
ABSL_FLAG(
    std::string, admin_socket, "",
    "The admin socket (backup, scrub); default unix:DATA_DIR.admin.sock.");

namespace {

// A pinned public key from `flag`'s file, or the default file NAME.pub in
// the configuration directory.
absl::StatusOr<certreg::Ed25519PublicKey> PinnedKey(const std::string& flag,
                                                    const char* name) {
  const std::string path =
      flag.empty()
          ? absl::StrCat(certreg::DefaultConfigDir(), "/", name, ".pub")
          : flag;
  absl::StatusOr<certreg::Ed25519PublicKey> key = certreg::ReadPublicKey(path);
  if (!key.ok()) {
    return absl::Status(
        key.status().code(),
        absl::StrCat(name, " key ", path, ": ", key.status().message()));
  }
  return key;
}

// The server's options from the flags; INVALID_ARGUMENT naming the flag.
absl::StatusOr<certreg::RegistryServerOptions> OptionsFromFlags() {
  certreg::RegistryServerOptions options;
  CERTREG_ASSIGN_OR_RETURN(options.serving,
                           certreg::ConnectionOptionsFromFlags());
  options.serving.listen_address = absl::GetFlag(FLAGS_listen);
  certreg::MirrorOptions mirror;
  mirror.upstream = absl::GetFlag(FLAGS_upstream);
  if (mirror.upstream.empty()) {
    return absl::InvalidArgumentError(
        "--upstream: required (the registry to follow, host:port)");
  }
  if (const std::string ca = absl::GetFlag(FLAGS_upstream_tls_ca_file);
      !ca.empty()) {
    CERTREG_ASSIGN_OR_RETURN(
        mirror.upstream_tls,
        certreg::LoadClientTls(ca, "", "", "", "upstream_"));
  }
  if (absl::GetFlag(FLAGS_poll_seconds) < 1) {
    return absl::InvalidArgumentError("--poll_seconds: at least 1");
  }
  mirror.poll_interval = absl::Seconds(absl::GetFlag(FLAGS_poll_seconds));
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  mirror.evidence_file = options.data_dir + ".fork-evidence.json";
  options.mirror = std::move(mirror);
  CERTREG_ASSIGN_OR_RETURN(
      certreg::Ed25519PublicKey operator_key,
      PinnedKey(absl::GetFlag(FLAGS_operator_public_key), "operator"));
  CERTREG_ASSIGN_OR_RETURN(
      certreg::Ed25519PublicKey log_key,
      PinnedKey(absl::GetFlag(FLAGS_log_public_key), "log"));
  options.registry.operator_key =
      std::make_shared<const certreg::Ed25519PublicKey>(operator_key);
  options.registry.log_public_key =
      std::make_shared<const certreg::Ed25519PublicKey>(log_key);
  options.registry.log_origin = absl::GetFlag(FLAGS_log_origin);
  options.registry.progress = [](absl::string_view what) {
    std::cerr << "certreg-mirror: " << what << std::endl;
  };
  options.admin_socket = absl::GetFlag(FLAGS_admin_socket);
  if (options.admin_socket.empty()) {
    options.admin_socket = "unix:" + options.data_dir + ".admin.sock";
  }
  options.backup_dir = options.data_dir + "-backups";
  options.quota = certreg::QuotaFromFlags();
  options.observability =
      certreg::ObservabilityFromFlags(absl::GetFlag(FLAGS_metrics_listen));
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  certreg::ParseServerFlags(
      argc, argv,
      "certreg-mirror: follows a certreg registry through its log and "
      "verifies it -- every statement's signature, authority and chain "
      "rules, every checkpoint's signature and root -- then serves the "
      "registry's read API and bundles from its own copy. It signs nothing "
      "and takes no writes. Fed a fork, it stops following, serves its last "
      "consistent state marked stale and keeps the two checkpoints as "
      "evidence (DATA_DIR.fork-evidence.json).\n\n"
      "Example:\n  certreg-mirror --upstream=registry.example.cn:50051 "
      "--operator_public_key=operator.pub --log_public_key=log.pub",
      "mirror_main.cc");
  certreg::BlockTerminationSignals();
  absl::StatusOr<certreg::RegistryServerOptions> options = OptionsFromFlags();
  if (!options.ok()) {
    std::cerr << "certreg-mirror: " << options.status().message() << "\n";
    return 2;
  }
  std::cerr << "certreg-mirror: " << certreg::RaiseOpenFileLimit() << "\n";
  auto server = certreg::RegistryServer::Start(*options);
  if (!server.ok()) {
    std::cerr << "certreg-mirror: " << server.status().message() << "\n";
    return 1;
  }
  std::cerr << "certreg-mirror: mirroring " << options->mirror->upstream
            << " into " << options->data_dir << " ("
            << (*server)->registry().size() << " entries so far)\n"
            << "certreg-mirror: listening on " << (*server)->address()
            << " (gRPC, the registry's read API)" << std::endl;
  const certreg::StopRequest stop = certreg::WaitForStopRequest();
  std::cerr << "certreg-mirror: " << stop.why << "; shutting down" << std::endl;
  (*server)->Shutdown();
  certreg::ExitStoppedServer(stop.exit_code);
}
