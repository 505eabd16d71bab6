#ifndef CERTREG_REGISTRY_CORE_CHANGE_FEED_H_
#define CERTREG_REGISTRY_CORE_CHANGE_FEED_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/certificate_reader.h"
#include "registry/core/certificate_search.h"
#include "registry/core/public_log.h"
#include "registry/core/published_rules.h"

namespace certreg {

// Wakes the watchers when something new may be there: a durable statement,
// a day's date-driven changes. Thread-safe.
class ChangeNotifier {
 public:
  void Notify() ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t generation() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until the generation differs from `seen` or `deadline` passes;
  // returns the generation.
  uint64_t WaitBeyond(uint64_t seen, absl::Time deadline) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

// A watch's filter, resolved where a certificate's record must be read.
class WatchMatcher {
 public:
  // INVALID_ARGUMENT naming the field for an empty filter, more than
  // kMaxWatchTerms terms or an empty term.
  static absl::StatusOr<WatchMatcher> New(const v1::WatchFilter& filter);
  // Whether the certificate with this number, holder credit code and body
  // is watched.
  bool Matches(const v1::Certificate& certificate) const;
  const v1::WatchFilter& filter() const { return filter_; }

 private:
  explicit WatchMatcher(v1::WatchFilter filter);
  v1::WatchFilter filter_;
  absl::flat_hash_set<std::string> numbers_, credit_codes_, bodies_;
};

inline constexpr int kMaxWatchTerms = 1000;

// The changes a watcher is told of, read from what is durable: each
// certificate statement of the log once a signed checkpoint covers it, and
// each date-driven status change from the status calendar once its day's
// pass ran (status_calendar.h). Positions are WatchCursor messages; a watch
// resumed from one misses nothing and repeats nothing. Pull only: a
// watcher's backlog stays in the store, never in memory. Thread-safe.
class ChangeFeed {
 public:
  ChangeFeed(PublicLog* log, const CertificateReader* reader,
             const CertificateSearch* search, const RulesInForce* rules,
             DurableViewSource durable, std::function<absl::Time()> now)
      : log_(*log),
        reader_(*reader),
        search_(*search),
        rules_(*rules),
        durable_(std::move(durable)),
        now_(std::move(now)) {}

  // Where a new watch starts (after everything signed so far and today's
  // changes), and a CURRENT_STATE message for each matched certificate
  // (at most `limit`), each carrying that start as its cursor.
  absl::StatusOr<std::vector<v1::CertificateChange>> Start(
      const WatchMatcher& matcher, size_t limit, v1::WatchCursor& position);

  // Up to `max` changes after `position`, in order (statements in log
  // order, then date-driven changes day by day), each with the cursor
  // that resumes right after it; `position` moves past them. Empty when
  // nothing new is there yet.
  // `checkpoint`, when given, is the latest signed checkpoint (one read for
  // many watches at once); otherwise it is published if need be.
  absl::StatusOr<std::vector<v1::CertificateChange>> Next(
      const WatchMatcher& matcher, v1::WatchCursor& position, size_t max,
      const v1::SignedCheckpoint* checkpoint = nullptr);
  // One watch of NextForEach: its filter, its position (moved past what
  // it is given) and the changes found for it.
  struct Watch {
    const WatchMatcher* matcher = nullptr;
    v1::WatchCursor position;
    std::vector<v1::CertificateChange> changes;
  };
  // Next for many watches at once (a dispatcher's watchlists): the log is
  // read once, from the watch furthest behind, and each entry matched
  // against every watch; up to `max` changes each.
  absl::Status NextForEach(std::vector<Watch>& watches,
                           const v1::SignedCheckpoint& checkpoint, size_t max);

  // The latest signed checkpoint, published now if it does not cover every
  // durable statement.
  absl::StatusOr<v1::SignedCheckpoint> LatestCheckpoint() {
    return log_.PublishCheckpoint();
  }

  static std::string EncodeCursor(const v1::WatchCursor& position);
  // INVALID_ARGUMENT "cursor: ..." when it is not one of ours.
  static absl::StatusOr<v1::WatchCursor> DecodeCursor(absl::string_view text);

 private:
  absl::Status AddStatements(std::vector<Watch>& watches,
                             const v1::SignedCheckpoint& checkpoint,
                             size_t max);
  absl::Status AddStatusChanges(const WatchMatcher& matcher,
                                v1::WatchCursor& position, size_t max,
                                std::vector<v1::CertificateChange>& changes);

  PublicLog& log_;
  const CertificateReader& reader_;
  const CertificateSearch& search_;
  const RulesInForce& rules_;
  const DurableViewSource durable_;
  const std::function<absl::Time()> now_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_CHANGE_FEED_H_
