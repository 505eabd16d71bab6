// certreg-loadgen: a load generator for the certreg registry and verifier.
// This file wires the flags to tools/loadgen/: the workload (what is sent),
// the pre-signed writes, the engine (closed or open loop, threads, timing)
// and the report. See tools/loadgen/engine.h for how the load is driven.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/common/process_cpu.h"
#include "tools/loadgen/channels.h"
#include "tools/loadgen/engine.h"
#include "tools/loadgen/flag_error.h"
#include "tools/loadgen/op_stats.h"
#include "tools/loadgen/operation.h"
#include "tools/loadgen/presigned_writes.h"
#include "tools/loadgen/report.h"
#include "tools/loadgen/workload.h"
#include "verifier/grpc/registry_client.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "host:port of the certreg registry (get, search and write "
          "operations).");
ABSL_FLAG(std::string, verifier, "127.0.0.1:50052",
          "host:port of the certreg verifier (verify and batch operations). "
          "Not contacted when the mix has no verify or batch.");
ABSL_FLAG(int, channels, 4,
          "Number of gRPC channels (TCP connections) to each server.");
ABSL_FLAG(int, client_threads, 1,
          "Threads polling the client's completion queues, one queue each; "
          "the channels are spread over them. One keeps up with about 30,000 "
          "lookups/s and leaves the most CPU to a server on the same "
          "machine.");
ABSL_FLAG(int, concurrency, 8,
          "Closed loop: requests kept outstanding per channel; each completion "
          "immediately sends the next request. Open loop (--rate > 0), only "
          "with --lookup_stream: channels x concurrency is the most lookup "
          "streams open at once.");
ABSL_FLAG(double, rate, 0,
          "Requests per second. When > 0 the load is open loop: requests are "
          "sent at fixed intervals regardless of completions (round-robin over "
          "the channels) and latency is measured from each request's "
          "scheduled send time, avoiding coordinated omission.");
ABSL_FLAG(int, max_outstanding, 10000,
          "Open loop: most requests in flight at once; a request due while "
          "this many are outstanding is not sent and is counted as dropped.");
ABSL_FLAG(double, duration_seconds, 10,
          "Length of the measured run, after the warmup.");
ABSL_FLAG(double, warmup_seconds, 1,
          "Load is applied for this long before measuring; requests sent "
          "during the warmup are not recorded.");
ABSL_FLAG(std::string, mix, "get=80,search=15,verify=4,batch=1,write=0",
          "Relative weights of the operations, NAME=WEIGHT separated by "
          "commas; omitted operations have weight 0. get: "
          "RegistryService.GetCertificate of a random number (a "
          "LookupCertificates message with --lookup_stream); search: "
          "RegistryService.SearchCertificates with a random query; verify: "
          "VerifierService.Verify of a random number; batch: "
          "VerifierService.BatchVerify of --batch_size claims (one op); "
          "write: RegistryService.IssueCertificate of a pre-signed statement, "
          "or SubmitStatements of --write_batch of them (one op; needs "
          "--write_key and --write_body).");
ABSL_FLAG(int, batch_size, 100, "Claims per BatchVerify request (1-1000).");
ABSL_FLAG(std::string, view, "full",
          "get: the GetCertificate view, basic (no signed statements: what a "
          "person looking a number up sees) or full (with them).");
ABSL_FLAG(bool, lookup_stream, false,
          "get: send the lookups over RegistryService.LookupCertificates "
          "streams, one lookup at a time on each (closed loop: one stream per "
          "outstanding request; open loop: a pool of up to channels x "
          "concurrency streams, where a lookup due while all are busy waits "
          "for the first one free, its latency counted from when it was due), "
          "instead of one GetCertificate call each. A lookup on a "
          "stream has no deadline of its own: the stream's is the run's end "
          "plus --rpc_timeout_seconds.");
ABSL_FLAG(std::string, numbers_file, "",
          "File of certificate numbers to look up, one per line, or a certreg "
          "CSV whose header starts with \"number,\" (the first column is "
          "used). Blank lines and lines starting with # are skipped. When "
          "empty, up to 10,000 numbers are listed from the registry with "
          "SearchCertificates before the run.");
ABSL_FLAG(std::string, queries_file, "",
          "File of search queries, one per line. When empty, a built-in list "
          "of 2-4 character fragments of Chinese company names is used.");
ABSL_FLAG(std::string, write_key, "",
          "write: PEM private key of the certification body that signs the "
          "issue statements.");
