#ifndef CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_
#define CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_

#include <atomic>
#include <memory>
#include <string>

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
  // Reads (lookups, searches, verification) running at once, every client
  // together; more are refused at once, so reads cannot take every core
  // from writers. Writes never count. 0: no cap.
  int max_concurrent_reads = 0;
  // Clients on this machine (loopback, unix sockets) are metered too; by
  // default they are not.
  bool meter_local_clients = false;
  // API keys with their own rates (see LoadApiKeys); empty: none.
  std::string api_keys_file;
};

// Meters gRPC calls by client and class and caps concurrent reads;
// refusals are RESOURCE_EXHAUSTED saying when to retry (in the message, as
// the standard google.rpc.RetryInfo detail and as trailing metadata
// retry-after-ms), counted in certreg_quota_refused_total.
// Thread-safe.
class CallQuota {
 public:
  // A read in progress: hold it while the call's work runs.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(std::atomic<int>* reads) : reads_(reads) {}
    Ticket(Ticket&& other) : reads_(std::exchange(other.reads_, nullptr)) {}
    Ticket& operator=(Ticket&& other) {
      Release();
      reads_ = std::exchange(other.reads_, nullptr);
      return *this;
    }
    ~Ticket() { Release(); }

   private:
    void Release() {
      if (reads_ != nullptr) reads_->fetch_sub(1, std::memory_order_relaxed);
      reads_ = nullptr;
    }
    std::atomic<int>* reads_ = nullptr;
  };

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
  std::atomic<int> reads_{0};
  prometheus::Family<prometheus::Counter>* refused_ = nullptr;
  DelayedAnswers delayed_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CALL_QUOTA_H_
