#include "verifier/web/web_frontend.h"

#include <cmath>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/sha256.h"
#include "verifier/http/proto_json.h"

namespace certreg {
namespace {

constexpr absl::string_view kRobots = "User-agent: *\nAllow: /\n";

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(absl::string_view header, absl::string_view name) {
  for (absl::string_view pair : absl::StrSplit(header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    if (absl::ConsumePrefix(&pair, name) && absl::ConsumePrefix(&pair, "=")) {
      return std::string(pair);
    }
  }
  return "";
}

bool IsLoopback(absl::string_view address) {
  return absl::StartsWith(address, "127.") || address == "::1" ||
         absl::StartsWith(address, "::ffff:127.");
}

double RateOf(const QuotaRates& rates, int budget) {
  return budget == 0   ? rates.lookups
         : budget == 1 ? rates.searches
                       : rates.verifications;
}

void AddCors(HttpResponse& response) {
  response.AddHeader("Access-Control-Allow-Origin", "*");
  response.AddHeader("Access-Control-Expose-Headers",
                     "ETag, Retry-After, Certreg-Checkpoint, Certreg-Stale");
}

HttpResponse Preflight() {
  HttpResponse response;
  response.status = 204;
  response.AddHeader("Access-Control-Allow-Methods",
                     "GET, HEAD, POST, DELETE, OPTIONS");
  response.AddHeader("Access-Control-Allow-Headers",
                     "Content-Type, X-Api-Key, If-None-Match");
  response.AddHeader("Access-Control-Max-Age", "86400");
  return response;
}

}  // namespace

std::string EtagOf(const HttpResponse& response) {
  std::string checkpoint = "0";
  for (const auto& [name, value] : response.headers) {
    if (name == "Certreg-Checkpoint") checkpoint = value;
  }
  return absl::StrCat(
      "W/\"", checkpoint, "-",
      absl::BytesToHexString(Sha256(response.body).substr(0, 16)), "\"");
}

absl::StatusOr<std::unique_ptr<WebFrontend>> WebFrontend::New(
    ClaimVerifier* verifier, RegistryClient* registry,
    WebFrontendOptions options, prometheus::Registry* metrics) {
  absl::flat_hash_map<std::string, ApiKey> keys;
  if (!options.api_keys_file.empty()) {
    absl::StatusOr<absl::flat_hash_map<std::string, ApiKey>> loaded =
        LoadApiKeys(options.api_keys_file);
    if (!loaded.ok()) return loaded.status();
    keys = *std::move(loaded);
  }
  auto frontend = absl::WrapUnique(new WebFrontend(
      verifier, registry, std::move(options), std::move(keys), metrics));
  const std::string& log = frontend->options_.access_log;
  if (!log.empty()) {
    std::FILE* file = log == "-" ? stderr : std::fopen(log.c_str(), "a");
    if (file == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--access_log: cannot open ", log));
    }
    absl::MutexLock lock(&frontend->log_mu_);
    frontend->log_ = file;
  }
  return frontend;
}

WebFrontend::WebFrontend(ClaimVerifier* verifier, RegistryClient* registry,
                         WebFrontendOptions options,
                         absl::flat_hash_map<std::string, ApiKey> keys,
                         prometheus::Registry* metrics)
    : options_(std::move(options)),
      keys_(std::move(keys)),
      cache_(verifier, registry, options_.cache),
      pages_(verifier, &cache_, registry, options_.pages),
      api_(verifier, &cache_, registry) {
  if (metrics == nullptr) return;
  requests_ = &prometheus::BuildCounter()
                   .Name("certreg_web_requests_total")
                   .Help("HTTP requests answered, by route and status code")
                   .Register(*metrics);
  latency_ = &prometheus::BuildHistogram()
                  .Name("certreg_web_request_seconds")
                  .Help("Time to answer an HTTP request, by route")
                  .Register(*metrics);
}

WebFrontend::~WebFrontend() {
  absl::MutexLock lock(&log_mu_);
  if (log_ != nullptr && log_ != stderr) std::fclose(log_);
}

WebFrontend::Routed WebFrontend::Classify(const HttpRequest& request) {
  absl::string_view path = request.path;
  if (absl::StartsWith(path, "/api/")) {
    if (absl::StartsWith(path, "/api/v1/certificates:search")) {
      return {"api_search", kSearches, true};
    }
    if (absl::StartsWith(path, "/api/v1/claims:")) {
      return {"api_verify", kVerifications, true};
    }
    if (absl::StartsWith(path, "/api/v1/certificates/")) {
      return {"api_certificate", kLookups, true};
    }
    return {"api_other", kLookups, true};
  }
  if (path == "/") return {"page_search", kSearches, false};
  if (path == "/verify") return {"page_verify", kVerifications, false};
  if (absl::StartsWith(path, "/c/")) {
    if (absl::EndsWith(path, "/qr.svg") || absl::EndsWith(path, "/qr.png")) {
      return {"qr", kLookups, false};
    }
    return {"page_certificate", kLookups, false};
  }
  if (absl::StartsWith(path, "/b/")) return {"page_body", kLookups, false};
  return {"other", kLookups, false};
}

HttpResponse WebFrontend::Handle(const HttpRequest& request) {
  const absl::Time start = absl::Now();
  const Routed routed = Classify(request);
  absl::StatusOr<QueryParams> params = ParseQuery(request.query);
  const std::string lang_param = params.ok() ? ParamOf(*params, "lang") : "";
  const Lang lang = NegotiateLanguage(
      lang_param, CookieValue(request.Header("cookie"), "lang"),
      request.Header("accept-language"));
  std::string client = request.client_address;
  HttpResponse response;
  if (routed.api && request.method == "OPTIONS") {
    response = Preflight();
  } else if (std::optional<HttpResponse> refused =
                 Meter(request, routed, lang, client)) {
    response = *std::move(refused);
  } else {
    response = Dispatch(request, routed, lang);
  }
  if (routed.api) AddCors(response);
  if (lang_param == "en" || lang_param == "zh") {
    response.AddHeader(
        "Set-Cookie", absl::StrCat("lang=", lang_param,
                                   "; Path=/; Max-Age=31536000; SameSite=Lax"));
  }
  if (response.status == 200 &&
      (request.method == "GET" || request.method == "HEAD")) {
    const std::string etag = EtagOf(response);
    response.AddHeader("ETag", etag);
    const absl::string_view if_none_match = request.Header("if-none-match");
    if (!if_none_match.empty() &&
        (if_none_match == "*" || absl::StrContains(if_none_match, etag))) {
      response.status = 304;
      response.body.clear();
    }
  }
  Record(request, client, routed.route, response, absl::Now() - start);
  return response;
}

std::optional<HttpResponse> WebFrontend::Meter(const HttpRequest& request,
                                               const Routed& routed, Lang lang,
                                               std::string& client) {
  const QuotaRates* rates = &options_.rates;
  const absl::string_view key = request.Header("x-api-key");
  // A key this front-end does not know may be the registry's (watchlists
  // pass it on): such a client is metered by its address.
  auto found = key.empty() ? keys_.end() : keys_.find(ToHex(Sha256(key)));
  if (found != keys_.end()) {
    client = absl::StrCat("key:", found->second.name);
    rates = &found->second.rates;
  } else if (!options_.meter_local_clients &&
             IsLoopback(request.client_address)) {
    return std::nullopt;
  }
  const double per_second = RateOf(*rates, routed.budget);
  const double cost =
      routed.route == "api_verify"
          ? std::max(1.0, std::floor(request.body.size() / 200.0))
          : 1.0;
  std::optional<absl::Duration> wait = limiter_.TryTake(
      client, routed.budget, {per_second, 2 * per_second}, cost);
  if (!wait.has_value()) return std::nullopt;
  const absl::Status refusal = absl::ResourceExhaustedError(absl::StrCat(
      "quota: over ", per_second, " requests a second for ", client,
      "; retry after ",
      absl::FormatDuration(absl::Ceil(*wait, absl::Milliseconds(1)))));
  HttpResponse response =
      routed.api ? JsonError(refusal) : pages_.Error(request, refusal, lang);
  response.AddHeader(
      "Retry-After",
      absl::StrCat(std::max<int64_t>(
          1, absl::ToInt64Seconds(absl::Ceil(*wait, absl::Seconds(1))))));
  return response;
}

HttpResponse WebFrontend::Dispatch(const HttpRequest& request,
                                   const Routed& routed, Lang lang) {
  if (routed.api) return api_.Handle(request);
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (!get) {
    HttpResponse refused = pages_.Error(
        request,
        absl::InvalidArgumentError(absl::StrCat(
            request.method.substr(0, 16), " is not allowed here; use GET")),
        lang);
    refused.status = 405;
    refused.AddHeader("Allow", "GET, HEAD");
    return refused;
  }
  absl::StatusOr<QueryParams> params = ParseQuery(request.query);
  if (!params.ok()) return pages_.Error(request, params.status(), lang);
  return Pages(request, *params, lang);
}

HttpResponse WebFrontend::Pages(const HttpRequest& request,
                                const QueryParams& params, Lang lang) {
  absl::string_view path = request.path;
  if (path == "/") return pages_.Search(request, params, lang);
  if (path == "/verify") return pages_.Verify(request, params, lang);
  if (path == "/healthz") return HttpResponse{200, "text/plain", "ok\n", {}};
  if (path == "/robots.txt") {
    return HttpResponse{200, "text/plain", std::string(kRobots), {}};
  }
  const bool certificate = absl::ConsumePrefix(&path, "/c/");
  const bool body = !certificate && absl::ConsumePrefix(&path, "/b/");
  if (!certificate && !body) {
    return pages_.Error(
        request,
        absl::NotFoundError(absl::StrCat(
            lang == Lang::kEn ? "There is no page " : "没有这个页面：",
            request.path.substr(0, 200))),
        lang);
  }
  bool svg = false;
  bool png = false;
  if (certificate) {
    svg = absl::ConsumeSuffix(&path, "/qr.svg");
    png = !svg && absl::ConsumeSuffix(&path, "/qr.png");
  }
  absl::StatusOr<std::string> name = PercentDecode(path);
  if (!name.ok() || name->empty()) {
    return pages_.Error(request,
                        absl::InvalidArgumentError(absl::StrCat(
                            certificate ? "number: " : "approval_number: ",
                            name.ok() ? "missing" : name.status().message())),
                        lang);
  }
  if (body) return pages_.Body(request, *name, lang);
  if (svg || png) return pages_.QrCode(request, *name, png);
  return pages_.Certificate(request, *name, params, lang);
}

void WebFrontend::Record(const HttpRequest& request, const std::string& client,
                         const std::string& route, const HttpResponse& response,
                         absl::Duration took) {
  if (requests_ != nullptr) {
    requests_->Add({{"route", route}, {"code", absl::StrCat(response.status)}})
        .Increment();
    latency_
        ->Add({{"route", route}},
              prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.002,
                                                      0.005, 0.01, 0.02, 0.05,
                                                      0.1, 0.25, 0.5, 1, 2.5})
        .Observe(absl::ToDoubleSeconds(took));
  }
  absl::MutexLock lock(&log_mu_);
  if (log_ == nullptr) return;
  absl::FPrintF(log_, "%s %s %s %s %d %d %.1f\n",
                absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", absl::Now(),
                                 absl::LocalTimeZone()),
                client, request.method.substr(0, 16),
                request.path.substr(0, 200), response.status,
                response.body.size(), absl::ToDoubleMilliseconds(took));
  std::fflush(log_);
}

}  // namespace certreg
