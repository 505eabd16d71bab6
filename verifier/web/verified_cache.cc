#include "verifier/web/verified_cache.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "certreg/v1/log.pb.h"
#include "verifier/rules/date.h"

namespace certreg {

VerifiedCache::VerifiedCache(ClaimVerifier* verifier, RegistryClient* registry,
                             VerifiedCacheOptions options)
    : verifier_(verifier), registry_(registry), options_(std::move(options)) {
  if (options_.max_age > absl::ZeroDuration()) {
    ReadCheckpoint();
    poller_ = std::thread([this] { PollCheckpoints(); });
  }
}

VerifiedCache::~VerifiedCache() {
  stop_.Notify();
  if (poller_.joinable()) poller_.join();
}

void VerifiedCache::ReadCheckpoint() {
  absl::StatusOr<v1::SignedCheckpoint> latest = registry_->GetCheckpoint(0);
  v1::Checkpoint checkpoint;
  // Unverified, and only a key: the answers themselves were verified.
  if (latest.ok() && checkpoint.ParseFromString(latest->checkpoint())) {
    tree_size_.store(checkpoint.tree_size());
  } else {
    tree_size_.store(0);  // unknown: nothing is served from the cache
  }
}

void VerifiedCache::PollCheckpoints() {
  while (!stop_.WaitForNotificationWithTimeout(options_.checkpoint_poll)) {
    ReadCheckpoint();
  }
}

std::shared_ptr<const VerifiedCertificate> VerifiedCache::Lookup(
    const v1::Claim& claim, bool full) {
  const uint64_t tree_size = tree_size_.load();
  const absl::Time now = options_.now();
  if (options_.max_age <= absl::ZeroDuration() || tree_size == 0) {
    return std::make_shared<const VerifiedCertificate>(
        verifier_->Lookup(claim, full));
  }
  const absl::CivilDay day =
      claim.has_as_of() ? ToCivilDay(claim.as_of()) : TodayInChina(now);
  const std::string key =
      absl::StrCat(claim.certificate_number(), "|", absl::FormatCivilTime(day),
                   "|", full ? 1 : 0, "|", claim.has_as_of() ? 1 : 0);
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() &&
        it->second.answer->verification.checkpoint_tree_size() >= tree_size &&
        now - it->second.stored <= options_.max_age) {
      return it->second.answer;
    }
  }
  auto answer = std::make_shared<const VerifiedCertificate>(
      verifier_->Lookup(claim, full));
  if (!answer->view.has_value()) return answer;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= options_.max_entries) {
    // Drop the older half (by the time each was stored).
    std::vector<absl::Time> times;
    times.reserve(entries_.size());
    for (const auto& [k, entry] : entries_) times.push_back(entry.stored);
    std::nth_element(times.begin(), times.begin() + times.size() / 2,
                     times.end());
    const absl::Time cut = times[times.size() / 2];
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.stored <= cut) {
        entries_.erase(it++);
      } else {
        ++it;
      }
    }
  }
  entries_[key] = Entry{answer, now};
  return answer;
}

size_t VerifiedCache::entries() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace certreg
