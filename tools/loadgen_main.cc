// certreg-loadgen: a load generator for the certreg registry and verifier.
// Drives many outstanding requests from a few threads with gRPC's
// completion-queue client API (one queue per polling thread, which both
// finishes a request and sends the next), either closed loop (channels x
// concurrency requests always in flight) or open loop (a fixed request rate,
// latency measured from each request's scheduled send time so a slow server
// cannot hide its queueing delay), and reports throughput and latency
// percentiles per operation.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "certreg/v1/verifier.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "tools/common/latency_histogram.h"
#include "tools/common/process_cpu.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

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

namespace certreg {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// The load generator's own entry in the CPU report.
constexpr char kSelfName[] = "loadgen";

enum Op { kGet = 0, kSearch, kVerify, kBatch, kWrite, kNumOps };
constexpr std::array<const char*, kNumOps> kOpNames = {
    "get", "search", "verify", "batch", "write"};

// Fragments of company names, 2-4 characters: places, trades and legal forms.
const std::vector<std::string>& DefaultQueries() {
  static const auto* queries = new std::vector<std::string>{
      "青岛",     "海岳", "电器",     "科技有限", "环保", "物业",     "软件",
      "机械制造", "杭州", "深圳",     "上海",     "北京", "广州",     "苏州",
      "成都",     "武汉", "南京",     "天津",     "重庆", "西安",     "华信",
      "中衡",     "云帆", "绿源",     "金城",     "长江", "智联",     "建设",
      "工程",     "服务", "物流",     "食品",     "医疗", "信息技术", "电子",
      "化工",     "汽车", "能源",     "新材料",   "设备", "检测",     "咨询",
      "股份",     "集团", "有限公司", "贸易",     "制药", "纺织",     "建材"};
  return *queries;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// Aggregated results of one operation kind.
struct OpStats {
  LatencyHistogram latency;  // successful requests only
  uint64_t ok = 0;
  std::map<std::string, uint64_t> errors;  // by gRPC code name

  uint64_t error_count() const {
    uint64_t n = 0;
    for (const auto& [code, count] : errors) n += count;
    return n;
  }
  void Merge(const OpStats& other) {
    latency.Merge(other.latency);
    ok += other.ok;
    for (const auto& [code, count] : other.errors) errors[code] += count;
  }
};

// Results, sharded so that concurrent completions rarely contend.
class Recorder {
 public:
  void Record(size_t shard_hint, Op op, Clock::duration latency,
              const grpc::Status& status) {
    Shard& shard = shards_[shard_hint % kShards];
    std::lock_guard<std::mutex> lock(shard.mu);
    OpStats& stats = shard.ops[op];
    if (status.ok()) {
      ++stats.ok;
      stats.latency.Record(
          std::chrono::duration_cast<std::chrono::nanoseconds>(latency)
              .count());
    } else {
      ++stats.errors[CodeName(status.error_code())];
    }
  }

  std::array<OpStats, kNumOps> Collect() {
    std::array<OpStats, kNumOps> out;
    for (Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      for (int op = 0; op < kNumOps; ++op) out[op].Merge(shard.ops[op]);
    }
    return out;
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::array<OpStats, kNumOps> ops;
  };
  std::array<Shard, kShards> shards_;
};

// Everything a run needs, prepared before the clock starts.
struct Workload {
  std::array<int, kNumOps> weights{};
  std::vector<std::string> numbers;
  std::vector<std::string> queries;
  std::vector<v1::SignedStatement> writes;
  int batch_size = 100;
  int write_batch = 1;
  v1::CertificateView view = v1::CERTIFICATE_VIEW_FULL;
  bool lookup_stream = false;
};

// One gRPC channel's stubs.
struct Channel {
  std::unique_ptr<v1::RegistryService::Stub> registry;
  std::unique_ptr<v1::VerifierService::Stub> verifier;
};

// What a completion queue's tag points at: a unary call or a lookup stream.
struct Tag {
  enum class Kind { kCall, kStream };
  explicit Tag(Kind k) : kind(k) {}
  virtual ~Tag() = default;
  const Kind kind;
};

struct Slot;

// A LookupCertificates stream carrying one lookup at a time; it is the tag of
// every operation on it, one outstanding at a time.
struct LookupStream : Tag {
  enum class State {
    kStarting,   // StartCall, then the first lookup's Write
    kWriting,    // a lookup's Write
    kReading,    // its answer's Read
    kIdle,       // between lookups
    kFailing,    // Finish after a failed operation: the lookup fails with it
    kClosing,    // WritesDone at the end of the run
    kFinishing,  // Finish after WritesDone
    kDone,
  };
  LookupStream() : Tag(Kind::kStream) {}

  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<v1::GetCertificateRequest,
                                                v1::CertificateLookup>>
      stream;
  State state = State::kStarting;
  v1::GetCertificateRequest request;
  v1::CertificateLookup answer;
  grpc::Status status;  // the stream's own, once finished
  int channel = 0;
  // The lookup in flight.
  Clock::time_point start;
  size_t shard = 0;
  Slot* slot = nullptr;  // closed loop only
};

// A closed-loop sender: one request outstanding at a time.
struct Slot {
  size_t index = 0;
  int channel = 0;
  std::mt19937_64 rng;
  LookupStream* stream = nullptr;  // its lookups' stream, once it has one
};

class LoadGenerator {
 public:
  struct Options {
    double rate = 0;
    int max_outstanding = 10000;
    // Open loop with lookup streams: the most streams open at once.
    size_t stream_pool = 64;
    Clock::duration warmup;
    Clock::duration duration;
    std::chrono::milliseconds rpc_timeout;
    uint64_t seed = 1;
    // If set, called at the start and the end of the measured window; Run
    // keeps the difference of the two (cpu_used()).
    std::function<std::vector<double>()> sample_cpu;
  };

  // Starts `threads` pollers, one completion queue each.
  LoadGenerator(const Workload* workload, std::vector<Channel>* channels,
                Options options, int threads)
      : workload_(*workload), channels_(*channels), options_(options) {
    for (int op = 0; op < kNumOps; ++op) total_weight_ += workload_.weights[op];
    for (int t = 0; t < std::max(threads, 1); ++t) {
      queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    }
    for (auto& queue : queues_) {
      pollers_.emplace_back([this, cq = queue.get()] { Poll(cq); });
    }
  }

  // Drains and stops the pollers; requests still in flight finish first.
  ~LoadGenerator() {
    for (auto& queue : queues_) queue->Shutdown();
    for (std::thread& poller : pollers_) poller.join();
  }

  // Runs warmup + duration, waits for outstanding requests, and returns the
  // results of the measured window.
  std::array<OpStats, kNumOps> Run(int concurrency) {
    start_ = Clock::now();
    measure_start_ = start_ + options_.warmup;
    end_ = measure_start_ + options_.duration;
    std::thread cpu_sampler;
    if (options_.sample_cpu) {
      cpu_sampler = std::thread([this] {
        std::this_thread::sleep_until(measure_start_);
        std::vector<double> before = options_.sample_cpu();
        std::this_thread::sleep_until(end_);
        cpu_used_ = options_.sample_cpu();
        for (size_t i = 0; i < cpu_used_.size() && i < before.size(); ++i) {
          cpu_used_[i] -= before[i];
        }
      });
    }
    std::vector<std::unique_ptr<Slot>> slots;
    if (options_.rate > 0) {
      RunOpenLoop();
    } else {
      for (size_t c = 0; c < channels_.size(); ++c) {
        for (int i = 0; i < concurrency; ++i) {
          auto slot = std::make_unique<Slot>();
          slot->index = slots.size();
          slot->channel = static_cast<int>(c);
          slot->rng.seed(options_.seed + 7919 * slot->index);
          slots.push_back(std::move(slot));
        }
      }
      outstanding_ += static_cast<int64_t>(slots.size());
      for (auto& slot : slots) SendNext(slot.get());
      std::this_thread::sleep_until(end_);
    }
    if (cpu_sampler.joinable()) cpu_sampler.join();
    // Every request has a deadline, so they all finish by then.
    const Clock::time_point limit =
        end_ + options_.rpc_timeout + std::chrono::seconds(5);
    while (outstanding_.load() > 0 && Clock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (outstanding_.load() > 0) {
      std::cerr << "certreg-loadgen: " << outstanding_.load()
                << " requests still outstanding past their deadline\n";
      abandoned_ = true;
    }
    CloseStreams();
    return recorder_.Collect();
  }

  uint64_t dropped() const { return dropped_.load(); }
  uint64_t writes_exhausted() const { return writes_exhausted_.load(); }
  bool abandoned() const { return abandoned_; }
  // CPU seconds over the measured window, in the order sample_cpu gives.
  const std::vector<double>& cpu_used() const { return cpu_used_; }

 private:
  // A request in flight with its own context, request and response; its
  // address is the completion queue tag.
  struct CallBase : Tag {
    CallBase() : Tag(Kind::kCall) {}
    // The call's outcome: its gRPC status, unless the response says more.
    virtual grpc::Status Outcome() const { return status; }
    grpc::ClientContext context;
    grpc::Status status;
    Op op = kGet;
    Clock::time_point start;
    Slot* slot = nullptr;  // closed loop only
    size_t shard = 0;
  };
  template <typename Request, typename Response>
  struct Call : CallBase {
    Request request;
    Response response;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
  };
  // SubmitStatements answers OK with each statement's own code: the call
  // counts as failed with the first refused statement's.
  struct SubmitManyCall
      : Call<v1::SubmitStatementsRequest, v1::SubmitStatementsResponse> {
    grpc::Status Outcome() const override {
      if (!status.ok()) return status;
      for (int i = 0; i < response.results_size(); ++i) {
        const v1::SubmitStatementResult& result = response.results(i);
        if (result.code() != 0) {
          return grpc::Status(
              static_cast<grpc::StatusCode>(result.code()),
              absl::StrCat("signed_statements[", i, "]: ", result.message()));
        }
      }
      return status;
    }
  };

  // Starts `call` with the stub's PrepareAsync method on `cq`.
  template <typename Stub, typename Request, typename Response>
  static void Start(Stub* stub,
                    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (
                        Stub::*prepare)(grpc::ClientContext*, const Request&,
                                        grpc::CompletionQueue*),
                    Call<Request, Response>* call, grpc::CompletionQueue* cq) {
    call->reader = (stub->*prepare)(&call->context, call->request, cq);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status,
                         static_cast<Tag*>(call));
  }

  void Poll(grpc::CompletionQueue* cq) {
    void* event = nullptr;
    bool ok = false;
    while (cq->Next(&event, &ok)) {
      auto* tag = static_cast<Tag*>(event);
      if (tag->kind == Tag::Kind::kStream) {
        Advance(static_cast<LookupStream*>(tag), ok);
        continue;
      }
      auto* call = static_cast<CallBase*>(tag);
      // A unary Finish always completes with ok; its status says the rest.
      Done(call, ok ? call->Outcome()
                    : grpc::Status(grpc::StatusCode::UNKNOWN,
                                   "the completion queue failed the call"));
    }
  }

  // Sends a lookup on a stream: the slot's (closed loop), or an idle one of
  // the pool (open loop); a new one if there is none and the pool has room.
  // Open loop, a lookup due while every stream of a full pool is busy waits
  // for the first one free (its latency still counts from `start`).
  void SendOnStream(int channel_index, Clock::time_point start, Slot* slot,
                    size_t shard, std::mt19937_64& rng) {
    const std::string& number = RandomNumber(rng);
    LookupStream* stream = nullptr;
    if (slot != nullptr) {
      stream = slot->stream;
    } else {
      std::lock_guard<std::mutex> lock(streams_mu_);
      if (!idle_streams_.empty()) {
        stream = idle_streams_.back();
        idle_streams_.pop_back();
      } else if (live_streams_ < options_.stream_pool) {
        ++live_streams_;
      } else {
        waiting_.push_back(WaitingLookup{start, shard, &number});
        return;
      }
    }
    Launch(stream, channel_index, start, slot, shard, number);
  }

  // Writes a lookup of `number` on `stream`, or on a new stream on
  // `channel_index` if `stream` is null.
  void Launch(LookupStream* stream, int channel_index, Clock::time_point start,
              Slot* slot, size_t shard, const std::string& number) {
    const bool fresh = stream == nullptr;
    if (fresh) {
      auto owned = std::make_unique<LookupStream>();
      stream = owned.get();
      stream->channel = channel_index;
      stream->context.set_deadline(
          std::chrono::system_clock::now() +
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              end_ - Clock::now()) +
          options_.rpc_timeout);
      stream->stream =
          channels_[channel_index].registry->PrepareAsyncLookupCertificates(
              &stream->context, queues_[channel_index % queues_.size()].get());
      if (slot != nullptr) slot->stream = stream;
      std::lock_guard<std::mutex> lock(streams_mu_);
      streams_.push_back(std::move(owned));
    }
    stream->start = start;
    stream->shard = shard;
    stream->slot = slot;
    stream->request.set_number(number);
    stream->request.set_view(workload_.view);
    if (fresh) {
      stream->state = LookupStream::State::kStarting;
      stream->stream->StartCall(stream);
    } else {
      stream->state = LookupStream::State::kWriting;
      stream->stream->Write(stream->request, stream);
    }
  }

  // One completion on `stream`: the next step of its lookup or its closing.
  void Advance(LookupStream* stream, bool ok) {
    using State = LookupStream::State;
    switch (stream->state) {
      case State::kStarting:
        if (!ok) break;
        stream->state = State::kWriting;
        stream->stream->Write(stream->request, stream);
        return;
      case State::kWriting:
        if (!ok) break;
        stream->state = State::kReading;
        stream->stream->Read(&stream->answer, stream);
        return;
      case State::kReading:
        if (!ok) break;
        stream->state = State::kIdle;
        LookupDone(stream, stream->answer.code() == 0
                               ? grpc::Status::OK
                               : grpc::Status(static_cast<grpc::StatusCode>(
                                                  stream->answer.code()),
                                              stream->answer.message()));
        return;
      case State::kFailing:
        stream->state = State::kDone;
        LookupDone(stream,
                   stream->status.ok()
                       ? grpc::Status(grpc::StatusCode::UNKNOWN,
                                      "the stream ended before answering")
                       : stream->status);
        return;
      case State::kClosing:
        stream->state = State::kFinishing;
        stream->stream->Finish(&stream->status, stream);
        return;
      case State::kFinishing:
        stream->state = State::kDone;
        --closing_;
        return;
      case State::kIdle:
      case State::kDone:
        return;
    }
    // An operation failed: the stream is over, and Finish tells why.
    stream->state = State::kFailing;
    stream->stream->Finish(&stream->status, stream);
  }

  // The stream's lookup ended with `status`: the stream takes the next
  // waiting lookup (open loop), or goes idle; a stream that failed is
  // replaced for the next one.
  void LookupDone(LookupStream* stream, const grpc::Status& status) {
    Slot* slot = stream->slot;
    const Clock::time_point start = stream->start;
    const size_t shard = stream->shard;
    const bool alive = stream->state == LookupStream::State::kIdle;
    if (slot != nullptr) {
      if (!alive) slot->stream = nullptr;
    } else {
      std::optional<WaitingLookup> next;
      {
        std::lock_guard<std::mutex> lock(streams_mu_);
        if (!waiting_.empty()) {
          next = waiting_.front();
          waiting_.pop_front();
        } else if (alive) {
          idle_streams_.push_back(stream);
        } else {
          --live_streams_;
        }
      }
      if (next.has_value()) {
        Launch(alive ? stream : nullptr, stream->channel, next->start, nullptr,
               next->shard, *next->number);
      }
    }
    Finished(kGet, start, shard, slot, status);
  }

  // Ends every stream still open once the run's requests are done: streams
  // left mid-lookup (past their deadline) are cancelled.
  void CloseStreams() {
    std::vector<LookupStream*> open;
    {
      std::lock_guard<std::mutex> lock(streams_mu_);
      for (auto& stream : streams_) {
        if (stream->state == LookupStream::State::kDone) continue;
        if (stream->state == LookupStream::State::kIdle) {
          open.push_back(stream.get());
        } else {
          stream->context.TryCancel();
        }
      }
      idle_streams_.clear();
    }
    closing_ += static_cast<int64_t>(open.size());
    for (LookupStream* stream : open) {
      stream->state = LookupStream::State::kClosing;
      stream->stream->WritesDone(stream);
    }
    const Clock::time_point limit = Clock::now() + std::chrono::seconds(5);
    while (closing_.load() > 0 && Clock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (closing_.load() > 0) {
      std::lock_guard<std::mutex> lock(streams_mu_);
      for (auto& stream : streams_) stream->context.TryCancel();
    }
  }

  // Picks an operation; kNumOps when nothing can be sent.
  Op ChooseOp(std::mt19937_64& rng) {
    int weight = std::uniform_int_distribution<int>(0, total_weight_ - 1)(rng);
    int op = 0;
    while (weight >= workload_.weights[op]) weight -= workload_.weights[op++];
    if (op == kWrite && next_write_.load(std::memory_order_relaxed) +
                                static_cast<size_t>(workload_.write_batch) >
                            workload_.writes.size()) {
      // Out of pre-signed writes: choose among the others.
      ++writes_exhausted_;
      const int others = total_weight_ - workload_.weights[kWrite];
      if (others <= 0) return kNumOps;
      weight = std::uniform_int_distribution<int>(0, others - 1)(rng);
      op = 0;
      while (op == kWrite || weight >= workload_.weights[op]) {
        if (op != kWrite) weight -= workload_.weights[op];
        ++op;
      }
    }
    return static_cast<Op>(op);
  }

  const std::string& RandomNumber(std::mt19937_64& rng) const {
    return workload_.numbers[std::uniform_int_distribution<size_t>(
        0, workload_.numbers.size() - 1)(rng)];
  }

  // Starts one request; returns false when there was nothing to send.
  bool Send(Op op, int channel_index, Clock::time_point start, Slot* slot,
            size_t shard, std::mt19937_64& rng) {
    Channel& channel = channels_[channel_index];
    grpc::CompletionQueue* cq = queues_[channel_index % queues_.size()].get();
    auto prepare = [&](CallBase* call) {
      call->op = op;
      call->start = start;
      call->slot = slot;
      call->shard = shard;
      call->context.set_deadline(std::chrono::system_clock::now() +
                                 options_.rpc_timeout);
    };
    switch (op) {
      case kGet: {
        if (workload_.lookup_stream) {
          SendOnStream(channel_index, start, slot, shard, rng);
          return true;
        }
        auto* call =
            new Call<v1::GetCertificateRequest, v1::GetCertificateResponse>;
        prepare(call);
        call->request.set_number(RandomNumber(rng));
        call->request.set_view(workload_.view);
        Start(channel.registry.get(),
              &v1::RegistryService::Stub::PrepareAsyncGetCertificate, call, cq);
        return true;
      }
      case kSearch: {
        auto* call = new Call<v1::SearchCertificatesRequest,
                              v1::SearchCertificatesResponse>;
        prepare(call);
        call->request.set_query(
            workload_.queries[std::uniform_int_distribution<size_t>(
                0, workload_.queries.size() - 1)(rng)]);
        Start(channel.registry.get(),
              &v1::RegistryService::Stub::PrepareAsyncSearchCertificates, call,
              cq);
        return true;
      }
      case kVerify: {
        auto* call = new Call<v1::VerifyRequest, v1::VerifyResponse>;
        prepare(call);
        call->request.mutable_claim()->set_certificate_number(
            RandomNumber(rng));
        Start(channel.verifier.get(),
              &v1::VerifierService::Stub::PrepareAsyncVerify, call, cq);
        return true;
      }
      case kBatch: {
        auto* call = new Call<v1::BatchVerifyRequest, v1::BatchVerifyResponse>;
        prepare(call);
        for (int i = 0; i < workload_.batch_size; ++i) {
          call->request.add_claims()->set_certificate_number(RandomNumber(rng));
        }
        Start(channel.verifier.get(),
              &v1::VerifierService::Stub::PrepareAsyncBatchVerify, call, cq);
        return true;
      }
      case kWrite: {
        const size_t n = static_cast<size_t>(workload_.write_batch);
        const size_t index = next_write_.fetch_add(n);
        if (index + n > workload_.writes.size()) {
          ++writes_exhausted_;
          return false;
        }
        if (n > 1) {
          auto* call = new SubmitManyCall;
          prepare(call);
          for (size_t i = index; i < index + n; ++i) {
            *call->request.add_signed_statements() = workload_.writes[i];
          }
          Start(channel.registry.get(),
                &v1::RegistryService::Stub::PrepareAsyncSubmitStatements, call,
                cq);
          return true;
        }
        auto* call = new Call<v1::SubmitStatementRequest, v1::StatementReceipt>;
        prepare(call);
        *call->request.mutable_signed_statement() = workload_.writes[index];
        Start(channel.registry.get(),
              &v1::RegistryService::Stub::PrepareAsyncIssueCertificate, call,
              cq);
        return true;
      }
      case kNumOps:
        break;
    }
    return false;
  }

  // Closed loop: sends the slot's next request, or retires the slot.
  void SendNext(Slot* slot) {
    while (Clock::now() < end_) {
      const Op op = ChooseOp(slot->rng);
      if (op == kNumOps) break;
      if (Send(op, slot->channel, Clock::now(), slot, slot->index, slot->rng)) {
        return;
      }
    }
    --outstanding_;
  }

  void Done(CallBase* call, const grpc::Status& status) {
    const Op op = call->op;
    const Clock::time_point start = call->start;
    const size_t shard = call->shard;
    Slot* slot = call->slot;
    delete call;
    Finished(op, start, shard, slot, status);
  }

  // Records a request that ended and, closed loop, sends the slot's next.
  void Finished(Op op, Clock::time_point start, size_t shard, Slot* slot,
                const grpc::Status& status) {
    if (start >= measure_start_ && start < end_) {
      recorder_.Record(shard, op, Clock::now() - start, status);
    }
    if (slot != nullptr) {
      SendNext(slot);
    } else {
      --outstanding_;
    }
  }

  void RunOpenLoop() {
    std::mt19937_64 rng(options_.seed);
    const double interval_ns = 1e9 / options_.rate;
    uint64_t k = 0;
    auto due_at = [&](uint64_t i) {
      return start_ + std::chrono::nanoseconds(static_cast<int64_t>(
                          std::llround(static_cast<double>(i) * interval_ns)));
    };
    for (Clock::time_point due = due_at(0); due < end_; due = due_at(k)) {
      Clock::time_point now = Clock::now();
      if (due > now) {
        std::this_thread::sleep_until(due);
        now = Clock::now();
      }
      // Send everything due by now (catching up after a late wakeup).
      for (; due <= now && due < end_; due = due_at(++k)) {
        const bool measured = due >= measure_start_;
        if (outstanding_.load() >= options_.max_outstanding) {
          if (measured) ++dropped_;
          continue;
        }
        const Op op = ChooseOp(rng);
        if (op == kNumOps) {
          if (measured) ++dropped_;
          continue;
        }
        ++outstanding_;
        if (!Send(op, static_cast<int>(k % channels_.size()), due, nullptr, k,
                  rng)) {
          --outstanding_;
          if (measured) ++dropped_;
        }
      }
    }
  }

  const Workload& workload_;
  std::vector<Channel>& channels_;
  const Options options_;
  int total_weight_ = 0;
  Clock::time_point start_, measure_start_, end_;
  std::atomic<int64_t> outstanding_{0};
  std::atomic<size_t> next_write_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> writes_exhausted_{0};
  bool abandoned_ = false;
  std::vector<double> cpu_used_;  // written by the sampler before Run joins it
  Recorder recorder_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::thread> pollers_;
  // Destroyed before the queues their calls completed on.
  std::mutex streams_mu_;
  std::vector<std::unique_ptr<LookupStream>> streams_;  // every one opened
  // Open loop's pool: its idle streams, how many are open, and the lookups
  // waiting for one.
  std::vector<LookupStream*> idle_streams_;
  size_t live_streams_ = 0;
  struct WaitingLookup {
    Clock::time_point start;
    size_t shard;
    const std::string* number;
  };
  std::deque<WaitingLookup> waiting_;
  std::atomic<int64_t> closing_{0};
};

// --- Preparation -----------------------------------------------------------

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

absl::StatusOr<std::array<int, kNumOps>> ParseMix(absl::string_view mix) {
  std::array<int, kNumOps> weights{};
  for (absl::string_view part :
       absl::StrSplit(mix, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv.first));
    const auto it = std::find(kOpNames.begin(), kOpNames.end(), name);
    if (it == kOpNames.end()) {
      return FlagError(
          "mix", absl::StrCat("unknown operation \"", name, "\" (expected ",
                              absl::StrJoin(kOpNames, ", "), ")"));
    }
    int weight = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(kv.second), &weight) ||
        weight < 0 || weight > 1000000) {
      return FlagError("mix", absl::StrCat("weight of ", name, " \"", kv.second,
                                           "\" is not an integer 0-1000000"));
    }
    weights[it - kOpNames.begin()] = weight;
  }
  int total = 0;
  for (int w : weights) total += w;
  if (total == 0) {
    return FlagError("mix", "every weight is 0; e.g. --mix=get=80,search=20");
  }
  return weights;
}

absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path,
                                                   absl::string_view flag,
                                                   bool first_csv_column) {
  std::ifstream in(path);
  if (!in) return FlagError(flag, absl::StrCat("cannot read ", path));
  std::vector<std::string> out;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (first) {
      absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 BOM
      first = false;
      if (first_csv_column && (absl::StartsWithIgnoreCase(text, "number,") ||
                               absl::EqualsIgnoreCase(text, "number"))) {
        continue;  // certreg CSV header
      }
    }
    if (text.empty() || absl::StartsWith(text, "#")) continue;
    if (first_csv_column) {
      text = absl::StripAsciiWhitespace(text.substr(0, text.find(',')));
      if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        text = text.substr(1, text.size() - 2);
      }
      if (text.empty()) continue;
    }
    out.emplace_back(text);
  }
  if (out.empty())
    return FlagError(flag, absl::StrCat(path, " has no entries"));
  return out;
}

// Lists up to `limit` certificate numbers from the registry.
absl::StatusOr<std::vector<std::string>> ListNumbers(RegistryClient& client,
                                                     size_t limit) {
  std::vector<std::string> numbers;
  v1::SearchCertificatesRequest request;
  request.set_page_size(100);
  while (numbers.size() < limit) {
    absl::StatusOr<v1::SearchCertificatesResponse> page =
        client.SearchCertificates(request);
    if (!page.ok()) return page.status();
    for (const auto& c : page->certificates()) numbers.push_back(c.number());
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  if (numbers.size() > limit) numbers.resize(limit);
  return numbers;
}

// Finds a certificate of `body` to copy: the first of `numbers` (up to 1,000
// looked up), else the first the registry lists for the body.
absl::StatusOr<v1::Certificate> WriteTemplate(
    RegistryClient& client, const std::vector<std::string>& numbers,
    const std::string& body) {
  for (size_t i = 0; i < numbers.size() && i < 1000; ++i) {
    v1::GetCertificateRequest request;
    request.set_number(numbers[i]);
    absl::StatusOr<v1::GetCertificateResponse> got =
        client.GetCertificate(request);
    if (got.ok() && got->certificate().body_approval_number() == body) {
      return got->certificate();
    }
    if (!got.ok() && !absl::IsNotFound(got.status())) return got.status();
  }
  v1::SearchCertificatesRequest search;
  search.set_body_approval_number(body);
  search.set_page_size(1);
  absl::StatusOr<v1::SearchCertificatesResponse> found =
      client.SearchCertificates(search);
  if (!found.ok()) return found.status();
  if (found->certificates().empty()) {
    return FlagError("write_body",
                     absl::StrCat("no certificate of ", body,
                                  " in --numbers_file or the registry to copy "
                                  "as a template"));
  }
  v1::GetCertificateRequest request;
  request.set_number(found->certificates(0).number());
  absl::StatusOr<v1::GetCertificateResponse> got =
      client.GetCertificate(request);
  if (!got.ok()) return got.status();
  return got->certificate();
}

// Signs `count` issue statements of fresh certificates copied from a template.
absl::StatusOr<std::vector<v1::SignedStatement>> PresignWrites(
    RegistryClient& client, const std::vector<std::string>& numbers,
    size_t count) {
  const std::string body = absl::GetFlag(FLAGS_write_body);
  absl::StatusOr<Ed25519PrivateKey> key =
      ReadPrivateKey(absl::GetFlag(FLAGS_write_key));
  if (!key.ok()) {
    return FlagError("write_key", key.status().message());
  }
  // The body must exist and hold the key; its name goes into certificates.
  std::string body_name = absl::GetFlag(FLAGS_write_body_name);
  {
    v1::ListBodiesRequest request;
    request.set_page_size(100);
    const v1::CertificationBody* match = nullptr;
    absl::StatusOr<v1::ListBodiesResponse> page;
    while (match == nullptr) {
      page = client.ListBodies(request);
      if (!page.ok()) return page.status();
      for (const auto& b : page->bodies()) {
        if (b.approval_number() == body) match = &b;
      }
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    if (match == nullptr) {
      return FlagError("write_body",
                       absl::StrCat(body, " is not a body of the registry"));
    }
    bool key_ok = false;
    for (const auto& k : match->keys()) {
      key_ok |=
          k.key_id() == key->key_id() && k.state() == v1::KEY_STATE_ACTIVE;
    }
    if (!key_ok) {
      return FlagError("write_key",
                       absl::StrCat("key ", ToHex(key->key_id()),
                                    " is not an active key of ", body));
    }
    if (body_name.empty()) body_name = match->name();
  }
  absl::StatusOr<v1::Certificate> base = WriteTemplate(client, numbers, body);
  if (!base.ok()) return base.status();

  const absl::Time now = absl::Now();
  const absl::CivilDay today = TodayInChina(now);
  const std::string prefix = absl::StrCat(
      "LG", absl::FormatTime("%Y%m%d%H%M%S", now, absl::UTCTimeZone()), "-");
  // A management-system number carries the body's code and the
  // recertification count (ValidateCertificateNumberStructure): body code,
  // year, the template's system letter, the time and i as the serial, "R0",
  // the template's size.
  std::string system_number_prefix;
  std::string system_number_suffix;
  if (base->type() == v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM) {
    absl::StatusOr<std::string> body_code =
        BodyCodeOfApprovalNumber(body, "write_body");
    if (!body_code.ok()) return body_code.status();
    absl::StatusOr<ManagementSystemNumber> template_number =
        ParseManagementSystemNumber(base->number());
    system_number_prefix = absl::StrCat(
        *body_code, absl::FormatTime("%y", now, absl::UTCTimeZone()),
        std::string(1, template_number.ok() ? template_number->system : 'Q'),
        absl::FormatTime("%m%d%H%M%S", now, absl::UTCTimeZone()));
    system_number_suffix = absl::StrCat(
        "R0",
        std::string(1, template_number.ok() ? template_number->size : 'M'));
  }
  const std::string division =
      base->holder().unified_social_credit_code().substr(2, 6);
  std::mt19937_64 rng(static_cast<uint64_t>(absl::ToUnixNanos(now)));
  const uint64_t seed_base = static_cast<uint64_t>(absl::ToUnixSeconds(now))
                             << 20;
  std::vector<v1::SignedStatement> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    v1::Statement statement;
    statement.set_certificate_number(
        system_number_prefix.empty()
            ? absl::StrFormat("%s%07d", prefix, i)
            : absl::StrFormat("%s%07d%s", system_number_prefix, i,
                              system_number_suffix));
    *statement.mutable_date() = ToProtoDate(today);
    statement.set_nonce(rng());
    v1::Certificate* c = statement.mutable_issue()->mutable_certificate();
    *c = *base;
    c->set_number(statement.certificate_number());
    // Registered where the template's holder is (its address is kept).
    c->mutable_holder()->set_unified_social_credit_code(
        DemoCreditCode(seed_base + i, division));
    c->set_body_approval_number(body);
    c->set_body_name(body_name);
    *c->mutable_first_issue_date() = ToProtoDate(today);
    *c->mutable_issue_date() = ToProtoDate(today);
    *c->mutable_expiry_date() = ToProtoDate(AddMonths(today, 36) - 1);
    c->set_recertification_count(0);
    absl::StatusOr<v1::SignedStatement> signed_statement =
        SignStatement(statement, *key);
    if (!signed_statement.ok()) return signed_statement.status();
    out.push_back(*std::move(signed_statement));
  }
  return out;
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           int index) {
  grpc::ChannelArguments args;
  // A connection per channel: no subchannel sharing between them.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("certreg.loadgen.channel", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

absl::Status Connect(const std::shared_ptr<grpc::Channel>& channel,
                     absl::string_view flag, const std::string& address) {
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(5))) {
    return absl::UnavailableError(
        absl::StrCat("--", flag, ": cannot connect to ", address,
                     " within 5 s (is the server running?)"));
  }
  return absl::OkStatus();
}