ABSL_FLAG(std::string, write_body, "",
          "write: approval number of that body, e.g. CNCA-R-2002-901.");
ABSL_FLAG(std::string, write_body_name, "",
          "write: the body's accredited name (default: as the registry lists "
          "it).");
ABSL_FLAG(int, write_count, 0,
          "write: statements to pre-sign before the run. 0 = enough for the "
          "write share of --rate over warmup + duration (closed loop: assumes "
          "20,000 statements/s). When they run out, write turns into the "
          "other operations (a run of writes only stops sending, and "
          "warns).");
ABSL_FLAG(int, write_batch, 1,
          "write: pre-signed statements per request (1-1000). 1 sends each "
          "with RegistryService.IssueCertificate; more sends them together "
          "with RegistryService.SubmitStatements (one op, one fsync), as "
          "certctl import does.");
ABSL_FLAG(std::string, api_key, "",
          "Send this API key with every request (metadata x-api-key), as a "
          "client with its own quota would.");
ABSL_FLAG(double, rpc_timeout_seconds, 10,
          "Deadline of each request; a request past it fails with "
          "DEADLINE_EXCEEDED.");
ABSL_FLAG(uint64_t, seed, 0,
          "Seed of the random choices (0 = from the clock).");
ABSL_FLAG(std::string, json_out, "",
          "Also write the JSON summary (alone) to this file.");
ABSL_FLAG(std::string, cpu_pids, "",
          "Processes whose CPU to count over the measured window, as "
          "NAME=PID[,NAME=PID...] (e.g. registry=1234): the report gives the "
          "CPU each one spent per request and the cores it kept busy, next "
          "to the load generator's own. A process's children are not "
          "counted.");

namespace certreg::loadgen {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// The load generator's own entry in the CPU report.
constexpr char kSelfName[] = "loadgen";

// Collects what is wrong with the flags, in the order they are checked.
class FlagChecks {
 public:
  void Check(bool ok, absl::string_view flag, absl::string_view what) {
    if (!ok) errors_.push_back(FlagError(flag, what));
  }
  void Add(const absl::Status& status) { errors_.push_back(status); }
  const std::vector<absl::Status>& errors() const { return errors_; }

