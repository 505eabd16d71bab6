#include "registry/server/watch_stream.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {
namespace {

// Messages read from the feed at a time.
constexpr size_t kChangesPerRead = 64;
// Current-state messages a new watch starts with, at most.
constexpr size_t kMaxCurrentStates = 10000;

// What the stream's thread and gRPC's callbacks share. The thread holds it
// beyond the reactor's end.
struct Shared {
  absl::Mutex mu;
  bool write_pending ABSL_GUARDED_BY(mu) = false;
  bool write_failed ABSL_GUARDED_BY(mu) = false;
  bool cancelled ABSL_GUARDED_BY(mu) = false;
};

class WatchStream final
    : public grpc::ServerWriteReactor<v1::CertificateChange> {
 public:
  WatchStream(Registry* registry, grpc::CallbackServerContext* context,
              v1::WatchCertificatesRequest request,
              absl::Duration write_timeout)
      : registry_(*registry),
        context_(*context),
        request_(std::move(request)),
        write_timeout_(write_timeout),
        shared_(std::make_shared<Shared>()) {}

  // Starts the stream's thread (or finishes at once with `refusal`).
  void Begin(const absl::Status& refusal) {
    if (!refusal.ok()) {
      Finish(ToGrpcStatus(refusal));
      return;
    }
    std::thread([this, shared = shared_] { Run(); }).detach();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&shared_->mu);
    shared_->write_pending = false;
    shared_->write_failed = !ok;
  }
  void OnCancel() override {
    absl::MutexLock lock(&shared_->mu);
    shared_->cancelled = true;
  }
  void OnDone() override { delete this; }

 private:
  // The stream's thread. Its last act on the reactor is Finish, once no
  // write is outstanding (a watcher that stopped reading is cancelled, which
  // ends its write).
  void Run() {
    const absl::Status ended = Serve();
    if (absl::IsResourceExhausted(ended)) context_.TryCancel();
    {
      absl::MutexLock lock(&shared_->mu);
      auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
        return !shared_->write_pending;
      };
      shared_->mu.Await(absl::Condition(&idle));
    }
    Finish(ToGrpcStatus(ended));
  }

  absl::Status Serve();
  // Sends one message and waits until it went out; false when the stream
  // ended (cancelled, or the write failed); RESOURCE_EXHAUSTED when the
  // watcher has not read it for write_timeout_.
  absl::StatusOr<bool> Send(const v1::CertificateChange& change);
  bool Cancelled() {
    absl::MutexLock lock(&shared_->mu);
    return shared_->cancelled;
  }

  Registry& registry_;
  grpc::CallbackServerContext& context_;
  const v1::WatchCertificatesRequest request_;
  const absl::Duration write_timeout_;
  const std::shared_ptr<Shared> shared_;
  v1::CertificateChange message_;  // the message being written
};

absl::StatusOr<bool> WatchStream::Send(const v1::CertificateChange& change) {
  {
    absl::MutexLock lock(&shared_->mu);
    if (shared_->cancelled || shared_->write_failed) return false;
    shared_->write_pending = true;
  }
  message_ = change;
  StartWrite(&message_);
  absl::MutexLock lock(&shared_->mu);
  auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
    return !shared_->write_pending || shared_->cancelled;
  };
  if (!shared_->mu.AwaitWithTimeout(absl::Condition(&done), write_timeout_)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the watcher did not read for ", absl::FormatDuration(write_timeout_),
        "; reconnect with the last cursor received"));
  }
  return !shared_->cancelled && !shared_->write_failed;
}

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
    absl::Duration write_timeout) {
  auto* stream = new WatchStream(registry, context, *request, write_timeout);
  stream->Begin(refusal);
  return stream;
}

}  // namespace certreg
