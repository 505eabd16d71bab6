// certreg-watch-lag: how long a watcher waits for a statement. Writes
// pre-signed issue statements of one body at a fixed rate (one per call),
// follows WatchCertificates for that body meanwhile, and prints the lag from
// each statement's acknowledgement to its arrival on the stream as JSON:
//   {"statements": N, "received": N, "lag_p50_ms": .., "lag_p99_ms": ..,
//    "lag_max_ms": .., "webhook_received": N, "webhook_lag_p50_ms": ..,
//    "webhook_lag_p99_ms": ..}
// With --api_key it also registers a watchlist for the body whose webhook
// is a receiver of its own on loopback (and --watchlists more, each
// watching --watched_per_list of the CSV's certificates, as load), and
// measures the lag to the webhook's arrival. Run it beside a write load to
// measure the lags under load.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
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
#include "google/protobuf/util/json_util.h"
#include "tools/loadgen/presigned_writes.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/http/http_server.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051", "The registry.");
ABSL_FLAG(std::string, write_key, "", "PEM private key of the body.");
ABSL_FLAG(std::string, write_body, "", "The body's approval number.");
ABSL_FLAG(std::string, numbers_file, "",
          "CSV whose first column holds certificate numbers (a template of "
          "the body's is taken from them).");
ABSL_FLAG(double, rate, 100, "Statements a second.");
ABSL_FLAG(double, duration, 10, "Seconds of writing.");
ABSL_FLAG(std::string, api_key, "",
          "An API key the registry knows: measure webhooks too.");
ABSL_FLAG(int, watchlists, 0,
          "With --api_key: this many more watchlists, as load.");
ABSL_FLAG(int, watched_per_list, 100,
          "Certificates each of those watchlists watches.");

namespace {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<size_t>(values.size() * p))];
}

std::vector<std::string> NumbersOf(const std::string& path, size_t most) {
  std::vector<std::string> numbers;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (numbers.size() < most && std::getline(in, line)) {
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
          NumbersOf(absl::GetFlag(FLAGS_numbers_file), 1000), count);
  if (!writes.ok()) {
    std::cerr << "certreg-watch-lag: " << writes.status().message() << "\n";
    return 2;
  }
  absl::Mutex mu;
  absl::flat_hash_map<uint64_t, absl::Time> received, acknowledged, hooked;
  // The webhook receiver and the watchlists, when asked for.
  std::unique_ptr<certreg::HttpServer> receiver;
  std::vector<std::string> watchlist_ids;
  std::unique_ptr<certreg::RegistryClient> keyed =
      client.WithApiKey(absl::GetFlag(FLAGS_api_key));
  if (!absl::GetFlag(FLAGS_api_key).empty()) {
    certreg::HttpServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto started = certreg::HttpServer::Start(
        options, [&](const certreg::HttpRequest& request) {
          certreg::v1::WebhookEvent event;
          if (google::protobuf::util::JsonStringToMessage(request.body, &event)
                  .ok() &&
              event.change().kind() == certreg::v1::CHANGE_KIND_STATEMENT) {
            absl::MutexLock lock(&mu);
            hooked.emplace(event.change().leaf_index(), absl::Now());
          }
          return certreg::HttpResponse{200, "text/plain", "", {}};
        });
    if (!started.ok()) {
      std::cerr << "certreg-watch-lag: " << started.status().message() << "\n";
      return 2;
    }
    receiver = *std::move(started);
    const std::string url = "http://" + receiver->address() + "/hook";
    certreg::v1::Watchlist lag;
    lag.mutable_filter()->add_body_approval_numbers(
        absl::GetFlag(FLAGS_write_body));
    lag.set_callback_url(url);
    auto created = keyed->CreateWatchlist(lag);
    if (!created.ok()) {
      std::cerr << "certreg-watch-lag: " << created.status().message() << "\n";
      return 2;
    }
    watchlist_ids.push_back(created->id());
    const int per_list = absl::GetFlag(FLAGS_watched_per_list);
    const std::vector<std::string> watched = NumbersOf(
        absl::GetFlag(FLAGS_numbers_file),
        static_cast<size_t>(per_list) * absl::GetFlag(FLAGS_watchlists));
    for (int w = 0; w < absl::GetFlag(FLAGS_watchlists); ++w) {
      certreg::v1::Watchlist load;
      for (int i = 0; i < per_list && !watched.empty(); ++i) {
        // Round the CSV when it holds fewer than all the lists watch.
        const size_t at =
            (static_cast<size_t>(w) * per_list + i) % watched.size();
        load.mutable_filter()->add_certificate_numbers(watched[at]);
      }
      load.set_callback_url(url);
      if (auto made = keyed->CreateWatchlist(load); made.ok()) {
        watchlist_ids.push_back(made->id());
      }
    }
  }
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
  for (int i = 0; i < 300; ++i) {  // the last ones on their way
    {
      absl::MutexLock lock(&mu);
      if (received.size() >= acknowledged.size()) break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  stop = true;
  watcher.join();
  for (int i = 0; i < 300 && receiver != nullptr; ++i) {  // webhooks too
    {
      absl::MutexLock lock(&mu);
      if (hooked.size() >= acknowledged.size()) break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  for (const std::string& id : watchlist_ids) (void)keyed->DeleteWatchlist(id);
  receiver.reset();
  absl::MutexLock lock(&mu);
  auto lags_to = [&](const absl::flat_hash_map<uint64_t, absl::Time>& seen) {
    std::vector<double> lags;
    for (const auto& [leaf, acked] : acknowledged) {
      auto it = seen.find(leaf);
      if (it == seen.end()) continue;
      lags.push_back(
          std::max(0.0, absl::ToDoubleMilliseconds(it->second - acked)));
    }
    return lags;
  };
  const std::vector<double> lags = lags_to(received);
  const std::vector<double> hook_lags = lags_to(hooked);
  std::cout << absl::StrFormat(
      "{\"statements\": %d, \"received\": %d, \"lag_p50_ms\": %.3f, "
      "\"lag_p99_ms\": %.3f, \"lag_max_ms\": %.3f, "
      "\"webhook_received\": %d, \"webhook_lag_p50_ms\": %.3f, "
      "\"webhook_lag_p99_ms\": %.3f}\n",
      acknowledged.size(), lags.size(), Percentile(lags, 0.5),
      Percentile(lags, 0.99), Percentile(lags, 1.0), hook_lags.size(),
      Percentile(hook_lags, 0.5), Percentile(hook_lags, 0.99));
  // What did not arrive in time is in the counts, not a failure.
  return acknowledged.empty() ? 1 : 0;
}
