#ifndef CERTREG_TOOLS_LOADGEN_LOOKUP_STREAMS_H_
#define CERTREG_TOOLS_LOADGEN_LOOKUP_STREAMS_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "certreg/v1/registry.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "tools/loadgen/channels.h"
#include "tools/loadgen/completion_tag.h"

namespace certreg::loadgen {

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

// The lookups of a run sent over LookupCertificates streams, one lookup at a
// time on each stream. Closed loop, each sender (Slot) keeps a stream of its
// own; open loop, the lookups share a pool of up to `pool_size` streams, and
// a lookup due while every stream of a full pool is busy waits for the first
// one free (its latency still counted from when it was due). A stream that
// fails is replaced for the next lookup.
//
// Thread-safe: Send and Advance are called from the engine's pollers and its
// open-loop sender at once.
class LookupStreams {
 public:
  // Told of every lookup that ended: what Send was given, and the outcome
  // (the answer's code, or the stream's status if the stream failed).
  using DoneFn = std::function<void(Clock::time_point start, size_t shard,
                                    Slot* slot, const grpc::Status& status)>;

  struct Options {
    v1::CertificateView view = v1::CERTIFICATE_VIEW_FULL;
    // Open loop: the most streams open at once.
    size_t pool_size = 64;
    // A stream's deadline is the run's end plus this.
    std::chrono::milliseconds rpc_timeout{10000};
    // Sent as metadata x-api-key when not empty.
    std::string api_key;
  };

  // The streams go over `channels`, their operations complete on `queues`
  // (channel i's on queue i modulo their number); both must outlive this.
  LookupStreams(
      std::vector<Channel>* channels,
      const std::vector<std::unique_ptr<grpc::CompletionQueue>>* queues,
      Options options, DoneFn done);

  // The run's end, before the first Send.
  void set_end(Clock::time_point end) { end_ = end; }

  // Sends a lookup of `number` (which must outlive the run) due at `start`:
  // on `slot`'s stream (closed loop) or on one of the pool (open loop, `slot`
  // null), opening a stream on channel `channel_index` when there is none.
  void Send(const std::string& number, int channel_index,
            Clock::time_point start, Slot* slot, size_t shard);

  // One completion of an operation on `stream`, `ok` as the queue gave it:
  // the next step of its lookup, or of its closing.
  void Advance(LookupStream* stream, bool ok);

  // Ends every stream still open once the run's lookups are done (those
  // left mid-lookup, past their deadline, are cancelled) and waits up to 5 s
  // for them to finish; then cancels any left.
  void CloseAll();

 private:
  struct WaitingLookup {
    Clock::time_point start;
    size_t shard;
    const std::string* number;
  };

  // Writes a lookup of `number` on `stream`, or on a new stream on
  // `channel_index` if `stream` is null.
  void Launch(LookupStream* stream, int channel_index, Clock::time_point start,
              Slot* slot, size_t shard, const std::string& number);
  // A new stream on `channel_index`, kept until this is destroyed.
  LookupStream* Open(int channel_index);
  // The stream's lookup ended with `status`: the stream takes the next
  // waiting lookup (open loop), or goes idle; a stream that failed is
  // replaced for the next one.
  void LookupDone(LookupStream* stream, const grpc::Status& status);

  std::vector<Channel>& channels_;
  const std::vector<std::unique_ptr<grpc::CompletionQueue>>& queues_;
  const Options options_;
  const DoneFn done_;
  Clock::time_point end_;
  std::mutex mu_;
  // Guarded by mu_: every stream opened, and the pool below.
  std::vector<std::unique_ptr<LookupStream>> streams_;
  // Open loop's pool: its idle streams, how many are open, and the lookups
  // waiting for one.
  std::vector<LookupStream*> idle_;
  size_t live_ = 0;
  std::deque<WaitingLookup> waiting_;
  // Streams closing at the end of the run.
  std::atomic<int64_t> closing_{0};
};

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_LOOKUP_STREAMS_H_
