#ifndef CERTREG_REGISTRY_SERVER_THREADED_WRITE_REACTOR_H_
#define CERTREG_REGISTRY_SERVER_THREADED_WRITE_REACTOR_H_

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {

// A server-streaming call served by a thread of its own, which writes one
// message at a time and waits for each to be sent: a slow client holds one
// message in memory, never a backlog. A subclass implements Serve(); its
// status ends the call. The reactor deletes itself when gRPC is done with
// it.
template <typename Message>
class ThreadedWriteReactor : public grpc::ServerWriteReactor<Message> {
 public:
  explicit ThreadedWriteReactor(grpc::CallbackServerContext* context)
      : context_(*context), shared_(std::make_shared<Shared>()) {}

  // Starts the thread (or finishes at once with `refusal`, a quota, say).
  void Begin(const absl::Status& refusal) {
    if (!refusal.ok()) {
      this->Finish(ToGrpcStatus(refusal));
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

 protected:
  // The call's work, on its thread.
  virtual absl::Status Serve() = 0;

  // Sends `message` and waits until it went out: false when the call ended
  // (cancelled, or the write failed); RESOURCE_EXHAUSTED (the call is then
  // cancelled) when the client has not read it within `timeout`.
  absl::StatusOr<bool> Send(const Message& message, absl::Duration timeout) {
    {
      absl::MutexLock lock(&shared_->mu);
      if (shared_->cancelled || shared_->write_failed) return false;
      shared_->write_pending = true;
    }
    message_ = message;
    this->StartWrite(&message_);
    absl::MutexLock lock(&shared_->mu);
    auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared_->mu) {
      return !shared_->write_pending || shared_->cancelled;
    };
    if (!shared_->mu.AwaitWithTimeout(absl::Condition(&done), timeout)) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the client did not read for ", absl::FormatDuration(timeout)));
    }
    return !shared_->cancelled && !shared_->write_failed;
  }

  // Whether the client left (or the call was cancelled).
  bool Cancelled() {
    absl::MutexLock lock(&shared_->mu);
    return shared_->cancelled;
  }

  grpc::CallbackServerContext& context() { return context_; }

 private:
  // What the thread and gRPC's callbacks share; the thread holds it beyond
  // the reactor's end.
  struct Shared {
    absl::Mutex mu;
    bool write_pending ABSL_GUARDED_BY(mu) = false;
    bool write_failed ABSL_GUARDED_BY(mu) = false;
    bool cancelled ABSL_GUARDED_BY(mu) = false;
  };

  // The thread. Its last act on the reactor is Finish, once no write is
  // outstanding (a client that stopped reading is cancelled, which ends
  // its write).
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
    this->Finish(ToGrpcStatus(ended));
  }

  grpc::CallbackServerContext& context_;
  const std::shared_ptr<Shared> shared_;
  Message message_;  // the message being written
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_THREADED_WRITE_REACTOR_H_
