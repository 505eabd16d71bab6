// certreg-watch-lag: how long a watcher waits for a statement. Writes
// pre-signed issue statements of one body at a fixed rate (one per call),
// follows WatchCertificates for that body meanwhile, and prints the lag from
// each statement's acknowledgement to its arrival on the stream as JSON:
//   {"statements": N, "received": N, "lag_p50_ms": .., "lag_p99_ms": ..,
//    "lag_max_ms": ..}
// Run it beside a write load to measure the lag under load.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tools/loadgen/presigned_writes.h"
#include "verifier/grpc/registry_client.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051", "The registry.");
ABSL_FLAG(std::string, write_key, "", "PEM private key of the body.");
ABSL_FLAG(std::string, write_body, "", "The body's approval number.");
ABSL_FLAG(std::string, numbers_file, "",
          "CSV whose first column holds certificate numbers (a template of "
          "the body's is taken from them).");
ABSL_FLAG(double, rate, 100, "Statements a second.");
ABSL_FLAG(double, duration, 10, "Seconds of writing.");

namespace {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<size_t>(values.size() * p))];
}

std::vector<std::string> NumbersOf(const std::string& path) {
  std::vector<std::string> numbers;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (numbers.size() < 1000 && std::getline(in, line)) {
    numbers.push_back(std::string(
        static_cast<absl::string_view>(*absl::StrSplit(line, ',').begin())));
  }
  return numbers;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "certreg-watch-lag --registry=HOST:PORT --write_key=BODY.key "
      "--write_body=CNCA-R-2002-901 --numbers_file=certificates.csv");
  absl::ParseCommandLine(argc, argv);
  certreg::RegistryClient client(absl::GetFlag(FLAGS_registry));
  const double rate = absl::GetFlag(FLAGS_rate);
  const size_t count =
      static_cast<size_t>(rate * absl::GetFlag(FLAGS_duration)) + 1;
  absl::StatusOr<std::vector<certreg::v1::SignedStatement>> writes =
      certreg::loadgen::PresignWrites(
          client,
          {absl::GetFlag(FLAGS_write_key), absl::GetFlag(FLAGS_write_body), ""},
          NumbersOf(absl::GetFlag(FLAGS_numbers_file)), count);
  if (!writes.ok()) {
    std::cerr << "certreg-watch-lag: " << writes.status().message() << "\n";
    return 2;
  }
  absl::Mutex mu;
  absl::flat_hash_map<uint64_t, absl::Time> received, acknowledged;
  std::atomic<bool> stop{false};
  std::thread watcher([&] {
    certreg::RegistryClient watching(absl::GetFlag(FLAGS_registry));
    certreg::v1::WatchCertificatesRequest request;
    request.mutable_filter()->add_body_approval_numbers(
        absl::GetFlag(FLAGS_write_body));
    request.set_skip_current_state(true);
    request.set_heartbeat_seconds(1);
    (void)watching.Watch(request, [&](const certreg::v1::CertificateChange& c) {
      if (c.kind() == certreg::v1::CHANGE_KIND_STATEMENT) {
        absl::MutexLock lock(&mu);
        received.emplace(c.leaf_index(), absl::Now());
      }
      return !stop.load();
    });
  });
  absl::SleepFor(absl::Seconds(1));  // the stream is open
  const absl::Time start = absl::Now();
  constexpr int kWriters = 4;
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&, t] {
      certreg::RegistryClient writing(absl::GetFlag(FLAGS_registry));
      for (size_t i = t; i < writes->size(); i += kWriters) {
        absl::SleepFor(start + absl::Seconds(i / rate) - absl::Now());
        auto receipt =
            writing.Submit(certreg::v1::STATEMENT_KIND_ISSUE, (*writes)[i]);
        if (!receipt.ok()) continue;
        absl::MutexLock lock(&mu);
        acknowledged.emplace(receipt->leaf_index(), absl::Now());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  for (int i = 0; i < 50; ++i) {  // the last ones on their way
    {
      absl::MutexLock lock(&mu);
      if (received.size() >= acknowledged.size()) break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  stop = true;
  watcher.join();
  std::vector<double> lags;
  absl::MutexLock lock(&mu);
  for (const auto& [leaf, acked] : acknowledged) {
    auto it = received.find(leaf);
    if (it == received.end()) continue;
    lags.push_back(
        std::max(0.0, absl::ToDoubleMilliseconds(it->second - acked)));
  }
  std::cout << absl::StrFormat(
      "{\"statements\": %d, \"received\": %d, \"lag_p50_ms\": %.3f, "
      "\"lag_p99_ms\": %.3f, \"lag_max_ms\": %.3f}\n",
      acknowledged.size(), lags.size(), Percentile(lags, 0.5),
      Percentile(lags, 0.99), Percentile(lags, 1.0));
  return lags.size() == acknowledged.size() && !lags.empty() ? 0 : 1;
}
