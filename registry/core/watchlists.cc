#include "registry/core/watchlists.h"

#include <algorithm>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

// The end (exclusive) of the keys that start with `prefix` + \0.
std::string DeliveriesEnd(absl::string_view id) {
  return absl::StrCat(id, std::string(1, '\1'));
}

// No limit on a scan (the columns scanned whole are small).
constexpr size_t kMaxScan = ~size_t{0};

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || absl::StartsWith(host, "127.") ||
         host == "[::1]";
}

template <typename Message>
absl::StatusOr<Message> ParseValue(absl::string_view bytes,
                                   absl::string_view what) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat(what, ": does not parse"));
  }
  return message;
}

}  // namespace

std::string DeliveryPrefix(absl::string_view watchlist_id) {
  return absl::StrCat(watchlist_id, std::string(1, '\0'));
}

std::string DeliveryKey(absl::string_view watchlist_id, uint64_t sequence) {
  return absl::StrCat(DeliveryPrefix(watchlist_id), EncodeUint64(sequence));
}

absl::Status ValidateCallbackUrl(absl::string_view url, bool allow_http) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("watchlist.callback_url: ", why));
  };
  if (url.size() > 2048) return bad("longer than 2,048 characters");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return bad("contains spaces or control characters");
    }
  }
  absl::string_view rest = url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  if (!https && !absl::ConsumePrefix(&rest, "http://")) {
    return bad("must start with https:// (or http:// to this machine)");
  }
  absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != absl::string_view::npos) {
    authority = authority.substr(at + 1);  // user:password@ is not the host
  }
  const std::string host =
      absl::AsciiStrToLower(absl::StartsWith(authority, "[")
                                ? authority.substr(0, authority.find(']') + 1)
                                : authority.substr(0, authority.find(':')));
  if (host.empty()) return bad("names no host");
  if (!https && !allow_http && !IsLoopbackHost(host)) {
    return bad(absl::StrCat("plain http is allowed only to this machine, not ",
                            host, " (use https)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::WatchlistRecord> Watchlists::Owned(
    const std::string& owner, const std::string& id) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> value,
                           store_.Get(Column::kWatchlists, id));
  if (value.has_value()) {
    CERTREG_ASSIGN_OR_RETURN(
        v1::WatchlistRecord record,
        ParseValue<v1::WatchlistRecord>(*value, "watchlist record"));
    if (record.watchlist().owner() == owner) return record;
  }
  return absl::NotFoundError(
      absl::StrCat("id: this API key has no watchlist \"",
                   absl::string_view(id).substr(0, 64), "\""));
}

absl::StatusOr<std::vector<v1::WatchlistRecord>> Watchlists::AllRecords()
    const {
  std::vector<v1::WatchlistRecord> records;
  CERTREG_ASSIGN_OR_RETURN(std::vector<KeyValue> rows,
                           store_.Scan(Column::kWatchlists, "", "", kMaxScan));
  for (const KeyValue& row : rows) {
    CERTREG_ASSIGN_OR_RETURN(
        records.emplace_back(),
        ParseValue<v1::WatchlistRecord>(row.second, "watchlist record"));
  }
  return records;
}

absl::StatusOr<v1::Watchlist> Watchlists::Create(const std::string& owner,
                                                 v1::Watchlist watchlist) {
  CERTREG_ASSIGN_OR_RETURN(WatchMatcher matcher,
                           WatchMatcher::New(watchlist.filter()));
  CERTREG_RETURN_IF_ERROR(
      ValidateCallbackUrl(watchlist.callback_url(), limits_.allow_http));
  absl::MutexLock lock(&mu_);
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::Watchlist> owned, List(owner));
  if (static_cast<int>(owned.size()) >= limits_.max_per_owner) {
    return absl::ResourceExhaustedError(
        absl::StrCat("watchlists: this API key holds ", owned.size(),
                     ", the most allowed; delete one first"));
  }
  v1::WatchCursor position;
  CERTREG_RETURN_IF_ERROR(feed_.Start(matcher, 0, position).status());
  absl::BitGen random;
  watchlist.set_id(absl::StrCat(
      "wl-",
      absl::BytesToHexString(absl::StrCat(absl::Uniform<uint64_t>(random),
                                          absl::Uniform<uint64_t>(random)))
          .substr(0, 20)));
  watchlist.set_owner(owner);
  watchlist.set_created_unix_millis(absl::ToUnixMillis(now_()));
  v1::WatchlistRecord record;
  *record.mutable_watchlist() = watchlist;
  record.set_cursor(ChangeFeed::EncodeCursor(position));
  WriteBatch batch;
  batch.Put(Column::kWatchlists, watchlist.id(), record.SerializeAsString());
  CERTREG_RETURN_IF_ERROR(store_.Write(batch));
  return watchlist;
}

