#include "verifier/base/rate_limiter.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace certreg {

std::optional<absl::Duration> RateLimiter::TryTake(absl::string_view client,
                                                   int budget, const Rate& rate,
                                                   double cost) {
  if (rate.per_second <= 0) return std::nullopt;
  const double burst = std::max(1.0, rate.burst);
  const absl::Time now = now_();
  Shard& shard = shards_[absl::Hash<absl::string_view>()(client) % kShards];
  absl::MutexLock lock(&shard.mu);
  if (shard.clients.size() > kSweepAbove &&
      now - shard.swept > absl::Minutes(1)) {
    Sweep(shard, now);
    shard.swept = now;
  }
  Client& entry = shard.clients[client];
  entry.seen = now;
  Bucket& bucket = entry.buckets[budget];
  if (!bucket.used) {
    bucket.used = true;
    bucket.tokens = burst;
  } else {
    const double refill =
        absl::ToDoubleSeconds(now - bucket.updated) * rate.per_second;
    bucket.tokens = std::min(burst, bucket.tokens + std::max(0.0, refill));
  }
  bucket.updated = now;
  const double needed = std::min(cost, burst);
  if (bucket.tokens >= needed) {
    bucket.tokens -= cost;  // below zero for a call beyond the burst
    return std::nullopt;
  }
  return absl::Seconds((needed - bucket.tokens) / rate.per_second);
}

void RateLimiter::Sweep(Shard& shard, absl::Time now) const {
  absl::erase_if(shard.clients, [now](const auto& entry) {
    return now - entry.second.seen > kForgetAfter;
  });
}

size_t RateLimiter::clients() const {
  size_t count = 0;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    count += shard.clients.size();
  }
  return count;
}

}  // namespace certreg
