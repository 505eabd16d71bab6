#ifndef CERTREG_VERIFIER_GRPC_SERVER_OBSERVABILITY_H_
#define CERTREG_VERIFIER_GRPC_SERVER_OBSERVABILITY_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "verifier/grpc/connection_cap.h"

namespace certreg {

// What a server process shows its operator: Prometheus metrics on a
// listener of their own (prometheus-cpp's exposer, text format at
// /metrics) and an access log with one line per call.
struct ObservabilityOptions {
  // host:port of the metrics listener; empty: none.
  std::string metrics_listen;
  // The access log's file, "-" for standard error; empty: none.
  std::string access_log;
  // The fraction of calls logged (1: all), for heavy load.
  double access_log_sample = 1;
  // A metrics_listen other machines can reach is refused without it (the
  // listener is plain HTTP).
  bool allow_insecure_listen = false;
};

// INVALID_ARGUMENT when `metrics_listen` can be reached from other machines
// and plain HTTP there is not allowed: metrics name clients and keys, and
// the listener has no TLS; scrape it on loopback (through a proxy or a
// tunnel from elsewhere).
absl::Status CheckMetricsListen(const std::string& metrics_listen,
                                bool allow_insecure_listen);

// Metrics of every server: per gRPC method, calls handled by status code
// (certreg_grpc_server_handled_total), their latency
// (certreg_grpc_server_handling_seconds) and those in progress
// (certreg_grpc_server_in_flight); the process's memory, CPU and
// descriptors (process_*, as Prometheus' own clients name them). Servers add
// their own collectables. Thread-safe.
class ServerObservability {
 public:
  // Opens the access log and starts the metrics listener. INVALID_ARGUMENT
  // for a sample outside 0..1; UNAVAILABLE naming the file or address that
  // cannot be opened or bound.
  static absl::StatusOr<std::unique_ptr<ServerObservability>> Start(
      const ObservabilityOptions& options);
  ~ServerObservability();

  // The metrics listener's host:port (its port as bound); empty when none.
  const std::string& metrics_address() const { return metrics_address_; }

  // Where a server's own metrics go (counters, gauges, histograms).
  prometheus::Registry& registry() { return *registry_; }
  // Adds metrics read when they are scraped; kept alive here.
  void AddCollectable(std::shared_ptr<prometheus::Collectable> collectable);
  // Shows the connections under `cap`: open
  // (certreg_grpc_server_connections), the cap
  // (certreg_grpc_server_connections_max) and refused
  // (certreg_grpc_server_connections_refused_total).
  void AddConnectionCap(std::shared_ptr<ConnectionCap> cap);

  // How the access log names a call's client (an API key's name, say);
  // when it answers "", the name of a verified client certificate, else "-".
  // Set before serving.
  void set_client_namer(
      std::function<std::string(const grpc::ServerContextBase&)> namer) {
    client_namer_ = std::move(namer);
  }

  // A gRPC interceptor factory for grpc::ServerBuilder that counts every
  // call and writes the access log. `this` must outlive the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // For the interceptors.
  struct CallRecord {
    std::string peer;
    std::string method;  // /package.Service/Method
    std::string code;    // OK, INVALID_ARGUMENT, ...
    absl::Duration latency;
    uint64_t request_bytes = 0;
    uint64_t response_bytes = 0;
    std::string client;  // an API key's or a certificate's name, or "-"
  };
  // One method's metrics, made on its first call.
  struct MethodMetrics {
    prometheus::Gauge* in_flight;
    prometheus::Histogram* handling;
    absl::Mutex mu;
    absl::flat_hash_map<std::string, prometheus::Counter*> handled
        ABSL_GUARDED_BY(mu);  // by code
  };
  MethodMetrics& Method(absl::string_view method);
  bool SampleForLog();
  std::string ClientName(const grpc::ServerContextBase& context) const;
  void Finish(MethodMetrics& metrics, const CallRecord& call, bool log);

 private:
  ServerObservability() = default;

  std::shared_ptr<prometheus::Registry> registry_ =
      std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string metrics_address_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  prometheus::Family<prometheus::Counter>* handled_ = nullptr;
  prometheus::Family<prometheus::Histogram>* handling_ = nullptr;
  prometheus::Family<prometheus::Gauge>* in_flight_ = nullptr;
  absl::Mutex methods_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> methods_
      ABSL_GUARDED_BY(methods_mu_);
  double sample_ = 1;
  std::function<std::string(const grpc::ServerContextBase&)> client_namer_;
  absl::Mutex log_mu_;
  std::FILE* log_ ABSL_GUARDED_BY(log_mu_) = nullptr;
  bool own_log_ = false;
};

// ServerObservability::Start, but when the metrics address cannot be bound
// (a second server on this machine took the port, say) it says so on stderr,
// prefixed with `server`, and starts without metrics: better serving without
// them than not at all.
absl::StatusOr<std::unique_ptr<ServerObservability>> StartObservability(
    ObservabilityOptions options, absl::string_view server);

// The line an access log gets for `call` at `when`, without the newline:
// "2026-12-07T10:00:00.123Z peer=... method=... code=OK latency_ms=0.42
// request_bytes=22 response_bytes=1830 client=-".
std::string AccessLogLine(const ServerObservability::CallRecord& call,
                          absl::Time when);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_SERVER_OBSERVABILITY_H_
