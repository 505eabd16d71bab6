#ifndef CERTREG_VERIFIER_BASE_RATE_LIMITER_H_
#define CERTREG_VERIFIER_BASE_RATE_LIMITER_H_

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace certreg {

// A refill rate and a burst: a token bucket holds up to `burst` tokens and
// gains `per_second` a second. per_second 0: unlimited.
struct Rate {
  double per_second = 0;
  double burst = 0;
};

// Token buckets per client and per budget (a client's lookups, searches,
// writes... each their own), the way public APIs meter callers. Idle
// clients are forgotten, so memory stays bounded by the active ones.
// Thread-safe; clients are spread over shards, each with its own lock.
class RateLimiter {
 public:
  static constexpr int kBudgets = 8;

  explicit RateLimiter(std::function<absl::Time()> now = absl::Now)
      : now_(std::move(now)) {}

  // Takes `cost` tokens from `client`'s budget `budget` (0 to kBudgets - 1),
  // refilled at `rate`: nullopt when taken, otherwise how long until they
  // can be. A call costing more than the burst (a batch of a thousand
  // claims) is taken once the bucket is full, leaving it in debt: the
  // client then waits until the debt is paid.
  std::optional<absl::Duration> TryTake(absl::string_view client, int budget,
                                        const Rate& rate, double cost = 1);

  // Clients with a bucket now (for tests and metrics).
  size_t clients() const;

 private:
  struct Bucket {
    bool used = false;  // before its first call it is full
    double tokens = 0;  // below zero: in debt
    absl::Time updated;
  };
  struct Client {
    std::array<Bucket, kBudgets> buckets;
    absl::Time seen;
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Client> clients ABSL_GUARDED_BY(mu);
    absl::Time swept ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  };
  static constexpr int kShards = 16;
  // A shard holding more clients than this forgets those idle for
  // kForgetAfter, looking at most once a minute.
  static constexpr size_t kSweepAbove = 4096;
  static constexpr absl::Duration kForgetAfter = absl::Minutes(10);

  void Sweep(Shard& shard, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  const std::function<absl::Time()> now_;
  std::array<Shard, kShards> shards_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BASE_RATE_LIMITER_H_
