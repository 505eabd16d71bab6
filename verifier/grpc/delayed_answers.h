#ifndef CERTREG_VERIFIER_GRPC_DELAYED_ANSWERS_H_
#define CERTREG_VERIFIER_GRPC_DELAYED_ANSWERS_H_

#include <cstddef>
#include <map>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace certreg {

// Refusals answered after a delay, without holding a thread: a client that
// floods in a closed loop then waits between its calls as long as its quota
// says, instead of spending the server's cores on one refusal after another
// (nginx's limit_req "delay", a tarpit). Thread-safe.
class DelayedAnswers {
 public:
  // At most `max_waiting` calls wait; more are answered at once.
  explicit DelayedAnswers(size_t max_waiting = 10000);
  // Answers every waiting call.
  ~DelayedAnswers();

  DelayedAnswers(const DelayedAnswers&) = delete;
  DelayedAnswers& operator=(const DelayedAnswers&) = delete;

  // Finishes `reactor` with `status` once `delay` (at most a second) has
  // passed.
  void Finish(grpc::ServerUnaryReactor* reactor, grpc::Status status,
              absl::Duration delay);

  // Answers every waiting call now (before the server stops).
  void FinishAll();

 private:
  void Run();

  const size_t max_waiting_;
  absl::Mutex mu_;
  std::multimap<absl::Time, std::pair<grpc::ServerUnaryReactor*, grpc::Status>>
      waiting_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_DELAYED_ANSWERS_H_
