// certreg-web: the public front-end. Web pages (search, certificate, QR
// code, procurement verification) and the JSON API over a registry (or
// mirror) reached by gRPC. Trusts only the pinned keys: every certificate it
// shows comes from a bundle it verified.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/crypto/key_files.h"
#include "verifier/grpc/client_channel.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/grpc/server_observability.h"
#include "verifier/http/http_server.h"
#include "verifier/service/registry_bundle_source.h"
#include "verifier/web/web_frontend.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080",
          "host:port to serve the pages and the JSON API on. A non-loopback "
          "address needs --tls_cert_file/--tls_key_file, or "
          "--allow_insecure_listen behind a TLS-terminating proxy.");
ABSL_FLAG(std::string, public_url, "",
          "The site's public base URL (e.g. https://cert.example.cn), used "
          "in QR codes and canonical links. Default: from the request's "
          "Host header.");
ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address of the registry (or any mirror) to read from.");
ABSL_FLAG(bool, registry_tls, false,
          "Reach --registry over TLS (system CAs, or --registry_tls_ca_file).");
ABSL_FLAG(std::string, registry_tls_ca_file, "",
          "PEM CA the registry's certificate must chain to; implies "
          "--registry_tls.");
ABSL_FLAG(std::string, registry_tls_server_name, "",
          "The name the registry's certificate must carry; implies "
          "--registry_tls.");
ABSL_FLAG(std::string, operator_public_key, "",
          "Pinned PEM public key of the registry operator (default "
          "CONFIG/operator.pub, CONFIG = ~/.config/certreg).");
ABSL_FLAG(std::string, log_public_key, "",
          "Pinned PEM public key of the registry's log (default "
          "CONFIG/log.pub).");
ABSL_FLAG(std::string, state_file,
          certreg::DefaultDataDir() + "/web/trusted_checkpoint",
          "Where the last trusted checkpoint is kept, so a registry that "
          "rewrites history is caught across restarts.");
ABSL_FLAG(int, max_checkpoint_age_seconds, 24 * 3600,
          "A certificate whose checkpoint is older than this is shown with a "
          "warning that it may be out of date.");
ABSL_FLAG(int, answer_cache_seconds, 60,
          "Keep a verified certificate this long at most, while the "
          "registry's checkpoint stays the same (checked every second); 0 "
          "verifies every request afresh.");
ABSL_FLAG(
    std::string, tls_cert_file, "",
    "PEM certificate chain for HTTPS (re-read within a second of changing).");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key for HTTPS.");
ABSL_FLAG(bool, allow_insecure_listen, false,
          "Serve plain HTTP on a non-loopback --listen (behind a proxy that "
          "terminates TLS).");
ABSL_FLAG(int, threads, 4 * std::max(1u, std::thread::hardware_concurrency()),
          "Threads serving connections (a page waits for the registry, so "
          "several per core).");
ABSL_FLAG(int, request_timeout_seconds, 15,
          "Time a client has to send a whole request (and how long an idle "
          "kept-alive connection stays open): slow senders are cut off.");
ABSL_FLAG(int, max_connections, 10000,
          "Open connections at most; more are closed at once.");
ABSL_FLAG(int, max_connections_per_client, 256,
          "Open connections from one IP address at most.");
ABSL_FLAG(double, quota_lookups_per_second,
          certreg::WebFrontendOptions().rates.lookups,
          "Certificate pages, QR codes and JSON lookups a second per client "
          "(API key or IP address); 0: unlimited.");
ABSL_FLAG(double, quota_searches_per_second,
          certreg::WebFrontendOptions().rates.searches,
          "Searches a second per client; 0: unlimited.");
ABSL_FLAG(double, quota_verifications_per_second,
          certreg::WebFrontendOptions().rates.verifications,
          "Verifications a second per client (a batch costs one per 200 "
          "bytes of its body); 0: unlimited.");
ABSL_FLAG(bool, quota_local_clients, false,
          "Meter clients on this machine too (by default they are not).");
ABSL_FLAG(std::string, api_keys_file, "",
          "API keys with their own rates (the registry's format: NAME "
          "SHA256_HEX LOOKUPS SEARCHES VERIFICATIONS STREAMS WRITES).");
ABSL_FLAG(std::string, access_log, "",
          "File to append one line per request to ('-': standard error).");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9466",
          "Where Prometheus scrapes the front-end's metrics (/metrics); keep "
          "it off public addresses. Empty: none.");

