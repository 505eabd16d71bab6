#include "verifier/grpc/server_observability.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/message_lite.h"
#include "grpcpp/support/interceptor.h"
#include "verifier/grpc/server_tls.h"

namespace certreg {
namespace {

using grpc::experimental::InterceptionHookPoints;

// One metric family of a single value.
prometheus::MetricFamily OneValue(const char* name, const char* help,
                                  double value, prometheus::MetricType type) {
  prometheus::MetricFamily family{name, help, type, {}};
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

// The process's resident memory, CPU time, descriptors and start, read from
// /proc when scraped.
class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<prometheus::MetricFamily> families;
    auto gauge = [&](const char* name, const char* help, double value,
                     prometheus::MetricType type) {
      families.push_back(OneValue(name, help, value, type));
    };
    const long page = sysconf(_SC_PAGESIZE);
    uint64_t pages_total = 0, pages_resident = 0;
    std::ifstream("/proc/self/statm") >> pages_total >> pages_resident;
    gauge("process_resident_memory_bytes", "Resident memory in bytes.",
          double(pages_resident) * page, prometheus::MetricType::Gauge);
    gauge("process_virtual_memory_bytes", "Virtual memory in bytes.",
          double(pages_total) * page, prometheus::MetricType::Gauge);
    rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    gauge("process_cpu_seconds_total", "User and system CPU time in seconds.",
          cpu, prometheus::MetricType::Counter);
    size_t fds = 0;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
         !error && it != std::filesystem::directory_iterator();
         it.increment(error)) {
      ++fds;
    }
    gauge("process_open_fds", "Open file descriptors.", double(fds),
          prometheus::MetricType::Gauge);
    rlimit limit = {};
    getrlimit(RLIMIT_NOFILE, &limit);
    gauge("process_max_fds", "The limit on open file descriptors.",
          double(limit.rlim_cur), prometheus::MetricType::Gauge);
    return families;
  }
};

// The connections a ConnectionCap holds and refused, read when scraped.
class ConnectionCollector : public prometheus::Collectable {
 public:
  explicit ConnectionCollector(std::shared_ptr<ConnectionCap> cap)
      : cap_(std::move(cap)) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    return {OneValue("certreg_grpc_server_connections",
                     "Client connections open on the gRPC listener.",
                     cap_->OpenConnections(), prometheus::MetricType::Gauge),
            OneValue("certreg_grpc_server_connections_max",
                     "The cap on client connections (--max_connections).",
                     cap_->max_connections(), prometheus::MetricType::Gauge),
            OneValue("certreg_grpc_server_connections_refused_total",
                     "Connections closed at once for being over the cap.",
                     static_cast<double>(cap_->refused()),
                     prometheus::MetricType::Counter)};
  }

 private:
  std::shared_ptr<ConnectionCap> cap_;
};

// "/certreg.v1.RegistryService/GetCertificate" as service and method.
std::pair<std::string, std::string> SplitMethod(absl::string_view full) {
  const size_t slash = full.rfind('/');
  if (slash == absl::string_view::npos || slash == 0) {
    return {"", std::string(full)};
  }
  return {std::string(full.substr(full[0] == '/' ? 1 : 0,
                                  slash - (full[0] == '/' ? 1 : 0))),
          std::string(full.substr(slash + 1))};
}

// The size of a received request of one of certreg's own services, whose
// methods all take protobuf messages; 0 for others (gRPC's health service
// receives raw byte buffers) and for a request that did not parse.
uint64_t RequestBytes(absl::string_view method, const void* message) {
  if (message == nullptr || !absl::StartsWith(method, "/certreg.")) return 0;
  return static_cast<const google::protobuf::MessageLite*>(message)
      ->ByteSizeLong();
}

class ObservingInterceptor : public grpc::experimental::Interceptor {
 public:
  ObservingInterceptor(ServerObservability* observability,
                       grpc::experimental::ServerRpcInfo* info)
      : observability_(*observability),
        info_(*info),
        start_(absl::Now()),
        metrics_(observability->Method(info->method())),
        log_(observability->SampleForLog()) {
    metrics_.in_flight->Increment();
    call_.method = info->method();
  }

