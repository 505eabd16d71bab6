#include "verifier/grpc/delayed_answers.h"

#include <algorithm>
#include <vector>

#include "absl/time/clock.h"

namespace certreg {

DelayedAnswers::DelayedAnswers(size_t max_waiting)
    : max_waiting_(max_waiting), thread_([this] { Run(); }) {}

DelayedAnswers::~DelayedAnswers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  FinishAll();
}

void DelayedAnswers::Finish(grpc::ServerUnaryReactor* reactor,
                            grpc::Status status, absl::Duration delay) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_ && waiting_.size() < max_waiting_ &&
        delay > absl::ZeroDuration()) {
      waiting_.emplace(absl::Now() + std::min(delay, absl::Seconds(1)),
                       std::make_pair(reactor, std::move(status)));
      return;
    }
  }
  reactor->Finish(status);
}

void DelayedAnswers::FinishAll() {
  decltype(waiting_) all;
  {
    absl::MutexLock lock(&mu_);
    all.swap(waiting_);
  }
  for (auto& [when, answer] : all) answer.first->Finish(answer.second);
}

void DelayedAnswers::Run() {
  while (true) {
    std::vector<std::pair<grpc::ServerUnaryReactor*, grpc::Status>> due;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      const absl::Time next = waiting_.empty() ? absl::Now() + absl::Seconds(1)
                                               : waiting_.begin()->first;
      // Woken early by a stop or by an answer due before `next`.
      auto changed = [this, next] {
        mu_.AssertReaderHeld();
        return stopping_ ||
               (!waiting_.empty() && waiting_.begin()->first < next);
      };
      mu_.AwaitWithDeadline(absl::Condition(&changed), next);
      const absl::Time now = absl::Now();
      while (!waiting_.empty() && waiting_.begin()->first <= now) {
        due.push_back(std::move(waiting_.begin()->second));
        waiting_.erase(waiting_.begin());
      }
    }
    for (auto& [reactor, status] : due) reactor->Finish(status);
  }
}

}  // namespace certreg