 private:
  std::vector<absl::Status> errors_;
};

// The flags of the run's shape: servers, channels, loop, times.
void CheckRunFlags(FlagChecks& checks) {
  const double rate = absl::GetFlag(FLAGS_rate);
  const double duration = absl::GetFlag(FLAGS_duration_seconds);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  const double timeout = absl::GetFlag(FLAGS_rpc_timeout_seconds);
  const int channels = absl::GetFlag(FLAGS_channels);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int client_threads = absl::GetFlag(FLAGS_client_threads);
  checks.Check(!absl::GetFlag(FLAGS_registry).empty(), "registry",
               "is required");
  checks.Check(channels >= 1 && channels <= 1000, "channels", "must be 1-1000");
  checks.Check(concurrency >= 1 && concurrency <= 100000, "concurrency",
               "must be 1-100000");
  checks.Check(client_threads >= 1 && client_threads <= 64, "client_threads",
               "must be 1-64");
  checks.Check(std::isfinite(rate) && rate >= 0 && rate <= 1e7, "rate",
               "must be 0 (closed loop) or a rate up to 10,000,000 per second");
  checks.Check(absl::GetFlag(FLAGS_max_outstanding) >= 1, "max_outstanding",
               "must be at least 1");
  checks.Check(std::isfinite(duration) && duration > 0 && duration <= 86400,
               "duration_seconds", "must be > 0 and at most 86400");
  checks.Check(std::isfinite(warmup) && warmup >= 0 && warmup <= 3600,
               "warmup_seconds", "must be 0-3600");
  checks.Check(std::isfinite(timeout) && timeout > 0 && timeout <= 600,
               "rpc_timeout_seconds", "must be > 0 and at most 600");
}

// The flags of what is sent, given --mix parsed (when it parses).
void CheckWorkloadFlags(const absl::StatusOr<OpWeights>& weights,
                        FlagChecks& checks) {
  const int batch_size = absl::GetFlag(FLAGS_batch_size);
  const int write_batch = absl::GetFlag(FLAGS_write_batch);
  checks.Check(batch_size >= 1 && batch_size <= 1000, "batch_size",
               "must be 1-1000");
  checks.Check(write_batch >= 1 && write_batch <= 1000, "write_batch",
               "must be 1-1000");
  checks.Check(absl::GetFlag(FLAGS_write_count) >= 0, "write_count",
               "must not be negative");
  if (!weights.ok()) checks.Add(weights.status());
  if (weights.ok() && (*weights)[kWrite] > 0) {
    checks.Check(!absl::GetFlag(FLAGS_write_key).empty(), "write_key",
                 "is required when --mix has write");
    checks.Check(!absl::GetFlag(FLAGS_write_body).empty(), "write_body",
                 "is required when --mix has write");
  }
  const std::string view = absl::GetFlag(FLAGS_view);
  checks.Check(view == "basic" || view == "full", "view",
               absl::StrCat("is \"", view, "\"; expected basic or full"));
  if (weights.ok() && ((*weights)[kVerify] > 0 || (*weights)[kBatch] > 0)) {
    checks.Check(!absl::GetFlag(FLAGS_verifier).empty(), "verifier",
                 "is required when --mix has verify");
  }
}

// --cpu_pids: each process must exist, none named as the load generator.
void CheckWatchedProcesses(
    const absl::StatusOr<std::vector<WatchedProcess>>& watched,
    FlagChecks& checks) {
  if (!watched.ok()) {
    checks.Add(watched.status());
    return;
  }
  for (const WatchedProcess& process : *watched) {
    checks.Check(process.name != kSelfName, "cpu_pids",
                 absl::StrCat("\"", kSelfName,
                              "\" is the load generator's own name here"));
    checks.Check(ProcessCpuSeconds(process.pid).ok(), "cpu_pids",
                 absl::StrCat("no process ", process.pid, " (", process.name,
                              ") to watch"));
  }
}

// The numbers and queries the operations draw from: from the files given,
// else the built-in queries and numbers listed from the registry (when an
// operation with weight needs them).
absl::Status LoadLists(RegistryClient& client, Workload& workload) {
  if (const std::string path = absl::GetFlag(FLAGS_queries_file);
      !path.empty()) {
    absl::StatusOr<std::vector<std::string>> queries =
        ReadListFile(path, "queries_file", false);
    if (!queries.ok()) return queries.status();
    workload.queries = *std::move(queries);
  } else {
    workload.queries = DefaultQueries();
  }
  if (const std::string path = absl::GetFlag(FLAGS_numbers_file);
      !path.empty()) {
    absl::StatusOr<std::vector<std::string>> numbers =
        ReadListFile(path, "numbers_file", true);
    if (!numbers.ok()) return numbers.status();
    workload.numbers = *std::move(numbers);
    return absl::OkStatus();
  }
  if (!workload.NeedsNumbers()) return absl::OkStatus();
  absl::StatusOr<std::vector<std::string>> numbers = ListNumbers(client, 10000);
  if (!numbers.ok()) {
    return absl::Status(
        numbers.status().code(),
        absl::StrCat("listing certificate numbers from --registry ",
                     client.address(), ": ", numbers.status().message()));
  }
  if (numbers->empty()) {
    return FlagError("numbers_file",
                     "not given and the registry lists no certificates (seed "
                     "it, e.g. certctl demo-seed, or give --numbers_file)");
  }
  workload.numbers = *std::move(numbers);
  std::cerr << "certreg-loadgen: " << workload.numbers.size()
            << " certificate numbers listed from the registry\n";
  return absl::OkStatus();
}

// The statements of the write operation, signed before the clock starts.
absl::Status LoadWrites(RegistryClient& client, Workload& workload) {
  size_t count = static_cast<size_t>(absl::GetFlag(FLAGS_write_count));
  if (count == 0) {
    count = DefaultWriteCount(workload.weights, absl::GetFlag(FLAGS_rate),
                              workload.write_batch,
                              absl::GetFlag(FLAGS_warmup_seconds),
                              absl::GetFlag(FLAGS_duration_seconds));
  }
  const absl::Time began = absl::Now();
  absl::StatusOr<std::vector<v1::SignedStatement>> writes =
      PresignWrites(client,
                    PresignOptions{absl::GetFlag(FLAGS_write_key),
                                   absl::GetFlag(FLAGS_write_body),
                                   absl::GetFlag(FLAGS_write_body_name)},
                    workload.numbers, count);
  if (!writes.ok()) return writes.status();
  workload.writes = *std::move(writes);
  std::cerr << "certreg-loadgen: pre-signed " << workload.writes.size()
            << " issue statements in "
            << absl::FormatDuration(
                   absl::Trunc(absl::Now() - began, absl::Milliseconds(1)))
            << "\n";
  return absl::OkStatus();
}

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(seconds));
}

