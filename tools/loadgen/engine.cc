#include "tools/loadgen/engine.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "certreg/v1/verifier.grpc.pb.h"

namespace certreg::loadgen {

// A request in flight with its own context, request and response; its
// address is the completion queue tag.
struct UnaryCall : Tag {
  UnaryCall() : Tag(Kind::kCall) {}
  // The call's outcome: its gRPC status, unless the response says more.
  virtual grpc::Status Outcome() const { return status; }
  grpc::ClientContext context;
  grpc::Status status;
  Op op = kGet;
  Clock::time_point start;
  Slot* slot = nullptr;  // closed loop only
  size_t shard = 0;
};

namespace {

template <typename Request, typename Response>
struct Call : UnaryCall {
  Request request;
  Response response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

using GetCall = Call<v1::GetCertificateRequest, v1::GetCertificateResponse>;
using SearchCall =
    Call<v1::SearchCertificatesRequest, v1::SearchCertificatesResponse>;
using VerifyCall = Call<v1::VerifyRequest, v1::VerifyResponse>;
using BatchVerifyCall = Call<v1::BatchVerifyRequest, v1::BatchVerifyResponse>;
using IssueCall = Call<v1::SubmitStatementRequest, v1::StatementReceipt>;

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
void Start(Stub* stub,
           std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (
               Stub::*prepare)(grpc::ClientContext*, const Request&,
                               grpc::CompletionQueue*),
           Call<Request, Response>* call, grpc::CompletionQueue* cq) {
  call->reader = (stub->*prepare)(&call->context, call->request, cq);
  call->reader->StartCall();
  call->reader->Finish(&call->response, &call->status, static_cast<Tag*>(call));
}

}  // namespace

Engine::Engine(const Workload* workload, std::vector<Channel>* channels,
               Options options, int threads)
    : workload_(*workload),
      mix_(workload->weights),
      channels_(*channels),
      options_(std::move(options)),
      streams_(channels, &queues_,
               LookupStreams::Options{workload->view, options_.stream_pool,
                                      options_.rpc_timeout, options_.api_key},
               [this](Clock::time_point start, size_t shard, Slot* slot,
                      const grpc::Status& status) {
                 Finished(kGet, start, shard, slot, status);
               }) {
  for (int t = 0; t < std::max(threads, 1); ++t) {
    queues_.push_back(std::make_unique<grpc::CompletionQueue>());
  }
  for (auto& queue : queues_) {
    pollers_.emplace_back([this, cq = queue.get()] { Poll(cq); });
  }
}

Engine::~Engine() {
  for (auto& queue : queues_) queue->Shutdown();
  for (std::thread& poller : pollers_) poller.join();
}

RunResults Engine::Run(int concurrency) {
  start_ = Clock::now();
  measure_start_ = start_ + options_.warmup;
  end_ = measure_start_ + options_.duration;
  streams_.set_end(end_);
  std::thread cpu_sampler = StartCpuSampler();
  if (options_.rate > 0) {
    RunOpenLoop();
  } else {
    StartClosedLoop(concurrency);
    std::this_thread::sleep_until(end_);
  }
  if (cpu_sampler.joinable()) cpu_sampler.join();
  WaitForOutstanding();
  streams_.CloseAll();
  return recorder_.Collect();
}

std::thread Engine::StartCpuSampler() {
  if (!options_.sample_cpu) return std::thread();
  return std::thread([this] {
    std::this_thread::sleep_until(measure_start_);
    std::vector<double> before = options_.sample_cpu();
    std::this_thread::sleep_until(end_);
    cpu_used_ = options_.sample_cpu();
    for (size_t i = 0; i < cpu_used_.size() && i < before.size(); ++i) {
      cpu_used_[i] -= before[i];
    }
  });
}

void Engine::WaitForOutstanding() {
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
}

void Engine::Poll(grpc::CompletionQueue* cq) {
  void* event = nullptr;
  bool ok = false;
  while (cq->Next(&event, &ok)) {
    auto* tag = static_cast<Tag*>(event);
    if (tag->kind == Tag::Kind::kStream) {
      streams_.Advance(static_cast<LookupStream*>(tag), ok);
      continue;
    }
    auto* call = static_cast<UnaryCall*>(tag);
    // A unary Finish always completes with ok; its status says the rest.
    Done(call, ok ? call->Outcome()
                  : grpc::Status(grpc::StatusCode::UNKNOWN,
                                 "the completion queue failed the call"));
  }
}

Op Engine::ChooseOp(std::mt19937_64& rng) {
  const Op op = mix_.Pick(rng);
  if (op != kWrite || next_write_.load(std::memory_order_relaxed) +
                              static_cast<size_t>(workload_.write_batch) <=
                          workload_.writes.size()) {
    return op;
  }
  // Out of pre-signed writes: choose among the others.
  ++writes_exhausted_;
  return mix_.PickOtherThanWrite(rng);
}

template <typename CallType>
CallType* Engine::NewCall(Op op, Clock::time_point start, Slot* slot,
                          size_t shard) const {
  auto* call = new CallType;
  call->op = op;
  call->start = start;
  call->slot = slot;
  call->shard = shard;
  call->context.set_deadline(std::chrono::system_clock::now() +
                             options_.rpc_timeout);
  if (!options_.api_key.empty()) {
    call->context.AddMetadata("x-api-key", options_.api_key);
  }
  return call;
}

bool Engine::Send(Op op, int channel_index, Clock::time_point start, Slot* slot,
                  size_t shard, std::mt19937_64& rng) {
  Channel& channel = channels_[channel_index];
  grpc::CompletionQueue* cq = queues_[channel_index % queues_.size()].get();
  switch (op) {
    case kGet: {
      if (workload_.lookup_stream) {
        streams_.Send(RandomNumber(workload_, rng), channel_index, start, slot,
                      shard);
        return true;
      }
      auto* call = NewCall<GetCall>(op, start, slot, shard);
      FillLookup(workload_, rng, &call->request);
      Start(channel.registry.get(),
            &v1::RegistryService::Stub::PrepareAsyncGetCertificate, call, cq);
      return true;
    }
    case kSearch: {
      auto* call = NewCall<SearchCall>(op, start, slot, shard);
      FillSearch(workload_, rng, &call->request);
      Start(channel.registry.get(),
            &v1::RegistryService::Stub::PrepareAsyncSearchCertificates, call,
            cq);
      return true;
    }
    case kVerify: {
      auto* call = NewCall<VerifyCall>(op, start, slot, shard);
      FillVerify(workload_, rng, &call->request);
      Start(channel.verifier.get(),
            &v1::VerifierService::Stub::PrepareAsyncVerify, call, cq);
      return true;
    }
    case kBatch: {
      auto* call = NewCall<BatchVerifyCall>(op, start, slot, shard);
      FillBatchVerify(workload_, rng, &call->request);
      Start(channel.verifier.get(),
            &v1::VerifierService::Stub::PrepareAsyncBatchVerify, call, cq);
      return true;
    }
    case kWrite:
      return SendWrite(channel_index, start, slot, shard);
    case kNumOps:
      break;
  }
  return false;
}

bool Engine::SendWrite(int channel_index, Clock::time_point start, Slot* slot,
                       size_t shard) {
  v1::RegistryService::Stub* stub = channels_[channel_index].registry.get();
  grpc::CompletionQueue* cq = queues_[channel_index % queues_.size()].get();
  const size_t n = static_cast<size_t>(workload_.write_batch);
  const size_t first = next_write_.fetch_add(n);
  if (first + n > workload_.writes.size()) {
    ++writes_exhausted_;
    return false;
  }
  if (n > 1) {
    auto* call = NewCall<SubmitManyCall>(kWrite, start, slot, shard);
    FillSubmitMany(workload_, first, n, &call->request);
    Start(stub, &v1::RegistryService::Stub::PrepareAsyncSubmitStatements, call,
          cq);
    return true;
  }
  auto* call = NewCall<IssueCall>(kWrite, start, slot, shard);
  FillIssue(workload_, first, &call->request);
  Start(stub, &v1::RegistryService::Stub::PrepareAsyncIssueCertificate, call,
        cq);
  return true;
}

void Engine::StartClosedLoop(int concurrency) {
  for (size_t c = 0; c < channels_.size(); ++c) {
    for (int i = 0; i < concurrency; ++i) {
      auto slot = std::make_unique<Slot>();
      slot->index = slots_.size();
      slot->channel = static_cast<int>(c);
      slot->rng.seed(options_.seed + 7919 * slot->index);
      slots_.push_back(std::move(slot));
    }
  }
  outstanding_ += static_cast<int64_t>(slots_.size());
  for (auto& slot : slots_) SendNext(slot.get());
}

void Engine::SendNext(Slot* slot) {
  while (Clock::now() < end_) {
    const Op op = ChooseOp(slot->rng);
    if (op == kNumOps) break;
    if (Send(op, slot->channel, Clock::now(), slot, slot->index, slot->rng)) {
      return;
    }
  }
  --outstanding_;
}

void Engine::Done(UnaryCall* call, const grpc::Status& status) {
  const Op op = call->op;
  const Clock::time_point start = call->start;
  const size_t shard = call->shard;
  Slot* slot = call->slot;
  delete call;
  Finished(op, start, shard, slot, status);
}

void Engine::Finished(Op op, Clock::time_point start, size_t shard, Slot* slot,
                      const grpc::Status& status) {
  if (start >= measure_start_ && start < end_) {
    recorder_.Record(shard, op,
                     std::chrono::duration_cast<std::chrono::nanoseconds>(
                         Clock::now() - start),
                     status);
  }
  if (slot != nullptr) {
    SendNext(slot);
  } else {
    --outstanding_;
  }
}

void Engine::RunOpenLoop() {
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

}  // namespace certreg::loadgen
