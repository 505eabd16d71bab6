#ifndef CERTREG_VERIFIER_WEB_WEB_FRONTEND_H_
#define CERTREG_VERIFIER_WEB_WEB_FRONTEND_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "verifier/base/api_keys.h"
#include "verifier/base/rate_limiter.h"
#include "verifier/web/json_api.h"
#include "verifier/web/public_pages.h"
#include "verifier/web/verified_cache.h"

namespace certreg {

struct WebFrontendOptions {
  PublicPagesOptions pages;
  // Verified certificates kept while the registry's checkpoint stays the
  // same (max_age zero: none kept).
  VerifiedCacheOptions cache;
  // Per client (its API key, header X-Api-Key, else its IP address), a
  // second; a bucket holds two seconds' worth. Page views and certificate
  // lookups count as lookups. 0: unlimited.
  QuotaRates rates = {50, 10, 20, 0, 0};
  // API keys with their own rates (the registry's file format); empty: none.
  std::string api_keys_file;
  // Clients on this machine are metered too (by default they are not).
  bool meter_local_clients = false;
  // One line per answered request (time, client, method, path, status,
  // bytes, milliseconds); empty: none. "-" is standard error.
  std::string access_log;
};

// certreg-web's request handler: routes to the pages, the JSON API and the
// QR codes; negotiates the language (?lang=, its cookie, Accept-Language);
// meters clients (429 with Retry-After); answers conditional requests (ETag
// from the body, 304); CORS for the API; metrics and the access log.
//
// Routes: / (search), /c/{number} (certificate), /c/{number}/qr.svg and
// qr.png, /verify, /b/{approval_number}, /api/v1/... (JsonApi), /healthz,
// /robots.txt. Thread-safe.
class WebFrontend {
 public:
  static absl::StatusOr<std::unique_ptr<WebFrontend>> New(
      ClaimVerifier* verifier, RegistryClient* registry,
      WebFrontendOptions options, prometheus::Registry* metrics);
  ~WebFrontend();

  HttpResponse Handle(const HttpRequest& request);

 private:
  enum Budget { kLookups = 0, kSearches = 1, kVerifications = 2 };
  struct Routed {
    std::string route;  // a metrics label: "page_certificate", "api", ...
    Budget budget = kLookups;
    bool api = false;
  };

  WebFrontend(ClaimVerifier* verifier, RegistryClient* registry,
              WebFrontendOptions options,
              absl::flat_hash_map<std::string, ApiKey> keys,
              prometheus::Registry* metrics);

  static Routed Classify(const HttpRequest& request);
  HttpResponse Dispatch(const HttpRequest& request, const Routed& routed,
                        Lang lang);
  HttpResponse Pages(const HttpRequest& request, const QueryParams& params,
                     Lang lang);
  // A refusal (429 over budget) or nullopt. A key this front-end does not
  // know is metered by the client's address (it may be the registry's).
  std::optional<HttpResponse> Meter(const HttpRequest& request,
                                    const Routed& routed, Lang lang,
                                    std::string& client);
  void Record(const HttpRequest& request, const std::string& client,
              const std::string& route, const HttpResponse& response,
              absl::Duration took);

  const WebFrontendOptions options_;
  const absl::flat_hash_map<std::string, ApiKey> keys_;
  VerifiedCache cache_;
  PublicPages pages_;
  JsonApi api_;
  RateLimiter limiter_;
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  prometheus::Family<prometheus::Histogram>* latency_ = nullptr;
  absl::Mutex log_mu_;
  std::FILE* log_ ABSL_GUARDED_BY(log_mu_) = nullptr;
};

// A response's weak ETag: W/"<checkpoint>-<first 16 bytes of the body's
// SHA-256, hex>", the checkpoint being its Certreg-Checkpoint header (0
// without), so that caches revalidate cheaply and a new checkpoint is a new
// entity.
std::string EtagOf(const HttpResponse& response);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_WEB_FRONTEND_H_
