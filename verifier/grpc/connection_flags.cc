#include "verifier/grpc/connection_flags.h"

#include <algorithm>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

ABSL_FLAG(int, max_streams_per_connection,
          certreg::GrpcServerOptions().max_streams_per_connection,
          "Most calls (streams included) in progress at once on one client "
          "connection; a client's further calls wait on its side until one "
          "ends. Bounds the memory a flood of requests can take in the "
          "server.");
ABSL_FLAG(int, keepalive_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().keepalive),
          "Every client connection is pinged this often (HTTP/2 PING), so "
          "that the connections and calls of clients that vanished without "
          "closing them are let go. At least 1.");
ABSL_FLAG(int, keepalive_timeout_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().keepalive_timeout),
          "A connection whose client has not answered a ping within this "
          "long is closed and its calls cancelled. At least 1.");
ABSL_FLAG(int, max_connection_idle_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().max_idle),
          "A connection without a call in progress for this long is closed "
          "(HTTP/2 GOAWAY); its client reconnects on its next call. 0: "
          "never.");

ABSL_FLAG(int, max_connection_age_seconds,
          absl::ToInt64Seconds(certreg::ConnectionLiveness().max_age),
          "A connection this old is told to go away (its client reconnects) "
          "and closed a minute later with any call still on it: the longest "
          "a call or stream lives. 0: never.");
ABSL_FLAG(int, max_connections, -1,
          "Most client connections open at once; one more is closed as soon "
          "as it is accepted (its client sees UNAVAILABLE and retries), so "
          "that a flood of connections never runs the listener out of "
          "descriptors. -1: half the open-file limit, at most 1,024 below "
          "it; 0: no cap.");
ABSL_FLAG(int, connection_reserve, 32,
          "How many of --max_connections only clients from "
          "--connection_reserve_sources may take, so that health checks and "
          "operators get in when the public has filled the rest (with an "
          "automatic cap, at most a quarter of it).");
ABSL_FLAG(std::string, connection_reserve_sources, "127.0.0.0/8,::1/128",
          "Comma-separated networks (ADDRESS or ADDRESS/PREFIX, IPv4 or IPv6) "
          "whose clients may use --connection_reserve: where health checks "
          "come from.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "Serve TLS (1.2 or 1.3, modern ciphers only) with this PEM "
          "certificate (chain); with --tls_key_file. Re-read when it changes "
          "(within a second), open connections undisturbed.");
ABSL_FLAG(std::string, tls_key_file, "",
          "The PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "Verify client certificates against this PEM CA when a client "
          "presents one (public callers need none); on the registry, a "
          "client with a verified certificate may call the admin service "
          "over TLS.");
ABSL_FLAG(bool, allow_insecure_listen, false,
          "Serve plaintext on an address other machines can reach (behind a "
          "proxy that terminates TLS, say). Without it such a --listen needs "
          "--tls_cert_file.");

ABSL_FLAG(std::string, access_log, "",
          "Write one line per call (time, peer, method, status code, latency, "
          "request and response bytes, client certificate) to this file; "
          "\"-\": standard error. Default: none.");
ABSL_FLAG(double, access_log_sample, 1.0,
          "The fraction of calls the access log gets (0 to 1), for heavy "
          "load.");

ABSL_FLAG(double, quota_lookups_per_second,
          certreg::QuotaOptions().rates.lookups,
          "Per client (its x-api-key, else its IP address): lookups a second "
          "(certificates, bodies, checkpoints, keys; each lookup of a stream). "
          "A client may burst to twice this. 0: unlimited.");
ABSL_FLAG(double, quota_searches_per_second,
          certreg::QuotaOptions().rates.searches,
          "Per client: searches a second. 0: unlimited.");
ABSL_FLAG(double, quota_verifications_per_second,
          certreg::QuotaOptions().rates.verifications,
          "Per client: verification bundles, proofs and entries (registry) or "
          "claims (verifier) a second. 0: unlimited.");
ABSL_FLAG(double, quota_streams_per_second,
          certreg::QuotaOptions().rates.streams,
          "Per client: streams opened a second. 0: unlimited.");
ABSL_FLAG(double, quota_writes_per_second, certreg::QuotaOptions().rates.writes,
          "Per client: signed statements a second, a budget reads cannot "
          "spend. 0: unlimited.");
ABSL_FLAG(int, max_concurrent_reads,
          16 * static_cast<int>(std::max(1u,
                                         std::thread::hardware_concurrency())),
          "Reads running at once, all metered clients together (default: 16 "
          "a core), one class of read (lookups, searches, verifications, "
          "streams) half of them at most; more are refused "
          "(RESOURCE_EXHAUSTED with a retry delay), so readers cannot take "
          "every core from writers, nor one class of read from the others. "
          "0: no cap.");