absl::StatusOr<std::vector<v1::Watchlist>> Watchlists::List(
    const std::string& owner) const {
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::WatchlistRecord> records,
                           AllRecords());
  std::vector<v1::Watchlist> owned;
  for (v1::WatchlistRecord& record : records) {
    if (record.watchlist().owner() == owner) {
      owned.push_back(std::move(*record.mutable_watchlist()));
    }
  }
  return owned;
}

absl::Status Watchlists::Delete(const std::string& owner,
                                const std::string& id) {
  absl::MutexLock lock(&mu_);
  CERTREG_RETURN_IF_ERROR(Owned(owner, id).status());
  WriteBatch batch;
  batch.Delete(Column::kWatchlists, id);
  CERTREG_ASSIGN_OR_RETURN(std::vector<KeyValue> deliveries,
                           store_.Scan(Column::kDeliveries, DeliveryPrefix(id),
                                       DeliveriesEnd(id), kMaxScan));
  for (const KeyValue& row : deliveries) {
    batch.Delete(Column::kDeliveries, row.first);
  }
  return store_.Write(batch);
}

absl::StatusOr<std::vector<v1::WebhookDelivery>> Watchlists::Deliveries(
    const std::string& owner, const std::string& watchlist_id,
    v1::DeliveryState state, size_t limit) const {
  CERTREG_RETURN_IF_ERROR(Owned(owner, watchlist_id).status());
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<KeyValue> rows,
      store_.Scan(Column::kDeliveries, DeliveryPrefix(watchlist_id),
                  DeliveriesEnd(watchlist_id), kMaxScan));
  std::vector<v1::WebhookDelivery> deliveries;
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
    if (deliveries.size() >= limit) break;
    CERTREG_ASSIGN_OR_RETURN(
        v1::WebhookDelivery delivery,
        ParseValue<v1::WebhookDelivery>(row->second, "delivery"));
    if (state != v1::DELIVERY_STATE_UNSPECIFIED && delivery.state() != state) {
      continue;
    }
    deliveries.push_back(std::move(delivery));
  }
  return deliveries;
}

absl::StatusOr<v1::WebhookDelivery> Watchlists::Replay(
    const std::string& owner, const std::string& watchlist_id,
    const std::string& delivery_id) {
  absl::MutexLock lock(&mu_);
  CERTREG_ASSIGN_OR_RETURN(v1::WatchlistRecord record,
                           Owned(owner, watchlist_id));
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<v1::WebhookDelivery> all,
      Deliveries(owner, watchlist_id, v1::DELIVERY_STATE_UNSPECIFIED, 1 << 30));
  for (const v1::WebhookDelivery& delivery : all) {
    if (delivery.id() != delivery_id) continue;
    if (delivery.state() == v1::DELIVERY_STATE_PENDING) {
      return absl::FailedPreconditionError(
          "delivery_id: it is still pending; it will be sent");
    }
    v1::WebhookDelivery again;
    again.set_id(delivery.id());
    again.set_watchlist_id(watchlist_id);
    *again.mutable_change() = delivery.change();
    again.set_state(v1::DELIVERY_STATE_PENDING);
    again.set_next_attempt_unix_millis(absl::ToUnixMillis(now_()));
    again.set_sequence(record.next_sequence());
    record.set_next_sequence(record.next_sequence() + 1);
    WriteBatch batch;
    batch.Put(Column::kDeliveries, DeliveryKey(watchlist_id, again.sequence()),
              again.SerializeAsString());
    batch.Put(Column::kWatchlists, watchlist_id, record.SerializeAsString());
    CERTREG_RETURN_IF_ERROR(store_.Write(batch));
    return again;
  }
  return absl::NotFoundError(absl::StrCat(
      "delivery_id: no delivery \"",
      absl::string_view(delivery_id).substr(0, 80), "\" in this watchlist"));
}

