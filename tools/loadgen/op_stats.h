#ifndef CERTREG_TOOLS_LOADGEN_OP_STATS_H_
#define CERTREG_TOOLS_LOADGEN_OP_STATS_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "grpcpp/grpcpp.h"
#include "tools/common/latency_histogram.h"
#include "tools/loadgen/operation.h"

namespace certreg::loadgen {

// What a run measured of one operation: the latency of its successful
// requests and the count of every outcome. Thread-compatible.
struct OpStats {
  LatencyHistogram latency;  // successful requests only
  uint64_t ok = 0;
  std::map<std::string, uint64_t> errors;  // by gRPC code name, e.g. NOT_FOUND

  uint64_t error_count() const;
  // Requests that ended, successful or not.
  uint64_t requests() const { return ok + error_count(); }
  // Adds every request of `other`.
  void Merge(const OpStats& other);
};

// One OpStats per operation, indexed by Op.
using RunResults = std::array<OpStats, kNumOps>;

// The name of a gRPC status code as absl spells it (e.g. DEADLINE_EXCEEDED).
std::string CodeName(grpc::StatusCode code);

// Records the requests of a run as they end, from any thread. Sharded so that
// concurrent completions rarely wait for each other: a caller passes any
// number (e.g. its sender's index) to spread over the shards. Thread-safe.
class Recorder {
 public:
  // One request of `op` that took `latency` and ended with `status`.
  void Record(size_t shard_hint, Op op, std::chrono::nanoseconds latency,
              const grpc::Status& status);

  // Everything recorded so far, the shards merged.
  RunResults Collect();

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    RunResults ops;
  };
  std::array<Shard, kShards> shards_;
};

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_OP_STATS_H_
