#ifndef CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_
#define CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "verifier/base/api_keys.h"
#include "verifier/base/rate_limiter.h"
#include "verifier/grpc/delayed_answers.h"

namespace certreg {

// What a call costs: each class has its own budget per client, so a flood of
// lookups cannot spend a client's (or anyone's) writes.
enum class CallClass { kLookup, kSearch, kVerify, kStream, kWrite };

struct QuotaOptions {
  // For clients without an API key. 0: unlimited.
  QuotaRates rates = {200, 20, 100, 5, 100};
  // Reads (lookups, searches, verification, stream openings) running at
  // once, every client together; more are refused at once, so reads cannot
  // take every core from writers. One class of read may take half of them
  // at most, so a flood of searches leaves lookups room. Writes never
  // count. 0: no cap.
  int max_concurrent_reads = 0;
  // Clients on this machine (loopback, unix sockets) are metered too; by
  // default they are not.
  bool meter_local_clients = false;
  // API keys with their own rates (see LoadApiKeys); empty: none.
  std::string api_keys_file;
};

// The caps on reads in progress: `max` in all, half of it for one class of
// read. Thread-safe.
class ReadCaps {
 public:
  // A read in progress: hold it while the call's work runs. It counts in
  // the reads of its class and in all reads.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(std::atomic<int>* of_class, std::atomic<int>* all)
        : of_class_(of_class), all_(all) {}
    Ticket(Ticket&& other)
        : of_class_(std::exchange(other.of_class_, nullptr)),
          all_(std::exchange(other.all_, nullptr)) {}
    Ticket& operator=(Ticket&& other) {
      Release();
      of_class_ = std::exchange(other.of_class_, nullptr);
      all_ = std::exchange(other.all_, nullptr);
      return *this;
    }
    ~Ticket() { Release(); }

   private:
    void Release() {
      for (std::atomic<int>* count : {of_class_, all_}) {
        if (count != nullptr) count->fetch_sub(1, std::memory_order_relaxed);
      }
      of_class_ = all_ = nullptr;
    }
    std::atomic<int>* of_class_ = nullptr;
    std::atomic<int>* all_ = nullptr;
  };

  // 0: no cap.
  explicit ReadCaps(int max) : max_(max), max_of_class_(std::max(1, max / 2)) {}

  // A ticket for a read of `call_class`, or what it would exceed ("the
  // server's cap of 8 search calls at once").
  std::variant<Ticket, std::string> Enter(CallClass call_class);

 private:
  const int max_;
  const int max_of_class_;
  std::atomic<int> all_{0};
  std::atomic<int> of_class_[static_cast<int>(CallClass::kWrite)] = {};
};

// Meters gRPC calls by client and class and caps concurrent reads;
// refusals are RESOURCE_EXHAUSTED saying when to retry (in the message, as
// the standard google.rpc.RetryInfo detail and as trailing metadata
// retry-after-ms), counted in certreg_quota_refused_total.
// Thread-safe.
class CallQuota {
 public:
  using Ticket = ReadCaps::Ticket;

  // INVALID_ARGUMENT for a negative rate or a bad API keys file. `metrics`
  // (may be null) gets the refusal counter and must outlive this.
  static absl::StatusOr<std::unique_ptr<CallQuota>> Create(
      const QuotaOptions& options, prometheus::Registry* metrics);

  // Admits a call of `call_class` costing `cost` tokens (a batch: one per
  // item; one beyond the client's burst is admitted when its budget is full
  // and leaves it in debt). UNAUTHENTICATED for an API key that is not
  // configured.
  absl::StatusOr<Ticket> Admit(grpc::ServerContextBase& context,
                               CallClass call_class, int cost = 1);

  // Finishes a unary call Admit refused: a quota refusal after the time it
  // says to wait, but at least 100 ms (times 1 to 2 at random) and at most
  // a second (see DelayedAnswers), anything else at once.
  void AnswerRefusal(grpc::ServerUnaryReactor* reactor,
                     const absl::Status& refusal);

  // The name of the API key `context`'s client sent, for the access log;
  // empty when it sent none or an unknown one.
  std::string KeyName(const grpc::ServerContextBase& context) const;

  // Answers every refusal still waiting (before the server stops).
  void FinishWaiting() { delayed_.FinishAll(); }

 private:
  CallQuota(const QuotaOptions& options,
            absl::flat_hash_map<std::string, ApiKey> keys,
            prometheus::Registry* metrics);
  absl::Status Refuse(grpc::ServerContextBase& context, CallClass call_class,
                      const std::string& client, absl::string_view reason,
                      absl::Duration retry_after);

  const QuotaOptions options_;
  const absl::flat_hash_map<std::string, ApiKey> keys_;  // by key hash
  RateLimiter limiter_;
  ReadCaps reads_;
  prometheus::Family<prometheus::Counter>* refused_ = nullptr;
  DelayedAnswers delayed_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_