absl::StatusOr<int> Watchlists::QueueChanges(size_t max) {
  absl::MutexLock lock(&mu_);
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::WatchlistRecord> records,
                           AllRecords());
  if (records.empty()) return 0;
  // One checkpoint for every watchlist of the pass.
  CERTREG_ASSIGN_OR_RETURN(const v1::SignedCheckpoint checkpoint,
                           feed_.LatestCheckpoint());
  // Every watchlist's new changes from one read of the log.
  std::vector<WatchMatcher> matchers;
  matchers.reserve(records.size());
  std::vector<ChangeFeed::Watch> watches(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    CERTREG_ASSIGN_OR_RETURN(
        WatchMatcher matcher,
        WatchMatcher::New(records[i].watchlist().filter()));
    matchers.push_back(std::move(matcher));
    CERTREG_ASSIGN_OR_RETURN(watches[i].position,
                             ChangeFeed::DecodeCursor(records[i].cursor()));
  }
  for (size_t i = 0; i < records.size(); ++i) {
    watches[i].matcher = &matchers[i];
  }
  CERTREG_RETURN_IF_ERROR(feed_.NextForEach(watches, checkpoint, max));
  // One synced batch for the pass: the deliveries with their watchlists'
  // cursors (a crash loses the pass, which the next one queues again with
  // the same ids).
  int queued = 0;
  WriteBatch batch;
  for (size_t i = 0; i < records.size(); ++i) {
    v1::WatchlistRecord& record = records[i];
    const v1::Watchlist& watchlist = record.watchlist();
    const std::string cursor = ChangeFeed::EncodeCursor(watches[i].position);
    if (cursor == record.cursor()) continue;
    for (v1::CertificateChange& change : watches[i].changes) {
      v1::WebhookDelivery delivery;
      delivery.set_id(absl::BytesToHexString(
          Sha256({watchlist.id(), std::string(1, '\0'), change.cursor()})
              .substr(0, 16)));
      delivery.set_watchlist_id(watchlist.id());
      delivery.set_state(v1::DELIVERY_STATE_PENDING);
      delivery.set_next_attempt_unix_millis(absl::ToUnixMillis(now_()));
      delivery.set_sequence(record.next_sequence());
      *delivery.mutable_change() = std::move(change);
      record.set_next_sequence(record.next_sequence() + 1);
      batch.Put(Column::kDeliveries,
                DeliveryKey(watchlist.id(), delivery.sequence()),
                delivery.SerializeAsString());
      ++queued;
    }
    record.set_cursor(cursor);
    batch.Put(Column::kWatchlists, watchlist.id(), record.SerializeAsString());
  }
  if (!batch.empty()) CERTREG_RETURN_IF_ERROR(store_.Write(batch));
  return queued;
}

absl::StatusOr<std::optional<Watchlists::Due>> Watchlists::HeadIfDue(
    const v1::WatchlistRecord& record, absl::Time now) const {
  const std::string& id = record.watchlist().id();
  std::unique_ptr<Cursor> cursor =
      store_.NewCursor(Column::kDeliveries, DeliveriesEnd(id));
  CERTREG_ASSIGN_OR_RETURN(
      bool valid, cursor->Seek(DeliveryKey(id, record.head_sequence())));
  for (; valid;) {
    CERTREG_ASSIGN_OR_RETURN(
        v1::WebhookDelivery delivery,
        ParseValue<v1::WebhookDelivery>(cursor->value(), "delivery"));
    if (delivery.state() == v1::DELIVERY_STATE_PENDING) {
      // In order: nothing after the head goes first.
      if (absl::FromUnixMillis(delivery.next_attempt_unix_millis()) > now) {
        return std::nullopt;
      }
      return Due{std::move(delivery), record.watchlist().callback_url()};
    }
    CERTREG_ASSIGN_OR_RETURN(valid, cursor->Next());
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<Watchlists::Due>> Watchlists::DueDeliveries(
    absl::Time now) const {
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::WatchlistRecord> records,
                           AllRecords());
  std::vector<Due> due;
  for (const v1::WatchlistRecord& record : records) {
    CERTREG_ASSIGN_OR_RETURN(std::optional<Due> head, HeadIfDue(record, now));
    if (head.has_value()) due.push_back(*std::move(head));
  }
  return due;
}

absl::StatusOr<std::optional<Watchlists::Due>> Watchlists::NextDue(
    const std::string& watchlist_id, absl::Time now) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> value,
                           store_.Get(Column::kWatchlists, watchlist_id));
  if (!value.has_value()) return std::nullopt;  // deleted meanwhile
  CERTREG_ASSIGN_OR_RETURN(
      v1::WatchlistRecord record,
      ParseValue<v1::WatchlistRecord>(*value, "watchlist record"));
  return HeadIfDue(record, now);
}

absl::Status Watchlists::Record(const v1::WebhookDelivery& delivery) {
  absl::MutexLock lock(&mu_);
  CERTREG_ASSIGN_OR_RETURN(
      std::optional<std::string> value,
      store_.Get(Column::kWatchlists, delivery.watchlist_id()));
  if (!value.has_value()) return absl::OkStatus();  // deleted meanwhile
  CERTREG_ASSIGN_OR_RETURN(
      v1::WatchlistRecord record,
      ParseValue<v1::WatchlistRecord>(*value, "watchlist record"));
  WriteBatch batch;
  batch.Put(Column::kDeliveries,
            DeliveryKey(delivery.watchlist_id(), delivery.sequence()),
            delivery.SerializeAsString());
  if (delivery.state() != v1::DELIVERY_STATE_PENDING &&
      delivery.sequence() >= record.head_sequence()) {
    record.set_head_sequence(delivery.sequence() + 1);
    batch.Put(Column::kWatchlists, delivery.watchlist_id(),
              record.SerializeAsString());
  }
  return store_.Write(batch);
}

}  // namespace certreg
