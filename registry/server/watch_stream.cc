#include "registry/server/watch_stream.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "registry/server/threaded_write_reactor.h"

namespace certreg {
namespace {

// Messages read from the feed at a time.
constexpr size_t kChangesPerRead = 64;
// Current-state messages a new watch starts with, at most.
constexpr size_t kMaxCurrentStates = 10000;

class WatchStream final : public ThreadedWriteReactor<v1::CertificateChange> {
 public:
  WatchStream(Registry* registry, grpc::CallbackServerContext* context,
              v1::WatchCertificatesRequest request, const StreamLimits& limits)
      : ThreadedWriteReactor(context),
        registry_(*registry),
        request_(std::move(request)),
        write_timeout_(limits.watch_write_timeout),
        ends_(limits.max_age > absl::ZeroDuration()
                  ? absl::Now() + limits.max_age
                  : absl::InfiniteFuture()),
        max_age_(limits.max_age) {}

 private:
  absl::Status Serve() override;
  // Sends one change; false when the watcher left; RESOURCE_EXHAUSTED when
  // it has not read it for write_timeout_.
  absl::StatusOr<bool> Send(const v1::CertificateChange& change) {
    absl::StatusOr<bool> sent =
        ThreadedWriteReactor::Send(change, write_timeout_);
    if (absl::IsResourceExhausted(sent.status())) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the watcher did not read for ", absl::FormatDuration(write_timeout_),
          "; reconnect with the last cursor received"));
    }
    return sent;
  }

  Registry& registry_;
  const v1::WatchCertificatesRequest request_;
  const absl::Duration write_timeout_;
  const absl::Time ends_;  // limits.max_age after the start
  const absl::Duration max_age_;
};

absl::Status WatchStream::Serve() {
  absl::StatusOr<WatchMatcher> matcher = WatchMatcher::New(request_.filter());
  if (!matcher.ok()) return matcher.status();
  if (request_.heartbeat_seconds() > 300) {
    return absl::InvalidArgumentError("heartbeat_seconds: at most 300");
  }
  const absl::Duration heartbeat = absl::Seconds(
      request_.heartbeat_seconds() == 0 ? 30 : request_.heartbeat_seconds());
  ChangeFeed& feed = registry_.change_feed();
  const ChangeNotifier& notifier = registry_.change_notifier();
  v1::WatchCursor position;
  std::vector<v1::CertificateChange> changes;
  if (request_.cursor().empty()) {
    absl::StatusOr<std::vector<v1::CertificateChange>> current = feed.Start(
        *matcher, request_.skip_current_state() ? 0 : kMaxCurrentStates,
        position);
    if (!current.ok()) return current.status();
    changes = *std::move(current);
  } else {
    absl::StatusOr<v1::WatchCursor> resumed =
        ChangeFeed::DecodeCursor(request_.cursor());
    if (!resumed.ok()) return resumed.status();
    position = *std::move(resumed);
  }
  absl::Time last_sent = absl::Now();
  for (;;) {
    for (const v1::CertificateChange& change : changes) {
      absl::StatusOr<bool> sent = Send(change);
      if (!sent.ok()) return sent.status();
      if (!*sent) return absl::CancelledError("the watcher left");
      last_sent = absl::Now();
    }
    const uint64_t seen = notifier.generation();
    absl::StatusOr<std::vector<v1::CertificateChange>> next =
        feed.Next(*matcher, position, kChangesPerRead);
    if (!next.ok()) return next.status();
    changes = *std::move(next);
    if (!changes.empty()) continue;
    if (absl::Now() - last_sent >= heartbeat) {
      v1::CertificateChange beat;
      beat.set_kind(v1::CHANGE_KIND_HEARTBEAT);
      beat.set_cursor(ChangeFeed::EncodeCursor(position));
      changes.push_back(std::move(beat));
      continue;
    }
    if (Cancelled()) return absl::CancelledError("the watcher left");
    if (absl::Now() >= ends_) {
      return absl::DeadlineExceededError(
          absl::StrCat("the stream reached the server's limit of ",
                       absl::FormatDuration(max_age_),
                       "; resume with the last cursor received, ",
                       ChangeFeed::EncodeCursor(position)));
    }
    // Woken by a durable write or a new day; at least every second, to see
    // a cancellation.
    notifier.WaitBeyond(
        seen, std::min(last_sent + heartbeat, absl::Now() + absl::Seconds(1)));
  }
}

}  // namespace

grpc::ServerWriteReactor<v1::CertificateChange>* NewWatchStream(
    Registry* registry, grpc::CallbackServerContext* context,
    const v1::WatchCertificatesRequest* request, const absl::Status& refusal,
    const StreamLimits& limits) {
  auto* stream = new WatchStream(registry, context, *request, limits);
  stream->Begin(refusal);
  return stream;
}

}  // namespace certreg