// The engine's options from the flags; the CPU sampled is the load
// generator's own, then each of `watched`'s.
Engine::Options EngineOptions(std::vector<WatchedProcess> watched) {
  Engine::Options options;
  options.rate = absl::GetFlag(FLAGS_rate);
  options.max_outstanding = absl::GetFlag(FLAGS_max_outstanding);
  options.stream_pool = static_cast<size_t>(absl::GetFlag(FLAGS_channels)) *
                        absl::GetFlag(FLAGS_concurrency);
  options.warmup = Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  options.duration = Seconds(absl::GetFlag(FLAGS_duration_seconds));
  options.api_key = absl::GetFlag(FLAGS_api_key);
  options.rpc_timeout = std::chrono::milliseconds(static_cast<int64_t>(
      std::llround(absl::GetFlag(FLAGS_rpc_timeout_seconds) * 1000)));
  options.seed = absl::GetFlag(FLAGS_seed) != 0
                     ? absl::GetFlag(FLAGS_seed)
                     : static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  options.sample_cpu = [processes = std::move(watched)] {
    std::vector<double> seconds;
    auto sample = [&seconds](pid_t pid) {
      absl::StatusOr<double> cpu = ProcessCpuSeconds(pid);
      seconds.push_back(cpu.ok() ? *cpu : std::nan(""));
    };
    sample(getpid());
    for (const WatchedProcess& process : processes) sample(process.pid);
    return seconds;
  };
  return options;
}

// The report's description of the run, from the flags.
RunSettings ReportSettings(const Workload& workload, const std::string& mode) {
  RunSettings settings;
  settings.mode = mode;
  settings.registry = absl::GetFlag(FLAGS_registry);
  if (workload.NeedsVerifier())
    settings.verifier = absl::GetFlag(FLAGS_verifier);
  settings.duration_seconds = absl::GetFlag(FLAGS_duration_seconds);
  settings.warmup_seconds = absl::GetFlag(FLAGS_warmup_seconds);
  settings.rate = absl::GetFlag(FLAGS_rate);
  settings.channels = absl::GetFlag(FLAGS_channels);
  settings.concurrency = absl::GetFlag(FLAGS_concurrency);
  settings.view = absl::GetFlag(FLAGS_view);
  settings.write_batch = workload.write_batch;
  settings.max_outstanding = absl::GetFlag(FLAGS_max_outstanding);
  settings.weights = workload.weights;
  return settings;
}

int Fail(const absl::Status& status) {
  std::cerr << "certreg-loadgen: " << status.message() << "\n";
  return absl::IsInvalidArgument(status) ? kExitUsage : kExitFailed;
}

// Prints the report and writes --json_out; the exit code: failed when the
// JSON could not be written or no request in the window succeeded.
int Report(const RunSettings& settings, const RunFigures& figures) {
  WriteReport(settings, figures, std::cout);
  int exit_code = kExitOk;
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream out(path);
    out << ReportJson(settings, figures) << "\n";
    out.close();
    if (!out) {
      std::cerr << "certreg-loadgen: --json_out: cannot write " << path << "\n";
      exit_code = kExitFailed;
    }
  }
  const OpStats total = Total(figures.results);
  if (total.requests() == 0) {
    std::cerr << "certreg-loadgen: no request completed in the measured "
                 "window\n";
    exit_code = kExitFailed;
  } else if (total.ok == 0) {
    std::cerr << "certreg-loadgen: every request failed\n";
    exit_code = kExitFailed;
  }
  return exit_code;
}

// The workload as the flags describe it (lists and writes not yet loaded).
Workload WorkloadFromFlags(const OpWeights& weights) {
  Workload workload;
  workload.weights = weights;
  workload.batch_size = absl::GetFlag(FLAGS_batch_size);
  workload.write_batch = absl::GetFlag(FLAGS_write_batch);
  workload.view = absl::GetFlag(FLAGS_view) == "basic"
                      ? v1::CERTIFICATE_VIEW_BASIC
                      : v1::CERTIFICATE_VIEW_FULL;
  workload.lookup_stream = absl::GetFlag(FLAGS_lookup_stream);
  return workload;
}