namespace {

// Everything the front-end's flags say, checked; the exit status and a
// message when they say something impossible.
struct Setup {
  certreg::HttpServerOptions http;
  certreg::WebFrontendOptions frontend;
  certreg::ClaimVerifierOptions verifier;
  std::optional<certreg::ClientTls> registry_tls;
};

// The pinned keys (--operator_public_key, --log_public_key, or CONFIG's).
absl::StatusOr<certreg::PinnedKeys> PinnedKeysFromFlags() {
  const std::string config = certreg::DefaultConfigDir();
  std::string operator_path = absl::GetFlag(FLAGS_operator_public_key);
  if (operator_path.empty()) operator_path = config + "/operator.pub";
  std::string log_path = absl::GetFlag(FLAGS_log_public_key);
  if (log_path.empty()) log_path = config + "/log.pub";
  auto operator_key = certreg::ReadPublicKey(operator_path);
  if (!operator_key.ok()) return operator_key.status();
  auto log_key = certreg::ReadPublicKey(log_path);
  if (!log_key.ok()) return log_key.status();
  certreg::PinnedKeys keys;
  keys.operator_key =
      std::make_shared<const certreg::Ed25519PublicKey>(*operator_key);
  keys.log_key = std::make_shared<const certreg::Ed25519PublicKey>(*log_key);
  return keys;
}

// TLS to the registry when any --registry_tls* flag asks for it.
absl::StatusOr<std::optional<certreg::ClientTls>> RegistryTlsFromFlags() {
  if (!absl::GetFlag(FLAGS_registry_tls) &&
      absl::GetFlag(FLAGS_registry_tls_ca_file).empty() &&
      absl::GetFlag(FLAGS_registry_tls_server_name).empty()) {
    return std::nullopt;
  }
  absl::StatusOr<certreg::ClientTls> tls = certreg::LoadClientTls(
      absl::GetFlag(FLAGS_registry_tls_ca_file), "", "",
      absl::GetFlag(FLAGS_registry_tls_server_name), "registry_");
  if (!tls.ok()) return tls.status();
  return std::optional<certreg::ClientTls>(*std::move(tls));
}

absl::StatusOr<Setup> SetupFromFlags() {
  Setup setup;
  setup.http.listen_address = absl::GetFlag(FLAGS_listen);
  setup.http.threads = absl::GetFlag(FLAGS_threads);
  setup.http.max_connections = absl::GetFlag(FLAGS_max_connections);
  setup.http.max_connections_per_client =
      absl::GetFlag(FLAGS_max_connections_per_client);
  setup.http.server_name = "certreg-web";
  if (absl::GetFlag(FLAGS_request_timeout_seconds) < 1) {
    return absl::InvalidArgumentError(
        "--request_timeout_seconds: must be at least 1");
  }
  setup.http.request_timeout =
      absl::Seconds(absl::GetFlag(FLAGS_request_timeout_seconds));
  const std::string cert = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key = absl::GetFlag(FLAGS_tls_key_file);
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together");
  }
  if (!cert.empty()) setup.http.tls = certreg::HttpTlsFiles{cert, key};
  const std::string& listen = setup.http.listen_address;
  const bool local = absl::StartsWith(listen, "127.") ||
                     absl::StartsWith(listen, "localhost:") ||
                     absl::StartsWith(listen, "[::1]:");
  if (!local && cert.empty() && !absl::GetFlag(FLAGS_allow_insecure_listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", listen,
        " is reachable from other machines: give --tls_cert_file and "
        "--tls_key_file, or --allow_insecure_listen behind a TLS proxy"));
  }
  setup.frontend.pages.public_url = absl::GetFlag(FLAGS_public_url);
  if (absl::GetFlag(FLAGS_answer_cache_seconds) < 0) {
    return absl::InvalidArgumentError(
        "--answer_cache_seconds: must be 0 or more");
  }
  setup.frontend.cache.max_age =
      absl::Seconds(absl::GetFlag(FLAGS_answer_cache_seconds));
  setup.frontend.rates.lookups = absl::GetFlag(FLAGS_quota_lookups_per_second);
  setup.frontend.rates.searches =
      absl::GetFlag(FLAGS_quota_searches_per_second);
  setup.frontend.rates.verifications =
      absl::GetFlag(FLAGS_quota_verifications_per_second);
  setup.frontend.meter_local_clients = absl::GetFlag(FLAGS_quota_local_clients);
  setup.frontend.api_keys_file = absl::GetFlag(FLAGS_api_keys_file);
  setup.frontend.access_log = absl::GetFlag(FLAGS_access_log);

  absl::StatusOr<certreg::PinnedKeys> keys = PinnedKeysFromFlags();
  if (!keys.ok()) return keys.status();
  setup.verifier.keys = *std::move(keys);
  setup.verifier.policy.max_checkpoint_age =
      absl::Seconds(absl::GetFlag(FLAGS_max_checkpoint_age_seconds));
  setup.verifier.state_path = absl::GetFlag(FLAGS_state_file);
  setup.verifier.threads = std::max(2, absl::GetFlag(FLAGS_threads) / 2);
  absl::StatusOr<std::optional<certreg::ClientTls>> tls =
      RegistryTlsFromFlags();
  if (!tls.ok()) return tls.status();
  setup.registry_tls = *std::move(tls);
  return setup;
}

}  // namespace