ABSL_FLAG(bool, quota_local_clients, false,
          "Meter clients on this machine (loopback, unix sockets) too.");
ABSL_FLAG(std::string, api_keys_file, "",
          "API keys with their own rates, one a line: NAME SHA256_HEX LOOKUPS "
          "SEARCHES VERIFICATIONS STREAMS WRITES (per second, 0 unlimited). A "
          "client sends its key as metadata x-api-key.");

namespace certreg {

QuotaOptions QuotaFromFlags() {
  QuotaOptions options;
  options.rates = {absl::GetFlag(FLAGS_quota_lookups_per_second),
                   absl::GetFlag(FLAGS_quota_searches_per_second),
                   absl::GetFlag(FLAGS_quota_verifications_per_second),
                   absl::GetFlag(FLAGS_quota_streams_per_second),
                   absl::GetFlag(FLAGS_quota_writes_per_second)};
  options.max_concurrent_reads = absl::GetFlag(FLAGS_max_concurrent_reads);
  options.meter_local_clients = absl::GetFlag(FLAGS_quota_local_clients);
  options.api_keys_file = absl::GetFlag(FLAGS_api_keys_file);
  return options;
}

ObservabilityOptions ObservabilityFromFlags(const std::string& metrics_listen) {
  ObservabilityOptions options;
  options.metrics_listen = metrics_listen;
  options.access_log = absl::GetFlag(FLAGS_access_log);
  options.access_log_sample = absl::GetFlag(FLAGS_access_log_sample);
  options.allow_insecure_listen = absl::GetFlag(FLAGS_allow_insecure_listen);
  return options;
}

absl::StatusOr<GrpcServerOptions> ConnectionOptionsFromFlags() {
  GrpcServerOptions options;
  ServerTlsFiles tls = {absl::GetFlag(FLAGS_tls_cert_file),
                        absl::GetFlag(FLAGS_tls_key_file),
                        absl::GetFlag(FLAGS_tls_client_ca_file)};
  if (!tls.cert_file.empty() || !tls.key_file.empty()) {
    options.tls = tls;
  } else if (!tls.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca_file needs --tls_cert_file and --tls_key_file (client "
        "certificates are verified over TLS only)");
  }
  options.allow_insecure_listen = absl::GetFlag(FLAGS_allow_insecure_listen);
  options.max_streams_per_connection =
      absl::GetFlag(FLAGS_max_streams_per_connection);
  if (options.max_streams_per_connection < 1) {
    return absl::InvalidArgumentError(
        "--max_streams_per_connection must be at least 1");
  }
  ConnectionCapOptions& cap = options.connection_cap;
  cap.max_connections = absl::GetFlag(FLAGS_max_connections);
  cap.reserve = absl::GetFlag(FLAGS_connection_reserve);
  cap.reserved_sources.clear();
  for (absl::string_view source :
       absl::StrSplit(absl::GetFlag(FLAGS_connection_reserve_sources), ',',
                      absl::SkipWhitespace())) {
    cap.reserved_sources.emplace_back(absl::StripAsciiWhitespace(source));
  }
  if (cap.max_connections < -1 || cap.reserve < 0) {
    return absl::InvalidArgumentError(
        "--max_connections must be -1 (automatic), 0 (no cap) or more; "
        "--connection_reserve 0 or more");
  }
  if (absl::Status checked =
          ConnectionCap::Create({std::max(cap.max_connections, 0),
                                 cap.max_connections > 0 ? cap.reserve : 0,
                                 cap.reserved_sources})
              .status();
      !checked.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", checked.message()));
  }
  struct Seconds {
    const char* flag;
    int value;
    int minimum;
    absl::Duration* into;
  };
  ConnectionLiveness& liveness = options.liveness;
  for (const Seconds& seconds : {
           Seconds{"keepalive_seconds", absl::GetFlag(FLAGS_keepalive_seconds),
                   1, &liveness.keepalive},
           Seconds{"keepalive_timeout_seconds",
                   absl::GetFlag(FLAGS_keepalive_timeout_seconds), 1,
                   &liveness.keepalive_timeout},
           Seconds{"max_connection_idle_seconds",
                   absl::GetFlag(FLAGS_max_connection_idle_seconds), 0,
                   &liveness.max_idle},
           Seconds{"max_connection_age_seconds",
                   absl::GetFlag(FLAGS_max_connection_age_seconds), 0,
                   &liveness.max_age},
       }) {
    if (seconds.value < seconds.minimum) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", seconds.flag, " must be at least ", seconds.minimum));
    }
    *seconds.into = absl::Seconds(seconds.value);
  }
  return options;
}

}  // namespace certreg