  ~ObservingInterceptor() override {
    metrics_.in_flight->Decrement();
    call_.latency = absl::Now() - start_;
    if (call_.code.empty()) call_.code = "CANCELLED";
    observability_.Finish(metrics_, call_, log_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (log_ && methods->QueryInterceptionHookPoint(
                    InterceptionHookPoints::POST_RECV_MESSAGE)) {
      call_.request_bytes +=
          RequestBytes(call_.method, methods->GetRecvMessage());
    }
    if (log_ && methods->QueryInterceptionHookPoint(
                    InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      // Serialized here instead of later, once either way.
      grpc::ByteBuffer* sent = methods->GetSerializedSendMessage();
      if (sent != nullptr) call_.response_bytes += sent->Length();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      call_.code = absl::StatusCodeToString(
          static_cast<absl::StatusCode>(methods->GetSendStatus().error_code()));
      if (log_ && info_.server_context() != nullptr) {
        call_.peer = info_.server_context()->peer();
        call_.client = observability_.ClientName(*info_.server_context());
      }
    }
    methods->Proceed();
  }

 private:
  ServerObservability& observability_;
  grpc::experimental::ServerRpcInfo& info_;
  const absl::Time start_;
  ServerObservability::MethodMetrics& metrics_;
  const bool log_;
  ServerObservability::CallRecord call_;
};

class ObservingInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ObservingInterceptorFactory(ServerObservability* observability)
      : observability_(observability) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ObservingInterceptor(observability_, info);
  }

 private:
  ServerObservability* const observability_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ServerObservability>> ServerObservability::Start(
    const ObservabilityOptions& options) {
  if (!(options.access_log_sample >= 0 && options.access_log_sample <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("access_log_sample: ", options.access_log_sample,
                     " is not a fraction from 0 to 1"));
  }
  auto observability = absl::WrapUnique(new ServerObservability());
  ServerObservability& o = *observability;
  o.sample_ = options.access_log_sample;
  o.handled_ = &prometheus::BuildCounter()
                    .Name("certreg_grpc_server_handled_total")
                    .Help("gRPC calls completed, by method and status code.")
                    .Register(*o.registry_);
  o.handling_ = &prometheus::BuildHistogram()
                     .Name("certreg_grpc_server_handling_seconds")
                     .Help("How long gRPC calls took, by method.")
                     .Register(*o.registry_);
  o.in_flight_ = &prometheus::BuildGauge()
                      .Name("certreg_grpc_server_in_flight")
                      .Help("gRPC calls in progress, by method.")
                      .Register(*o.registry_);
  o.AddCollectable(std::make_shared<ProcessCollector>());
  if (!options.access_log.empty()) {
    absl::MutexLock lock(&o.log_mu_);
    if (options.access_log == "-") {
      o.log_ = stderr;
    } else {
      o.log_ = std::fopen(options.access_log.c_str(), "a");
      if (o.log_ == nullptr) {
        return absl::UnavailableError(
            absl::StrCat("access_log: cannot open ", options.access_log));
      }
      o.own_log_ = true;
      std::setvbuf(o.log_, nullptr, _IOLBF, 1 << 16);
    }
  }
  if (absl::Status checked = CheckMetricsListen(options.metrics_listen,
                                                options.allow_insecure_listen);
      !checked.ok()) {
    return checked;
  }
  if (!options.metrics_listen.empty()) {
    try {
      o.exposer_ =
          std::make_unique<prometheus::Exposer>(options.metrics_listen);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("metrics_listen: cannot listen on ",
                       options.metrics_listen, ": ", e.what()));
    }
    o.exposer_->RegisterCollectable(o.registry_);
    for (const auto& collectable : o.collectables_) {
      o.exposer_->RegisterCollectable(collectable);
    }
    const std::vector<int> ports = o.exposer_->GetListeningPorts();
    const size_t colon = options.metrics_listen.rfind(':');
    o.metrics_address_ = absl::StrCat(options.metrics_listen.substr(0, colon),
                                      ":", ports.empty() ? 0 : ports.front());
  }
  return observability;
}

ServerObservability::~ServerObservability() {
  exposer_.reset();
  absl::MutexLock lock(&log_mu_);
  if (own_log_ && log_ != nullptr) std::fclose(log_);
}

void ServerObservability::AddCollectable(
    std::shared_ptr<prometheus::Collectable> collectable) {
  collectables_.push_back(collectable);
  if (exposer_ != nullptr) exposer_->RegisterCollectable(collectable);
}