// --- Report ----------------------------------------------------------------

std::string Ms(int64_t nanos) { return absl::StrFormat("%.3f", nanos / 1e6); }

// JSON has no NaN: null stands for a figure that could not be measured.
std::string JsonNumber(double value) {
  return std::isfinite(value) ? absl::StrFormat("%.3f", value) : "null";
}

std::string StatsJson(const OpStats& s, double seconds) {
  const uint64_t ops = s.ok + s.error_count();
  std::vector<std::string> codes;
  for (const auto& [code, count] : s.errors) {
    codes.push_back(absl::StrCat("\"", code, "\":", count));
  }
  const LatencyHistogram& h = s.latency;
  return absl::StrCat("{\"ops\":", ops, ",\"ok\":", s.ok,
                      ",\"ops_per_s\":", absl::StrFormat("%.1f", ops / seconds),
                      ",\"errors\":", s.error_count(), ",\"errors_by_code\":{",
                      absl::StrJoin(codes, ","), "}",
                      ",\"mean_ms\":", absl::StrFormat("%.3f", h.mean() / 1e6),
                      ",\"p50_ms\":", Ms(h.Percentile(50)),
                      ",\"p90_ms\":", Ms(h.Percentile(90)),
                      ",\"p99_ms\":", Ms(h.Percentile(99)),
                      ",\"p99_9_ms\":", Ms(h.Percentile(99.9)),
                      ",\"max_ms\":", Ms(h.max()), "}");
}

