#ifndef CERTREG_TOOLS_LOADGEN_ENGINE_H_
#define CERTREG_TOOLS_LOADGEN_ENGINE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "tools/loadgen/channels.h"
#include "tools/loadgen/completion_tag.h"
#include "tools/loadgen/lookup_streams.h"
#include "tools/loadgen/op_stats.h"
#include "tools/loadgen/operation.h"
#include "tools/loadgen/workload.h"

namespace certreg::loadgen {

struct UnaryCall;  // a unary request in flight (engine.cc)

// The engine of certreg-loadgen: drives many outstanding requests of a
// Workload from a few threads with gRPC's completion-queue client API (one
// queue per polling thread, which both finishes a request and sends the
// next), either closed loop (channels x concurrency requests always in
// flight) or open loop (a fixed request rate, latency measured from each
// request's scheduled send time so a slow server cannot hide its queueing
// delay), and records each request that began in the measured window.
//
// Example:
//   Engine engine(&workload, &channels, options, /*threads=*/1);
//   RunResults results = engine.Run(/*concurrency=*/16);
//
// Thread-compatible: one Run at a time, from one thread.
class Engine {
 public:
  struct Options {
    // Requests per second; 0 is closed loop.
    double rate = 0;
    // Open loop: most requests in flight; a request due past it is dropped.
    int max_outstanding = 10000;
    // Open loop with lookup streams: the most streams open at once.
    size_t stream_pool = 64;
    // Load before the measured window, and the window.
    Clock::duration warmup = std::chrono::seconds(1);
    Clock::duration duration = std::chrono::seconds(10);
    // The deadline of each request (of each stream: the run's end plus it).
    std::chrono::milliseconds rpc_timeout{10000};
    // Sent with every request (metadata x-api-key) when not empty: the
    // registry meters that key's quota.
    std::string api_key;
    uint64_t seed = 1;
    // If set, called at the start and the end of the measured window; Run
    // keeps the difference of the two (cpu_used()).
    std::function<std::vector<double>()> sample_cpu;
  };

  // Starts `threads` pollers, one completion queue each. `workload` and
  // `channels` must outlive this.
  Engine(const Workload* workload, std::vector<Channel>* channels,
         Options options, int threads);

  // Drains and stops the pollers; requests still in flight finish first.
  ~Engine();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs warmup + duration (closed loop: `concurrency` senders per
  // channel), waits for outstanding requests, and returns the results of
  // the measured window.
  RunResults Run(int concurrency);

  // Requests due but not sent in the measured window (open loop: past
  // max_outstanding, or nothing left to send).
  uint64_t dropped() const { return dropped_.load(); }
  // Times a write was chosen with the pre-signed statements used up.
  uint64_t writes_exhausted() const { return writes_exhausted_.load(); }
  // Whether requests were still outstanding past every deadline: they still
  // reference the channels and this engine, which must then not be
  // destroyed.
  bool abandoned() const { return abandoned_; }
  // CPU seconds over the measured window, in the order sample_cpu gives.
  const std::vector<double>& cpu_used() const { return cpu_used_; }

 private:
  // Takes every completion of `cq` until it is shut down.
  void Poll(grpc::CompletionQueue* cq);
  // Picks an operation; kNumOps when nothing can be sent.
  Op ChooseOp(std::mt19937_64& rng);
  // Starts one request; returns false when there was nothing to send.
  bool Send(Op op, int channel_index, Clock::time_point start, Slot* slot,
            size_t shard, std::mt19937_64& rng);
  // Starts a write of the next workload_.write_batch pre-signed statements;
  // false when too few are left.
  bool SendWrite(int channel_index, Clock::time_point start, Slot* slot,
                 size_t shard);
  // A new unary call of `op` with its deadline set, deleted by Done.
  template <typename CallType>
  CallType* NewCall(Op op, Clock::time_point start, Slot* slot,
                    size_t shard) const;
  // Closed loop: sends the slot's next request, or retires the slot.
  void SendNext(Slot* slot);
  // A unary call ended with `status`.
  void Done(UnaryCall* call, const grpc::Status& status);
  // Records a request that ended and, closed loop, sends the slot's next.
  void Finished(Op op, Clock::time_point start, size_t shard, Slot* slot,
                const grpc::Status& status);
  // The senders of the closed loop, each sending its first request.
  void StartClosedLoop(int concurrency);
  // Sends requests at options_.rate until the run's end.
  void RunOpenLoop();
  // Samples the CPU at the start and the end of the measured window.
  std::thread StartCpuSampler();
  // Waits for the requests in flight, up to past their deadline.
  void WaitForOutstanding();

  const Workload& workload_;
  const OperationMix mix_;
  std::vector<Channel>& channels_;
  const Options options_;
  Clock::time_point start_, measure_start_, end_;
  std::atomic<int64_t> outstanding_{0};
  std::atomic<size_t> next_write_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> writes_exhausted_{0};
  bool abandoned_ = false;
  std::vector<double> cpu_used_;  // written by the sampler before Run joins it
  Recorder recorder_;
  std::vector<std::unique_ptr<Slot>> slots_;  // closed loop
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::thread> pollers_;
  // Destroyed before the queues their operations completed on.
  LookupStreams streams_;
};

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_ENGINE_H_
