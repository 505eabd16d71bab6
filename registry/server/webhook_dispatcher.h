#ifndef CERTREG_REGISTRY_SERVER_WEBHOOK_DISPATCHER_H_
#define CERTREG_REGISTRY_SERVER_WEBHOOK_DISPATCHER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/registry.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

struct WebhookOptions {
  // A change not accepted this long after its first attempt is dead.
  absl::Duration dead_after = absl::Hours(24);
  // Retries wait first_retry, then twice as long each time, up to
  // max_retry, each times a random factor in [0.5, 1.5).
  absl::Duration first_retry = absl::Seconds(1);
  absl::Duration max_retry = absl::Minutes(10);
  // One attempt's limit, connecting included.
  absl::Duration timeout = absl::Seconds(10);
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// What the log key signs for a webhook body: the ASCII prefix
// "certreg.v1.WebhookEvent", a NUL byte, then the body.
std::string WebhookSigningInput(absl::string_view body);

// The wait before attempt `attempts` + 1 (attempts >= 1 made), before the
// random factor: first_retry * 2^(attempts - 1), at most max_retry.
absl::Duration RetryDelay(const WebhookOptions& options, uint32_t attempts);

// Sends the registry's webhook deliveries: a thread that queues each
// watchlist's new changes (Watchlists::QueueChanges) and POSTs each
// watchlist's queue head, in order, with libcurl (TLS verified against the
// system's CAs): body a WebhookEvent in the proto3 JSON mapping, headers
// Certreg-Idempotency-Key, Certreg-Signature (base64 Ed25519 by the log key
// over WebhookSigningInput(body)) and Certreg-Key-Id. A 2xx answer
// delivers; anything else is retried with backoff and jitter until
// dead_after. Every outcome is stored before the next attempt, so a crash
// repeats at most the attempt under way. Stops (and joins) on destruction.
class WebhookDispatcher {
 public:
  WebhookDispatcher(Registry* registry,
                    std::shared_ptr<const Ed25519PrivateKey> log_key,
                    WebhookOptions options);
  ~WebhookDispatcher();

 private:
  void Run();
  // One pass: queue new changes, attempt what is due.
  void Pass();
  // POSTs one delivery; returns its updated record.
  v1::WebhookDelivery Attempt(v1::WebhookDelivery delivery,
                              const std::string& callback_url);

  Registry& registry_;
  const std::shared_ptr<const Ed25519PrivateKey> log_key_;
  const WebhookOptions options_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_WEBHOOK_DISPATCHER_H_