void PrintRow(const std::string& name, const OpStats& s, double seconds) {
  const uint64_t ops = s.ok + s.error_count();
  const LatencyHistogram& h = s.latency;
  // No latency without a successful request.
  auto ms = [&h](int64_t nanos) {
    return h.count() == 0 ? std::string("-") : Ms(nanos);
  };
  std::cout << absl::StrFormat(
      "%-7s %9d %7d %10.1f %9s %9s %9s %9s %9s\n", name, ops, s.error_count(),
      ops / seconds, ms(h.Percentile(50)), ms(h.Percentile(90)),
      ms(h.Percentile(99)), ms(h.Percentile(99.9)), ms(h.max()));
}

int Main() {
  // Flags.
  const std::string registry = absl::GetFlag(FLAGS_registry);
  const std::string verifier = absl::GetFlag(FLAGS_verifier);
  const int num_channels = absl::GetFlag(FLAGS_channels);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double rate = absl::GetFlag(FLAGS_rate);
  const double duration = absl::GetFlag(FLAGS_duration_seconds);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  const double timeout = absl::GetFlag(FLAGS_rpc_timeout_seconds);
  std::vector<absl::Status> errors;
  auto check = [&](bool ok, absl::string_view flag, absl::string_view what) {
    if (!ok) errors.push_back(FlagError(flag, what));
  };
  check(!registry.empty(), "registry", "is required");
  check(num_channels >= 1 && num_channels <= 1000, "channels",
        "must be 1-1000");
  check(concurrency >= 1 && concurrency <= 100000, "concurrency",
        "must be 1-100000");
  const int client_threads = absl::GetFlag(FLAGS_client_threads);
  check(client_threads >= 1 && client_threads <= 64, "client_threads",
        "must be 1-64");
  check(std::isfinite(rate) && rate >= 0 && rate <= 1e7, "rate",
        "must be 0 (closed loop) or a rate up to 10,000,000 per second");
  check(absl::GetFlag(FLAGS_max_outstanding) >= 1, "max_outstanding",
        "must be at least 1");
  check(std::isfinite(duration) && duration > 0 && duration <= 86400,
        "duration_seconds", "must be > 0 and at most 86400");
  check(std::isfinite(warmup) && warmup >= 0 && warmup <= 3600,
        "warmup_seconds", "must be 0-3600");
  check(std::isfinite(timeout) && timeout > 0 && timeout <= 600,
        "rpc_timeout_seconds", "must be > 0 and at most 600");
  const int batch_size = absl::GetFlag(FLAGS_batch_size);
  check(batch_size >= 1 && batch_size <= 1000, "batch_size", "must be 1-1000");
  const int write_batch = absl::GetFlag(FLAGS_write_batch);
  check(write_batch >= 1 && write_batch <= 1000, "write_batch",
        "must be 1-1000");
  check(absl::GetFlag(FLAGS_write_count) >= 0, "write_count",
        "must not be negative");
  absl::StatusOr<std::array<int, kNumOps>> weights =
      ParseMix(absl::GetFlag(FLAGS_mix));
  if (!weights.ok()) errors.push_back(weights.status());
  if (weights.ok() && (*weights)[kWrite] > 0) {
    check(!absl::GetFlag(FLAGS_write_key).empty(), "write_key",
          "is required when --mix has write");
    check(!absl::GetFlag(FLAGS_write_body).empty(), "write_body",
          "is required when --mix has write");
  }
  const std::string view = absl::GetFlag(FLAGS_view);
  check(view == "basic" || view == "full", "view",
        absl::StrCat("is \"", view, "\"; expected basic or full"));
  const bool needs_verifier =
      weights.ok() && ((*weights)[kVerify] > 0 || (*weights)[kBatch] > 0);
  if (needs_verifier) {
    check(!verifier.empty(), "verifier", "is required when --mix has verify");
  }
  absl::StatusOr<std::vector<WatchedProcess>> watched =
      ParseWatchedProcesses(absl::GetFlag(FLAGS_cpu_pids), "cpu_pids");
  if (!watched.ok()) {
    errors.push_back(watched.status());
  } else {
    for (const WatchedProcess& process : *watched) {
      check(process.name != kSelfName, "cpu_pids",
            absl::StrCat("\"", kSelfName,
                         "\" is the load generator's own name here"));
      check(ProcessCpuSeconds(process.pid).ok(), "cpu_pids",
            absl::StrCat("no process ", process.pid, " (", process.name,
                         ") to watch"));
    }
  }
  if (!errors.empty()) {
    for (const absl::Status& e : errors) {
      std::cerr << "certreg-loadgen: " << e.message() << "\n";
    }
    std::cerr << "Try --help for usage.\n";
    return kExitUsage;
  }

  Workload workload;
  workload.weights = *weights;
  workload.batch_size = batch_size;
  workload.write_batch = write_batch;
  workload.view =
      view == "basic" ? v1::CERTIFICATE_VIEW_BASIC : v1::CERTIFICATE_VIEW_FULL;
  workload.lookup_stream = absl::GetFlag(FLAGS_lookup_stream);
  auto fail = [](const absl::Status& status) {
    std::cerr << "certreg-loadgen: " << status.message() << "\n";
    return absl::IsInvalidArgument(status) ? kExitUsage : kExitFailed;
  };
  RegistryClient client(registry);
  if (!absl::GetFlag(FLAGS_queries_file).empty()) {
    absl::StatusOr<std::vector<std::string>> queries =
        ReadLines(absl::GetFlag(FLAGS_queries_file), "queries_file", false);
    if (!queries.ok()) return fail(queries.status());
    workload.queries = *std::move(queries);
  } else {
    workload.queries = DefaultQueries();
  }
  const bool needs_numbers = workload.weights[kGet] > 0 ||
                             workload.weights[kVerify] > 0 ||
                             workload.weights[kBatch] > 0;
  if (!absl::GetFlag(FLAGS_numbers_file).empty()) {
    absl::StatusOr<std::vector<std::string>> numbers =
        ReadLines(absl::GetFlag(FLAGS_numbers_file), "numbers_file", true);
    if (!numbers.ok()) return fail(numbers.status());
    workload.numbers = *std::move(numbers);
  } else if (needs_numbers) {
    absl::StatusOr<std::vector<std::string>> numbers =
        ListNumbers(client, 10000);
    if (!numbers.ok()) {
      return fail(absl::Status(
          numbers.status().code(),
          absl::StrCat("listing certificate numbers from --registry ", registry,
                       ": ", numbers.status().message())));
    }
    if (numbers->empty()) {
      return fail(FlagError(
          "numbers_file",
          "not given and the registry lists no certificates (seed it, e.g. "
          "certctl demo-seed, or give --numbers_file)"));
    }
    workload.numbers = *std::move(numbers);
    std::cerr << "certreg-loadgen: " << workload.numbers.size()
              << " certificate numbers listed from the registry\n";
  }

  const uint64_t seed =
      absl::GetFlag(FLAGS_seed) != 0
          ? absl::GetFlag(FLAGS_seed)
          : static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  if (workload.weights[kWrite] > 0) {
    int total = 0;
    for (int w : workload.weights) total += w;
    size_t count = static_cast<size_t>(absl::GetFlag(FLAGS_write_count));
    if (count == 0) {
      const double share =
          static_cast<double>(workload.weights[kWrite]) / total;
      // Open loop: requests of write_batch statements each.
      const double per_second = rate > 0 ? rate * write_batch : 20000;
      count = static_cast<size_t>(std::min(
          1e6, std::ceil(share * per_second * (warmup + duration) * 1.1) + 16));
    }
    const absl::Time began = absl::Now();
    absl::StatusOr<std::vector<v1::SignedStatement>> writes =
        PresignWrites(client, workload.numbers, count);
    if (!writes.ok()) return fail(writes.status());
    workload.writes = *std::move(writes);
    std::cerr << "certreg-loadgen: pre-signed " << workload.writes.size()
              << " issue statements in "
              << absl::FormatDuration(
                     absl::Trunc(absl::Now() - began, absl::Milliseconds(1)))
              << "\n";
  }

  // Channels, connected before the clock starts.
  std::vector<Channel> channels(num_channels);
  for (int i = 0; i < num_channels; ++i) {
    std::shared_ptr<grpc::Channel> r = MakeChannel(registry, i);
    if (absl::Status s = Connect(r, "registry", registry); !s.ok()) {
      return fail(s);
    }
    channels[i].registry = v1::RegistryService::NewStub(r);
    if (needs_verifier) {
      std::shared_ptr<grpc::Channel> v = MakeChannel(verifier, i);
      if (absl::Status s = Connect(v, "verifier", verifier); !s.ok()) {
        return fail(s);
      }
      channels[i].verifier = v1::VerifierService::NewStub(v);
    }
  }

  LoadGenerator::Options options;
  options.rate = rate;
  options.max_outstanding = absl::GetFlag(FLAGS_max_outstanding);
  options.stream_pool = static_cast<size_t>(num_channels) * concurrency;
  options.warmup = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(warmup));
  options.duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(duration));
  options.rpc_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(timeout * 1000)));
  options.seed = seed;
  // The load generator's own CPU, then each --cpu_pids process's.
  options.sample_cpu = [processes = *watched] {
    std::vector<double> seconds;
    auto sample = [&seconds](pid_t pid) {
      absl::StatusOr<double> cpu = ProcessCpuSeconds(pid);
      seconds.push_back(cpu.ok() ? *cpu : std::nan(""));
    };
    sample(getpid());
    for (const WatchedProcess& process : processes) sample(process.pid);
    return seconds;
  };
  std::string mode =
      rate > 0
          ? absl::StrFormat("open loop at %.1f requests/s over %d channels",
                            rate, num_channels)
          : absl::StrFormat(
                "closed loop, %d channels x %d outstanding = %d in flight",
                num_channels, concurrency, num_channels * concurrency);
  std::cerr << "certreg-loadgen: " << mode << "; warmup " << warmup
            << " s, measuring " << duration << " s; mix "
            << absl::GetFlag(FLAGS_mix) << "\n";
  // Deliberately leaked: a request that outlives its deadline must still
  // find the generator when it completes.
  auto* generator =
      new LoadGenerator(&workload, &channels, options, client_threads);
  std::array<OpStats, kNumOps> results = generator->Run(concurrency);

  // Report.
  OpStats total;
  for (const OpStats& s : results) total.Merge(s);
  const uint64_t total_ops = total.ok + total.error_count();
  std::cout << "certreg-loadgen: " << mode << "\n"
            << "registry " << registry;
  if (needs_verifier) std::cout << ", verifier " << verifier;
  std::cout << "; " << duration << " s measured after " << warmup
            << " s warmup; latency of successful requests in ms\n";
  std::cout << absl::StrFormat("%-7s %9s %7s %10s %9s %9s %9s %9s %9s\n", "op",
                               "count", "errors", "ops/s", "p50", "p90", "p99",
                               "p99.9", "max");
  std::vector<std::string> by_op;
  for (int op = 0; op < kNumOps; ++op) {
    if (workload.weights[op] == 0) continue;
    PrintRow(kOpNames[op], results[op], duration);
    by_op.push_back(absl::StrCat("\"", kOpNames[op],
                                 "\":", StatsJson(results[op], duration)));
  }
  PrintRow("total", total, duration);
  for (int op = 0; op < kNumOps; ++op) {
    for (const auto& [code, count] : results[op].errors) {
      std::cout << "errors: " << kOpNames[op] << " " << code << " x" << count
                << "\n";
    }
  }
  if (generator->dropped() > 0) {
    std::cout << "dropped: " << generator->dropped()
              << " requests not sent (--max_outstanding="
              << options.max_outstanding
              << " in flight, or writes exhausted); they are not in count\n";
  }
  if (workload.weights[kWrite] > 0 && write_batch > 1) {
    std::cout << absl::StrFormat(
        "writes: %d statements per request: %.1f statements/s\n", write_batch,
        static_cast<double>(results[kWrite].ok) * write_batch / duration);
  }
  if (generator->writes_exhausted() > 0) {
    std::cout << "writes: the " << workload.writes.size()
              << " pre-signed statements ran out; raise --write_count\n";
  }
  std::vector<std::string> cpu_json;
  if (const std::vector<double>& used = generator->cpu_used(); !used.empty()) {
    std::vector<std::string> names = {kSelfName};
    for (const WatchedProcess& process : *watched) {
      names.push_back(process.name);
    }
    std::vector<std::string> parts;
    for (size_t i = 0; i < names.size() && i < used.size(); ++i) {
      // NaN if the process ended during the window.
      const double per_request =
          total_ops > 0 ? used[i] * 1e6 / static_cast<double>(total_ops)
                        : std::nan("");
      parts.push_back(std::isfinite(per_request)
                          ? absl::StrFormat("%s %.1f us (%.2f cores)", names[i],
                                            per_request, used[i] / duration)
                          : absl::StrCat(names[i],
                                         " not measured (it ended, or no "
                                         "request completed)"));
      cpu_json.push_back(
          absl::StrCat("\"", names[i], "\":{\"cpu_s\":", JsonNumber(used[i]),
                       ",\"cores\":", JsonNumber(used[i] / duration),
                       ",\"us_per_request\":", JsonNumber(per_request), "}"));
    }
    std::cout << "cpu per request over the measured window: "
              << absl::StrJoin(parts, ", ") << "\n";
  }
  const std::string json = absl::StrCat(
      "{\"duration_s\":", duration, ",\"warmup_s\":", warmup, ",\"mode\":\"",
      rate > 0 ? "open" : "closed", "\",\"rate\":", rate,
      ",\"channels\":", num_channels,
      ",\"concurrency\":", rate > 0 ? 0 : concurrency, ",\"view\":\"", view,
      "\"", ",\"dropped\":", generator->dropped(),
      ",\"writes_exhausted\":", generator->writes_exhausted(),
      ",\"write_batch\":", write_batch,
      ",\"total\":", StatsJson(total, duration), ",\"by_op\":{",
      absl::StrJoin(by_op, ","), "},\"cpu\":{", absl::StrJoin(cpu_json, ","),
      "}}");
  std::cout << "JSON: " << json << std::endl;
  int exit_code = kExitOk;
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream out(path);
    out << json << "\n";
    out.close();
    if (!out) {
      std::cerr << "certreg-loadgen: --json_out: cannot write " << path << "\n";
      exit_code = kExitFailed;
    }
  }
  if (total_ops == 0) {
    std::cerr << "certreg-loadgen: no request completed in the measured "
                 "window\n";
    exit_code = kExitFailed;
  } else if (total.ok == 0) {
    std::cerr << "certreg-loadgen: every request failed\n";
    exit_code = kExitFailed;
  }
  if (generator->abandoned()) {
    // Requests still reference the channels: leave without destructors.
    std::cout.flush();
    std::_Exit(exit_code);
  }
  delete generator;
  return exit_code;
}

}  // namespace
}  // namespace certreg

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
  return certreg::Main();
}
