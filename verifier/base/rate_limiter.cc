#include "verifier/base/rate_limiter.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace certreg {

std::optional<absl::Duration> RateLimiter::TryTake(absl::string_view client,
                                                   int budget,
                                                   const Rate& rate) {
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
  if (bucket.tokens < 0) {
    bucket.tokens = burst;
  } else {
    const double refill =
        absl::ToDoubleSeconds(now - bucket.updated) * rate.per_second;
    bucket.tokens = std::min(burst, bucket.tokens + std::max(0.0, refill));
  }
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  return absl::Seconds((1 - bucket.tokens) / rate.per_second);
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
