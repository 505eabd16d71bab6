// certreg-verifier: the verifier service process. Trusts only the pinned
// registry keys; fetches bundles from a registry (or mirror) and verifies
// them offline.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/connection_flags.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/service/registry_bundle_source.h"
#include "verifier/service/verifier_service.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address of the registry (or any mirror) to fetch bundles from.");
ABSL_FLAG(bool, registry_tls, false,
          "Reach --registry over TLS, checking its certificate against the "
          "system's CAs (or --registry_tls_ca_file) and its name.");
ABSL_FLAG(std::string, registry_tls_ca_file, "",
          "PEM CA the registry's certificate must chain to; implies "
          "--registry_tls. Default: the system's CAs.");
ABSL_FLAG(std::string, registry_tls_server_name, "",
          "The name the registry's certificate must carry, when not the "
          "address's host; implies --registry_tls.");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9465",
          "Where Prometheus scrapes the verifier's metrics (/metrics, text "
          "format); keep it off public addresses. Empty: none.");
ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "host:port (or unix:PATH) to serve certreg.v1.VerifierService "
          "on.");
ABSL_FLAG(std::string, operator_public_key, "",
          "Pinned PEM public key of the registry operator (default "
          "CONFIG/operator.pub, CONFIG = ~/.config/certreg).");
ABSL_FLAG(std::string, log_public_key, "",
          "Pinned PEM public key of the registry's log (default "
          "CONFIG/log.pub).");
ABSL_FLAG(std::string, state_file,
          certreg::DefaultDataDir() + "/verifier/trusted_checkpoint",
          "Where the last trusted checkpoint is kept, so a registry that "
          "rewrites history is caught across restarts.");
ABSL_FLAG(int, max_checkpoint_age_seconds, 24 * 3600,
          "A bundle whose checkpoint is older than this gets verdict UNKNOWN.");
ABSL_FLAG(int, threads, 2 * std::max(1u, std::thread::hardware_concurrency()),
          "Worker threads verifying claims, shared by every call (default: "
          "twice the cores, since a worker waits while the registry "
          "assembles its bundles).");
int main(int argc, char** argv) {
  certreg::ParseServerFlags(
      argc, argv,
      "The certreg verifier: answers Verify and BatchVerify (up to 1,000 "
      "claims) from verification bundles, trusting only the pinned keys.\n\n"
      "Example:\n  certreg-verifier --registry=127.0.0.1:50051 "
      "--operator_public_key=operator.pub --log_public_key=log.pub",
      "verifier_main.cc");
  certreg::BlockTerminationSignals();

  // Flag values checked before anything is read or created.
  absl::StatusOr<certreg::GrpcServerOptions> serving =
      certreg::ConnectionOptionsFromFlags();
  if (!serving.ok()) {
    std::cerr << "certreg-verifier: " << serving.status().message() << "\n";
    return 2;
  }

  std::string config = certreg::DefaultConfigDir();
  std::string operator_path = absl::GetFlag(FLAGS_operator_public_key);
  if (operator_path.empty()) operator_path = config + "/operator.pub";
  std::string log_path = absl::GetFlag(FLAGS_log_public_key);
  if (log_path.empty()) log_path = config + "/log.pub";
  auto operator_key = certreg::ReadPublicKey(operator_path);
  auto log_key = certreg::ReadPublicKey(log_path);
  for (const absl::Status& status : {operator_key.status(), log_key.status()}) {
    if (!status.ok()) {
      std::cerr << "certreg-verifier: pinned key: " << status.message() << "\n";
      return 1;
    }
  }

  std::optional<certreg::ClientTls> registry_tls;
  if (absl::GetFlag(FLAGS_registry_tls) ||
      !absl::GetFlag(FLAGS_registry_tls_ca_file).empty() ||
      !absl::GetFlag(FLAGS_registry_tls_server_name).empty()) {
    absl::StatusOr<certreg::ClientTls> tls = certreg::LoadClientTls(
        absl::GetFlag(FLAGS_registry_tls_ca_file), "", "",
        absl::GetFlag(FLAGS_registry_tls_server_name), "registry_");
    if (!tls.ok()) {
      std::cerr << "certreg-verifier: " << tls.status().message() << "\n";
      return 2;
    }
    registry_tls = *std::move(tls);
  }
  certreg::RegistryClient client(absl::GetFlag(FLAGS_registry),
                                 std::chrono::seconds(10), registry_tls);
  certreg::RegistryBundleSource source(&client);
  certreg::ClaimVerifierOptions options;
  options.keys.operator_key =
      std::make_shared<const certreg::Ed25519PublicKey>(*operator_key);
  options.keys.log_key =
      std::make_shared<const certreg::Ed25519PublicKey>(*log_key);
  options.policy.max_checkpoint_age =
      absl::Seconds(absl::GetFlag(FLAGS_max_checkpoint_age_seconds));
  options.state_path = absl::GetFlag(FLAGS_state_file);
  options.threads = absl::GetFlag(FLAGS_threads);
  auto verifier = certreg::ClaimVerifier::New(&source, options);
  if (!verifier.ok()) {
    std::cerr << "certreg-verifier: " << verifier.status().message() << "\n";
    return 1;
  }
  auto observability = certreg::StartObservability(
      certreg::ObservabilityFromFlags(absl::GetFlag(FLAGS_metrics_listen)),
      "certreg-verifier");
  if (!observability.ok()) {
    std::cerr << "certreg-verifier: " << observability.status().message()
              << "\n";
    return 1;
  }
  auto quota = certreg::CallQuota::Create(certreg::QuotaFromFlags(),
                                          &(*observability)->registry());
  if (!quota.ok()) {
    std::cerr << "certreg-verifier: " << quota.status().message() << "\n";
    return 1;
  }
  certreg::VerifierService service(verifier->get(), quota->get());
  (*observability)
      ->set_client_namer(
          [quota = quota->get()](const grpc::ServerContextBase& context) {
            return quota->KeyName(context);
          });
  serving->listen_address = absl::GetFlag(FLAGS_listen);
  serving->health_service_names = {
      certreg::v1::VerifierService::service_full_name()};
  serving->observability = observability->get();
  std::cerr << "certreg-verifier: " << certreg::RaiseOpenFileLimit() << "\n";
  auto started = certreg::StartGrpcServer(*serving, {&service});
  if (!started.ok()) {
    std::cerr << "certreg-verifier: " << started.status().message() << "\n";
    return 1;
  }
  std::cerr << "certreg-verifier: registry " << client.address() << "\n"
            << "certreg-verifier: pinned operator key "
            << certreg::ToHex(operator_key->key_id()) << ", log key "
            << certreg::ToHex(log_key->key_id()) << "\n"
            << "certreg-verifier: trusted checkpoint kept in "
            << options.state_path << "\n"
            << "certreg-verifier: listening on " << started->address
            << (serving->tls.has_value() ? " (gRPC over TLS)"
                                         : " (gRPC, plaintext)")
            << std::endl;
  if (!(*observability)->metrics_address().empty()) {
    std::cerr << "certreg-verifier: metrics on http://"
              << (*observability)->metrics_address() << "/metrics" << std::endl;
  }
  const certreg::StopRequest stop = certreg::WaitForStopRequest();
  std::cerr << "certreg-verifier: " << stop.why << "; shutting down"
            << std::endl;
  started->server->GetHealthCheckService()->Shutdown();
  started->server->Shutdown(
      absl::ToChronoTime(absl::Now() + certreg::kShutdownGrace));
  std::cerr << "certreg-verifier: stopped" << std::endl;
  certreg::ExitStoppedServer(stop.exit_code);
}
