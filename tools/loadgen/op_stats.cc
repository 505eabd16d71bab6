#include "tools/loadgen/op_stats.h"

#include "absl/status/status.h"

namespace certreg::loadgen {

uint64_t OpStats::error_count() const {
  uint64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

void OpStats::Merge(const OpStats& other) {
  latency.Merge(other.latency);
  ok += other.ok;
  for (const auto& [code, count] : other.errors) errors[code] += count;
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void Recorder::Record(size_t shard_hint, Op op,
                      std::chrono::nanoseconds latency,
                      const grpc::Status& status) {
  Shard& shard = shards_[shard_hint % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  OpStats& stats = shard.ops[op];
  if (status.ok()) {
    ++stats.ok;
    stats.latency.Record(latency.count());
  } else {
    ++stats.errors[CodeName(status.error_code())];
  }
}

RunResults Recorder::Collect() {
  RunResults out;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (int op = 0; op < kNumOps; ++op) out[op].Merge(shard.ops[op]);
  }
  return out;
}

}  // namespace certreg::loadgen