// Runs the load over `channels` and reports it; the exit code.
int RunAndReport(const Workload& workload, std::vector<Channel>& channels,
                 const std::vector<WatchedProcess>& watched) {
  const std::string mode =
      ModeDescription(absl::GetFlag(FLAGS_rate), absl::GetFlag(FLAGS_channels),
                      absl::GetFlag(FLAGS_concurrency));
  std::cerr << "certreg-loadgen: " << mode << "; warmup "
            << absl::GetFlag(FLAGS_warmup_seconds) << " s, measuring "
            << absl::GetFlag(FLAGS_duration_seconds) << " s; mix "
            << absl::GetFlag(FLAGS_mix) << "\n";
  // Deliberately leaked: a request that outlives its deadline must still
  // find the engine when it completes.
  auto* engine = new Engine(&workload, &channels, EngineOptions(watched),
                            absl::GetFlag(FLAGS_client_threads));
  RunFigures figures;
  figures.results = engine->Run(absl::GetFlag(FLAGS_concurrency));
  figures.dropped = engine->dropped();
  figures.writes_exhausted = engine->writes_exhausted();
  figures.presigned_writes = workload.writes.size();
  figures.cpu_used = engine->cpu_used();
  figures.cpu_names.push_back(kSelfName);
  for (const WatchedProcess& p : watched) figures.cpu_names.push_back(p.name);

  const int exit_code = Report(ReportSettings(workload, mode), figures);
  if (engine->abandoned()) {
    // Requests still reference the channels: leave without destructors.
    std::cout.flush();
    std::_Exit(exit_code);
  }
  delete engine;
  return exit_code;
}

int Main() {
  const absl::StatusOr<OpWeights> weights = ParseMix(absl::GetFlag(FLAGS_mix));
  const absl::StatusOr<std::vector<WatchedProcess>> watched =
      ParseWatchedProcesses(absl::GetFlag(FLAGS_cpu_pids), "cpu_pids");
  FlagChecks checks;
  CheckRunFlags(checks);
  CheckWorkloadFlags(weights, checks);
  CheckWatchedProcesses(watched, checks);
  if (!checks.errors().empty()) {
    for (const absl::Status& e : checks.errors()) {
      std::cerr << "certreg-loadgen: " << e.message() << "\n";
    }
    std::cerr << "Try --help for usage.\n";
    return kExitUsage;
  }

  Workload workload = WorkloadFromFlags(*weights);
  RegistryClient client(absl::GetFlag(FLAGS_registry));
  if (absl::Status s = LoadLists(client, workload); !s.ok()) return Fail(s);
  if (workload.weights[kWrite] > 0) {
    if (absl::Status s = LoadWrites(client, workload); !s.ok()) return Fail(s);
  }
  // Channels, connected before the clock starts.
  absl::StatusOr<std::vector<Channel>> channels = ConnectChannels(
      absl::GetFlag(FLAGS_registry),
      workload.NeedsVerifier() ? absl::GetFlag(FLAGS_verifier) : "",
      absl::GetFlag(FLAGS_channels));
  if (!channels.ok()) return Fail(channels.status());
  return RunAndReport(workload, *channels, *watched);
}

}  // namespace
}  // namespace certreg::loadgen

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for the certreg registry and verifier. Sends a mix of "
      "lookups, searches, verifications and (pre-signed) writes from a few "
      "threads polling gRPC completion queues, then prints throughput and "
      "latency percentiles per operation (and the CPU each process spent per "
      "request), a JSON: line, and exits non-zero if every "
      "request failed. Only the --registry and --verifier addresses are "
      "contacted; the run stops after --warmup_seconds + "
      "--duration_seconds.\n\n"
      "Examples:\n"
      "  # closed loop, 4 channels x 8 outstanding, lookups and searches:\n"
      "  certreg-loadgen --registry=127.0.0.1:50051 --mix=get=80,search=20 "
      "--duration_seconds=30\n"
      "  # open loop at 2,000 requests/s (latency from the scheduled send "
      "time):\n"
      "  certreg-loadgen --rate=2000 --mix=get=90,verify=10 "
      "--numbers_file=certs.csv --json_out=run.json\n"
      "  # pre-signed writes by a demo body (certctl demo-seed keys):\n"
      "  certreg-loadgen --mix=get=90,write=10 "
      "--write_key=~/.config/certreg/demo/CNCA-R-2002-901.key "
      "--write_body=CNCA-R-2002-901");
  // --help lists this file's flags (the binary's name differs from the
  // file's, so absl's default filter would show none).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "loadgen_main.cc");
  };
  absl::SetFlagsUsageConfig(usage_config);
  absl::ParseCommandLine(argc, argv);
  // As in the servers: no lock-graph bookkeeping in the measuring client.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return certreg::loadgen::Main();
}
