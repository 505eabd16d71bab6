#ifndef CERTREG_VERIFIER_WEB_VERIFIED_CACHE_H_
#define CERTREG_VERIFIER_WEB_VERIFIED_CACHE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

struct VerifiedCacheOptions {
  // How often the registry's latest checkpoint size is read: an answer
  // verified at one checkpoint is kept until the registry publishes
  // another, so a change reaches the pages within about this long.
  absl::Duration checkpoint_poll = absl::Seconds(1);
  // An answer is never kept longer than this, whatever the checkpoint (the
  // pages' Cache-Control max-age). Zero: nothing is kept.
  absl::Duration max_age = absl::Seconds(60);
  // Answers kept at most; beyond, the oldest half is dropped.
  size_t max_entries = 100000;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// Certificates as ClaimVerifier::Lookup verified them, kept while the
// registry's checkpoint stays the same: a certificate looked up again (a
// popular QR code, a procurement system polling its bidders) is answered
// without asking the registry for its bundle or verifying anything. Only
// verified answers (with a view) are kept; an entry is keyed by number,
// date, view and the checkpoint size it was verified at, so an answer is
// never served once a newer checkpoint is known. Thread-safe.
class VerifiedCache {
 public:
  // `registry` is asked for its latest checkpoint in the background (a
  // thread started here, stopped by the destructor). Both must outlive the
  // cache.
  VerifiedCache(ClaimVerifier* verifier, RegistryClient* registry,
                VerifiedCacheOptions options);
  ~VerifiedCache();

  // The answer for `claim` (number and as_of; other claim fields are not
  // part of the key and must be empty), kept or verified now.
  std::shared_ptr<const VerifiedCertificate> Lookup(const v1::Claim& claim,
                                                    bool full);

  // The checkpoint size last read from the registry (0 before the first).
  uint64_t known_tree_size() const { return tree_size_.load(); }
  size_t entries() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Entry {
    std::shared_ptr<const VerifiedCertificate> answer;
    absl::Time stored;
  };
  void PollCheckpoints();
  void ReadCheckpoint();

  ClaimVerifier* const verifier_;
  RegistryClient* const registry_;
  const VerifiedCacheOptions options_;
  std::atomic<uint64_t> tree_size_{0};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread poller_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_VERIFIED_CACHE_H_