int main(int argc, char** argv) {
  certreg::ParseServerFlags(
      argc, argv,
      "The certreg public front-end: certificate pages (search, /c/NUMBER, "
      "QR codes, /verify) and the JSON API (/api/v1/, described at "
      "/api/v1/openapi.json) over a registry, showing only what it "
      "verified with the pinned keys.\n\n"
      "Example:\n  certreg-web --registry=127.0.0.1:50051 "
      "--listen=127.0.0.1:8080 --operator_public_key=operator.pub "
      "--log_public_key=log.pub",
      "web_main.cc");
  certreg::BlockTerminationSignals();
  absl::StatusOr<Setup> setup = SetupFromFlags();
  if (!setup.ok()) {
    std::cerr << "certreg-web: " << setup.status().message() << "\n";
    return 2;
  }
  certreg::RegistryClient registry(absl::GetFlag(FLAGS_registry),
                                   std::chrono::seconds(10),
                                   setup->registry_tls);
  certreg::RegistryBundleSource source(&registry);
  auto verifier = certreg::ClaimVerifier::New(&source, setup->verifier);
  if (!verifier.ok()) {
    std::cerr << "certreg-web: " << verifier.status().message() << "\n";
    return 1;
  }
  auto metrics = std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (absl::Status checked = certreg::CheckMetricsListen(
          metrics_listen, absl::GetFlag(FLAGS_allow_insecure_listen));
      !checked.ok()) {
    std::cerr << "certreg-web: --" << checked.message() << "\n";
    return 2;
  }
  if (!metrics_listen.empty()) {
    try {
      exposer = std::make_unique<prometheus::Exposer>(metrics_listen);
      exposer->RegisterCollectable(metrics);
    } catch (const std::exception& e) {
      std::cerr << "certreg-web: warning: no metrics: cannot listen on "
                << metrics_listen << ": " << e.what() << "\n";
    }
  }
  auto frontend = certreg::WebFrontend::New(verifier->get(), &registry,
                                            setup->frontend, metrics.get());
  if (!frontend.ok()) {
    std::cerr << "certreg-web: " << frontend.status().message() << "\n";
    return 2;
  }
  std::cerr << "certreg-web: " << certreg::RaiseOpenFileLimit() << "\n";
  auto server = certreg::HttpServer::Start(
      setup->http, [frontend = frontend->get()](const certreg::HttpRequest& r) {
        return frontend->Handle(r);
      });
  if (!server.ok()) {
    std::cerr << "certreg-web: " << server.status().message() << "\n";
    return 1;
  }
  const std::string scheme = setup->http.tls.has_value() ? "https" : "http";
  std::cerr << "certreg-web: registry " << registry.address() << "\n"
            << "certreg-web: trusted checkpoint kept in "
            << setup->verifier.state_path << "\n";
  if (exposer != nullptr) {
    std::cerr << "certreg-web: metrics on http://" << metrics_listen
              << "/metrics\n";
  }
  std::cerr << "certreg-web: serving on " << scheme << "://"
            << (*server)->address() << "/" << std::endl;
  const certreg::StopRequest stop = certreg::WaitForStopRequest();
  std::cerr << "certreg-web: " << stop.why << "; shutting down" << std::endl;
  server->reset();
  std::cerr << "certreg-web: stopped" << std::endl;
  certreg::ExitStoppedServer(stop.exit_code);
}
