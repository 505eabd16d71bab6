#include "registry/server/webhook_dispatcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace certreg {
namespace {

constexpr absl::string_view kSigningDomain{"certreg.v1.WebhookEvent\0", 24};

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t DiscardBody(char*, size_t size, size_t count, void*) {
  return size * count;
}

// POSTs `body` with `headers`; the HTTP status, or why there is none.
absl::StatusOr<long> Post(const std::string& url, const std::string& body,
                          const std::vector<std::string>& headers,
                          absl::Duration timeout) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("libcurl could not start");
  std::unique_ptr<curl_slist, SlistFree> list;
  for (const std::string& header : headers) {
    list.reset(curl_slist_append(list.release(), header.c_str()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, DiscardBody);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "certreg-webhooks/1");
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    return absl::UnavailableError(curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

}  // namespace

std::string WebhookSigningInput(absl::string_view body) {
  return absl::StrCat(kSigningDomain, body);
}

absl::Duration RetryDelay(const WebhookOptions& options, uint32_t attempts) {
  absl::Duration delay = options.first_retry;
  for (uint32_t i = 1; i < attempts && delay < options.max_retry; ++i) {
    delay *= 2;
  }
  return std::min(delay, options.max_retry);
}

WebhookDispatcher::WebhookDispatcher(
    Registry* registry, std::shared_ptr<const Ed25519PrivateKey> log_key,
    WebhookOptions options)
    : registry_(*registry),
      log_key_(std::move(log_key)),
      options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::thread([this] { Run(); });
}

WebhookDispatcher::~WebhookDispatcher() {
  stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void WebhookDispatcher::Run() {
  const ChangeNotifier& notifier = registry_.change_notifier();
  uint64_t seen = notifier.generation();
  while (!stop_.HasBeenNotified()) {
    Pass();
    // Woken by a new change; at least every 200 ms, for retries that are due.
    seen = notifier.WaitBeyond(seen, absl::Now() + absl::Milliseconds(200));
  }
}

void WebhookDispatcher::Pass() {
  Watchlists& watchlists = registry_.watchlists();
  if (absl::StatusOr<int> queued = watchlists.QueueChanges(100); !queued.ok()) {
    std::cerr << "certreg-registry: webhooks: cannot queue changes: "
              << queued.status().message() << std::endl;
    return;
  }
  absl::StatusOr<std::vector<Watchlists::Due>> due =
      watchlists.DueDeliveries(options_.now());
  if (!due.ok()) {
    std::cerr << "certreg-registry: webhooks: " << due.status().message()
              << std::endl;
    return;
  }
  for (Watchlists::Due& first : *due) {
    // A watchlist's queue drains while its receiver accepts (up to 100 a
    // pass, so that the others get their turn).
    std::optional<Watchlists::Due> next = std::move(first);
    for (int sent = 0; next.has_value() && sent < 100; ++sent) {
      if (stop_.HasBeenNotified()) return;
      const std::string watchlist_id = next->delivery.watchlist_id();
      v1::WebhookDelivery done =
          Attempt(std::move(next->delivery), next->callback_url);
      if (absl::Status recorded = watchlists.Record(done); !recorded.ok()) {
        std::cerr << "certreg-registry: webhooks: cannot record a delivery: "
                  << recorded.message() << std::endl;
        break;
      }
      if (done.state() != v1::DELIVERY_STATE_DELIVERED) break;
      absl::StatusOr<std::optional<Watchlists::Due>> following =
          watchlists.NextDue(watchlist_id, options_.now());
      if (!following.ok()) break;
      next = *std::move(following);
    }
  }
}

v1::WebhookDelivery WebhookDispatcher::Attempt(
    v1::WebhookDelivery delivery, const std::string& callback_url) {
  const absl::Time now = options_.now();
  if (delivery.attempts() == 0) {
    delivery.set_first_attempt_unix_millis(absl::ToUnixMillis(now));
  }
  delivery.set_attempts(delivery.attempts() + 1);
  v1::WebhookEvent event;
  event.set_delivery_id(delivery.id());
  event.set_watchlist_id(delivery.watchlist_id());
  *event.mutable_change() = delivery.change();
  std::string body;
  (void)google::protobuf::util::MessageToJsonString(event, &body);
  absl::StatusOr<std::string> signature =
      log_key_->Sign(WebhookSigningInput(body));
  absl::StatusOr<long> status =
      signature.ok()
          ? Post(callback_url, body,
                 {"Content-Type: application/json",
                  absl::StrCat("Certreg-Idempotency-Key: ", delivery.id()),
                  absl::StrCat("Certreg-Signature: ",
                               absl::Base64Escape(*signature)),
                  absl::StrCat("Certreg-Key-Id: ",
                               absl::BytesToHexString(log_key_->key_id()))},
                 options_.timeout)
          : absl::StatusOr<long>(signature.status());
  if (status.ok() && *status >= 200 && *status < 300) {
    delivery.set_state(v1::DELIVERY_STATE_DELIVERED);
    delivery.set_delivered_unix_millis(absl::ToUnixMillis(options_.now()));
    delivery.clear_last_error();
    return delivery;
  }
  delivery.set_last_error(status.ok() ? absl::StrCat("HTTP ", *status)
                                      : std::string(status.status().message()));
  const absl::Time first =
      absl::FromUnixMillis(delivery.first_attempt_unix_millis());
  if (now - first >= options_.dead_after) {
    delivery.set_state(v1::DELIVERY_STATE_DEAD);
    return delivery;
  }
  absl::BitGen random;
  const absl::Duration wait = RetryDelay(options_, delivery.attempts()) *
                              absl::Uniform(random, 0.5, 1.5);
  delivery.set_next_attempt_unix_millis(absl::ToUnixMillis(now + wait));
  return delivery;
}

}  // namespace certreg
