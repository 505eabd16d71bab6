#ifndef CERTREG_REGISTRY_CORE_WATCHLISTS_H_
#define CERTREG_REGISTRY_CORE_WATCHLISTS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/change_feed.h"
#include "registry/storage/store.h"

namespace certreg {

struct WatchlistLimits {
  // Watchlists one API key may hold.
  int max_per_owner = 100;
  // Plain-http callbacks to other machines (by default only loopback ones).
  bool allow_http = false;
};

// INVALID_ARGUMENT "watchlist.callback_url: ..." unless `url` is
// https://HOST[:PORT]/..., or http:// to this machine (127.0.0.0/8,
// localhost, [::1]) or, with `allow_http`, to any host.
absl::Status ValidateCallbackUrl(absl::string_view url, bool allow_http);

// Watchlists and their webhook deliveries, kept in the store: kWatchlists
// (the watchlist, how far its changes are queued, where its queue's head
// is) and kDeliveries (one record per change per watchlist, in order).
// A change is queued (stored, synced) before it is sent and its record
// updated after each attempt, so a crash loses none and a delivery may be
// sent twice, always under the same id (its idempotency key). Watchlists
// belong to an API key: every call names the owner, and another owner's
// watchlist is NOT_FOUND. No network here: WebhookDispatcher sends.
// Thread-safe.
class Watchlists {
 public:
  Watchlists(Store* store, ChangeFeed* feed, std::function<absl::Time()> now,
             WatchlistLimits limits)
      : store_(*store), feed_(*feed), now_(std::move(now)), limits_(limits) {}

  // Stores a new watchlist for `owner`, following changes from now on.
  // INVALID_ARGUMENT for a bad filter or callback URL; RESOURCE_EXHAUSTED
  // beyond the owner's limit.
  absl::StatusOr<v1::Watchlist> Create(const std::string& owner,
                                       v1::Watchlist watchlist)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<v1::Watchlist>> List(
      const std::string& owner) const;
  // Deletes the watchlist and its deliveries.
  absl::Status Delete(const std::string& owner, const std::string& id)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Its deliveries, latest first, of `state` (unset: any), at most `limit`.
  absl::StatusOr<std::vector<v1::WebhookDelivery>> Deliveries(
      const std::string& owner, const std::string& watchlist_id,
      v1::DeliveryState state, size_t limit) const;
  // Queues a delivery again, at the end of its watchlist's queue, with the
  // same id. FAILED_PRECONDITION while it is still pending.
  absl::StatusOr<v1::WebhookDelivery> Replay(const std::string& owner,
                                             const std::string& watchlist_id,
                                             const std::string& delivery_id)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The dispatcher's side. Queues each watchlist's new changes (at most
  // `max` each); returns how many were queued.
  absl::StatusOr<int> QueueChanges(size_t max) ABSL_LOCKS_EXCLUDED(mu_);
  // The head of each watchlist's queue when it is pending and due at
  // `now`, with the watchlist's callback URL.
  struct Due {
    v1::WebhookDelivery delivery;
    std::string callback_url;
  };
  absl::StatusOr<std::vector<Due>> DueDeliveries(absl::Time now) const;
  // The head of one watchlist's queue when it is pending and due (after a
  // delivery, the next one goes at once).
  absl::StatusOr<std::optional<Due>> NextDue(const std::string& watchlist_id,
                                             absl::Time now) const;
  // Stores an attempt's outcome; a delivery no longer pending moves its
  // watchlist's head past it.
  absl::Status Record(const v1::WebhookDelivery& delivery)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::StatusOr<v1::WatchlistRecord> Owned(const std::string& owner,
                                            const std::string& id) const;
  absl::StatusOr<std::vector<v1::WatchlistRecord>> AllRecords() const;
  absl::StatusOr<std::optional<Due>> HeadIfDue(
      const v1::WatchlistRecord& record, absl::Time now) const;

  Store& store_;
  ChangeFeed& feed_;
  const std::function<absl::Time()> now_;
  const WatchlistLimits limits_;
  // Serialises the read-modify-write of watchlist records.
  absl::Mutex mu_;
};

// kDeliveries key of a watchlist's delivery `sequence`, and the prefix of
// all of a watchlist's.
std::string DeliveryKey(absl::string_view watchlist_id, uint64_t sequence);
std::string DeliveryPrefix(absl::string_view watchlist_id);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_WATCHLISTS_H_
