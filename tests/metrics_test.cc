// The registry's metrics endpoint after a workload: calls counted by method
// and code, the log's size, fsyncs, the checkpoint's age, RocksDB's cache;
// and the access log's lines. Scraped with curl like any Prometheus would.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

TEST(MetricsTest, TheRegistryCountsWhatItDidAndLogsEachCall) {
  const std::string dir = testing::TempDir() + "/metrics";
  std::filesystem::remove_all(dir);
  Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  ASSERT_TRUE(
      WriteKeyPair(operator_key, dir + "/operator.key", dir + "/operator.pub")
          .ok());
  const std::string metrics = absl::StrCat("127.0.0.1:", TestPort(1));
  RegistryProcess server(
      dir + "/data", dir + "/operator.pub", TestPort(0), dir + "/registry.err",
      {"--metrics_listen=" + metrics, "--access_log=" + dir + "/access.log"});
  ASSERT_TRUE(server.WaitReady());
  RegistryClient client(server.address());
  std::vector<Ed25519PrivateKey> body_keys = {*Ed25519PrivateKey::Generate(),
                                              *Ed25519PrivateKey::Generate()};
  auto seeded =
      SeedDemo(operator_key, body_keys, TodayInChina(),
               [&client](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return client.Submit(kind, s);
               });
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  v1::GetCertificateRequest get;
  get.set_number("90126Q21540R2M");
  ASSERT_TRUE(client.GetCertificate(get).ok());
  get.set_number("90126Q99999R2M");
  EXPECT_FALSE(client.GetCertificate(get).ok());
  sleep(2);  // a checkpoint is signed

  CommandResult scrape =
      RunCommand("/usr/bin/curl",
                 {"-sS", "--max-time", "10", "http://" + metrics + "/metrics"});
  ASSERT_EQ(scrape.exit_code, 0) << scrape.err;
  const std::string& text = scrape.out;
  for (const std::string& expected : {
           std::string("certreg_grpc_server_handled_total{grpc_code=\"OK\","
                       "grpc_method=\"GetCertificate\",grpc_service="
                       "\"certreg.v1.RegistryService\"} 1"),
           std::string("certreg_grpc_server_handled_total{grpc_code="
                       "\"NOT_FOUND\",grpc_method=\"GetCertificate\","
                       "grpc_service=\"certreg.v1.RegistryService\"} 1"),
           std::string("certreg_log_size 24"),
           std::string("certreg_read_only 0"),
           std::string("# TYPE certreg_fsync_duration_seconds histogram"),
           std::string("certreg_checkpoint_age_seconds "),
           std::string("certreg_disk_free_bytes "),
           std::string("certreg_rocksdb_block_cache_hits_total "),
           std::string("certreg_rocksdb_writes_stopped 0"),
           std::string("process_resident_memory_bytes "),
       }) {
    EXPECT_TRUE(absl::StrContains(text, expected)) << expected << "\n" << text;
  }
  std::smatch fsyncs;
  ASSERT_TRUE(std::regex_search(
      text, fsyncs,
      std::regex(R"(certreg_fsync_duration_seconds_count (\d+))")));
  EXPECT_GT(std::stoi(fsyncs[1]), 0);

  server.Kill(SIGTERM);
  std::ifstream in(dir + "/access.log");
  std::stringstream log;
  log << in.rdbuf();
  EXPECT_TRUE(std::regex_search(
      log.str(),
      std::regex(
          R"(peer=ipv4:127\.0\.0\.1:\d+ method=/certreg\.v1\.RegistryService/GetCertificate code=NOT_FOUND latency_ms=[0-9.]+ request_bytes=16 response_bytes=0 client=-)")))
      << log.str();
}

}  // namespace
}  // namespace certreg