void ServerObservability::AddConnectionCap(std::shared_ptr<ConnectionCap> cap) {
  AddCollectable(std::make_shared<ConnectionCollector>(std::move(cap)));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
ServerObservability::NewInterceptorFactory() {
  return std::make_unique<ObservingInterceptorFactory>(this);
}

ServerObservability::MethodMetrics& ServerObservability::Method(
    absl::string_view method) {
  {
    absl::ReaderMutexLock lock(&methods_mu_);
    auto found = methods_.find(method);
    if (found != methods_.end()) return *found->second;
  }
  absl::MutexLock lock(&methods_mu_);
  std::unique_ptr<MethodMetrics>& metrics = methods_[method];
  if (metrics == nullptr) {
    static const prometheus::Histogram::BucketBoundaries kBounds = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05,   0.1,     0.25,   0.5,   1,      2.5,   10};
    auto [service, name] = SplitMethod(method);
    const prometheus::Labels labels = {{"grpc_service", service},
                                       {"grpc_method", name}};
    metrics = std::make_unique<MethodMetrics>();
    metrics->in_flight = &in_flight_->Add(labels);
    metrics->handling = &handling_->Add(labels, kBounds);
  }
  return *metrics;
}

std::string ServerObservability::ClientName(
    const grpc::ServerContextBase& context) const {
  std::string name = client_namer_ ? client_namer_(context) : "";
  if (name.empty()) name = VerifiedClientIdentity(context);
  return name.empty() ? "-" : name;
}

bool ServerObservability::SampleForLog() {
  {
    absl::MutexLock lock(&log_mu_);
    if (log_ == nullptr) return false;
  }
  if (sample_ >= 1) return true;
  thread_local absl::BitGen random;
  return absl::Bernoulli(random, sample_);
}

void ServerObservability::Finish(MethodMetrics& metrics, const CallRecord& call,
                                 bool log) {
  prometheus::Counter* handled = nullptr;
  {
    absl::MutexLock lock(&metrics.mu);
    prometheus::Counter*& counter = metrics.handled[call.code];
    if (counter == nullptr) {
      auto [service, name] = SplitMethod(call.method);
      counter = &handled_->Add({{"grpc_service", service},
                                {"grpc_method", name},
                                {"grpc_code", call.code}});
    }
    handled = counter;
  }
  handled->Increment();
  metrics.handling->Observe(absl::ToDoubleSeconds(call.latency));
  if (!log) return;
  const std::string line = AccessLogLine(call, absl::Now()) + "\n";
  absl::MutexLock lock(&log_mu_);
  if (log_ != nullptr) std::fputs(line.c_str(), log_);
}

absl::Status CheckMetricsListen(const std::string& metrics_listen,
                                bool allow_insecure_listen) {
  if (metrics_listen.empty() || allow_insecure_listen ||
      IsLocalListenAddress(metrics_listen)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "metrics_listen: ", metrics_listen,
      " can be reached from other machines, and the metrics listener is "
      "plain HTTP: keep it on loopback (scrape it through a proxy or a "
      "tunnel), or give --allow_insecure_listen"));
}

absl::StatusOr<std::unique_ptr<ServerObservability>> StartObservability(
    ObservabilityOptions options, absl::string_view server) {
  absl::StatusOr<std::unique_ptr<ServerObservability>> started =
      ServerObservability::Start(options);
  if (started.ok() || options.metrics_listen.empty() ||
      !absl::IsUnavailable(started.status()) ||
      !absl::StartsWith(started.status().message(), "metrics_listen")) {
    return started;
  }
  std::cerr << server << ": " << started.status().message()
            << "; serving without metrics (give another --metrics_listen)"
            << std::endl;
  options.metrics_listen.clear();
  return ServerObservability::Start(options);
}

std::string AccessLogLine(const ServerObservability::CallRecord& call,
                          absl::Time when) {
  return absl::StrFormat(
      "%s peer=%s method=%s code=%s latency_ms=%.3f request_bytes=%d "
      "response_bytes=%d client=%s",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", when, absl::UTCTimeZone()),
      call.peer.empty() ? "-" : call.peer, call.method, call.code,
      absl::ToDoubleMilliseconds(call.latency), call.request_bytes,
      call.response_bytes, call.client.empty() ? "-" : call.client);
}

}  // namespace certreg
