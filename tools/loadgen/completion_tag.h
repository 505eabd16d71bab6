#ifndef CERTREG_TOOLS_LOADGEN_COMPLETION_TAG_H_
#define CERTREG_TOOLS_LOADGEN_COMPLETION_TAG_H_

#include <chrono>
#include <cstddef>
#include <random>

namespace certreg::loadgen {

// What the engine (engine.h) and its lookup streams (lookup_streams.h)
// share: the clock, what a completion queue's tag points at, and the
// closed loop's senders.

// The clock of every start time, deadline of the run and latency.
using Clock = std::chrono::steady_clock;

// What a completion queue's tag points at: a unary call (engine.cc) or a
// lookup stream (lookup_streams.h); `kind` says which to cast it to.
struct Tag {
  enum class Kind { kCall, kStream };
  explicit Tag(Kind k) : kind(k) {}
  virtual ~Tag() = default;
  const Kind kind;
};

struct LookupStream;

// A closed-loop sender: one request outstanding at a time, the next sent
// when it ends. Used by one request at a time, so by one thread at a time.
struct Slot {
  // Its place among the senders: the shard of its results.
  size_t index = 0;
  int channel = 0;
  std::mt19937_64 rng;
  // With lookup streams, the stream its lookups go on, once it has one.
  LookupStream* stream = nullptr;
};

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_COMPLETION_TAG_H_
