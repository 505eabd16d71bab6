#include "verifier/grpc/server_observability.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "verifier/grpc/grpc_serving.h"

namespace certreg {
namespace {

// GET http://127.0.0.1:PORT/metrics; the body.
std::string Scrape(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return "";
  }
  const std::string request =
      "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request.data(), request.size()) < 0) return "";
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

// Problems with `text` as Prometheus' text exposition format (version
// 0.0.4): every sample line is NAME{LABELS} VALUE of a family with a TYPE,
// the value as Go's ParseFloat reads it (NaN and Inf in any case).
std::vector<std::string> ExpositionProblems(const std::string& text) {
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ([-+]?([0-9.]+([eE][-+]?[0-9]+)?|[Ii]nf|[Nn]a[Nn]))$)");
  static const std::regex kType(
      R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  std::set<std::string> typed;
  std::vector<std::string> problems;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::smatch match;
    const std::string l(line);
    if (std::regex_match(l, match, kType)) {
      typed.insert(match[1]);
    } else if (absl::StartsWith(l, "# HELP ")) {
      continue;
    } else if (std::regex_match(l, match, kSample)) {
      std::string family = match[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (absl::EndsWith(family, suffix) &&
            typed.count(family.substr(0, family.size() - strlen(suffix)))) {
          family = family.substr(0, family.size() - strlen(suffix));
        }
      }
      if (!typed.count(family)) problems.push_back("no TYPE before: " + l);
    } else {
      problems.push_back("not a sample: " + l);
    }
  }
  return problems;
}

TEST(ServerObservabilityTest, CountsCallsExposesThemAndLogsEachCall) {
  const std::string log = testing::TempDir() + "/access.log";
  std::filesystem::remove(log);
  ObservabilityOptions options;
  options.metrics_listen = "127.0.0.1:0";
  options.access_log = log;
  auto observability = ServerObservability::Start(options);
  ASSERT_TRUE(observability.ok()) << observability.status();
  GrpcServerOptions serving;
  serving.listen_address = "127.0.0.1:0";
  serving.observability = observability->get();
  auto started = StartGrpcServer(serving, {});
  ASSERT_TRUE(started.ok()) << started.status();

  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      started->address, grpc::InsecureChannelCredentials()));
  for (const char* service : {"", "no.such.Service"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    stub->Check(&context, request, &response);
  }
  started->server->Shutdown();
  started->server->Wait();

  const std::string address = (*observability)->metrics_address();
  ASSERT_FALSE(address.empty());
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port));
  const std::string metrics = Scrape(port);
  EXPECT_TRUE(absl::StrContains(
      metrics,
      "certreg_grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
      "\"Check\",grpc_service=\"grpc.health.v1.Health\"} 1"))
      << metrics;
  EXPECT_TRUE(absl::StrContains(
      metrics,
      "certreg_grpc_server_handled_total{grpc_code=\"NOT_FOUND\","
      "grpc_method=\"Check\",grpc_service=\"grpc.health.v1.Health\"} 1"))
      << metrics;
  EXPECT_TRUE(absl::StrContains(
      metrics,
      "certreg_grpc_server_handling_seconds_count{grpc_method="
      "\"Check\",grpc_service=\"grpc.health.v1.Health\"} 2"))
      << metrics;
  EXPECT_TRUE(absl::StrContains(metrics, "process_resident_memory_bytes "))
      << metrics;
  const std::vector<std::string> problems = ExpositionProblems(metrics);
  EXPECT_TRUE(problems.empty()) << problems.front();

  observability->reset();  // closes the log
  std::ifstream in(log);
  std::stringstream lines;
  lines << in.rdbuf();
  EXPECT_TRUE(std::regex_search(
      lines.str(),
      std::regex(
          R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z peer=ipv4:127\.0\.0\.1:\d+ method=/grpc\.health\.v1\.Health/Check code=OK latency_ms=[0-9.]+ request_bytes=0 response_bytes=2 client=-)")))
      << lines.str();
}

TEST(ServerObservabilityTest, ABadSampleOrLogFileIsRefused) {
  ObservabilityOptions options;
  options.access_log_sample = 1.5;
  EXPECT_EQ(ServerObservability::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.access_log_sample = 1;
  options.access_log = "/nonexistent/dir/access.log";
  EXPECT_EQ(ServerObservability::Start(options).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(CheckMetricsListenTest, OtherMachinesNeedTheInsecureFlag) {
  EXPECT_TRUE(CheckMetricsListen("127.0.0.1:9464", false).ok());
  EXPECT_TRUE(CheckMetricsListen("", false).ok());
  const absl::Status refused = CheckMetricsListen("0.0.0.0:9464", false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.message(),
                               "metrics_listen: 0.0.0.0:9464 can be reached"))
      << refused;
  EXPECT_TRUE(CheckMetricsListen("0.0.0.0:9464", true).ok());
  ObservabilityOptions options;
  options.metrics_listen = "0.0.0.0:0";
  EXPECT_EQ(StartObservability(options, "test").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
