#include "verifier/web/json_api.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "verifier/http/proto_json.h"
#include "verifier/rules/date.h"
#include "verifier/web/body_lookup.h"
#include "verifier/web/embedded_files.h"

namespace certreg {
namespace {

// Dates in query parameters are written as on the pages: 2026-03-01.
const QueryMessageParsers& Parsers() {
  static const auto* const parsers = new QueryMessageParsers{
      {"certreg.v1.Date",
       [](absl::string_view text, google::protobuf::Message* message) {
         absl::StatusOr<v1::Date> date = ParseDate(text, "date");
         if (!date.ok()) return date.status();
         message->CopyFrom(*date);
         return absl::OkStatus();
       }}};
  return *parsers;
}

// `answer` as JSON with `cache_control`, or its error.
template <typename Message>
HttpResponse Answer(const absl::StatusOr<Message>& answer,
                    absl::string_view cache_control) {
  if (!answer.ok()) return JsonError(answer.status());
  HttpResponse response = JsonResponse(*answer);
  response.AddHeader("Cache-Control", std::string(cache_control));
  return response;
}

constexpr absl::string_view kShortCache = "public, max-age=60";
constexpr absl::string_view kForever = "public, max-age=31536000, immutable";

absl::StatusOr<uint64_t> SizeParam(const std::string& text,
                                   absl::string_view name) {
  uint64_t value;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": \"", text.substr(0, 32), "\" is not a non-negative integer"));
  }
  return value;
}

}  // namespace

absl::StatusOr<bool> MatchRoute(absl::string_view pattern,
                                absl::string_view path,
                                std::vector<std::string>& params) {
  params.clear();
  const std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  const std::vector<absl::string_view> got = absl::StrSplit(path, '/');
  size_t j = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!absl::StartsWith(want[i], "{")) {
      if (j >= got.size() || got[j] != want[i]) return false;
      ++j;
      continue;
    }
    // A parameter takes every segment the rest of the pattern leaves, less
    // a literal suffix after its braces ("{delivery_id}:replay").
    const size_t rest = want.size() - i - 1;
    if (got.size() < j + rest + 1) return false;
    const size_t end = got.size() - rest;
    std::string raw = absl::StrJoin(got.begin() + j, got.begin() + end, "/");
    const absl::string_view suffix = want[i].substr(want[i].find('}') + 1);
    if (!absl::EndsWith(raw, suffix)) return false;
    raw.resize(raw.size() - suffix.size());
    if (raw.empty()) return false;
    absl::StatusOr<std::string> value = PercentDecode(raw);
    if (!value.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(want[i].substr(1, want[i].find('}') - 1), ": ",
                       value.status().message()));
    }
    params.push_back(*std::move(value));
    j = end;
  }
  return j == got.size();
}

const std::vector<JsonApi::Route>& JsonApi::Routes() {
  static const auto* const routes = new std::vector<Route>{
      {"GET", "/api/v1/certificates:search", &JsonApi::SearchCertificates},
      {"GET", "/api/v1/certificates:watch", &JsonApi::PollWatch},
      {"GET", "/api/v1/certificates/{number}/bundle", &JsonApi::GetBundle},
      {"GET", "/api/v1/certificates/{number}", &JsonApi::GetCertificate},
      {"POST", "/api/v1/claims:verify", &JsonApi::VerifyClaim},
      {"POST", "/api/v1/claims:batchVerify", &JsonApi::BatchVerifyClaims},
      {"GET", "/api/v1/checkpoints/latest", &JsonApi::GetLatestCheckpoint},
      {"GET", "/api/v1/checkpoints/{tree_size}", &JsonApi::GetCheckpoint},
      {"GET", "/api/v1/proofs:inclusion", &JsonApi::GetInclusionProof},
      {"GET", "/api/v1/proofs:consistency", &JsonApi::GetConsistencyProof},
      {"GET", "/api/v1/entries", &JsonApi::GetEntries},
      {"GET", "/api/v1/bodies", &JsonApi::ListBodies},
      {"GET", "/api/v1/bodies/{approval_number}", &JsonApi::GetBody},
      {"GET", "/api/v1/keys", &JsonApi::GetKeys},
      {"GET", "/api/v1/watchlists", &JsonApi::ListWatchlists},
      {"POST", "/api/v1/watchlists", &JsonApi::CreateWatchlist},
      {"DELETE", "/api/v1/watchlists/{id}", &JsonApi::DeleteWatchlist},
      {"GET", "/api/v1/watchlists/{id}/deliveries", &JsonApi::ListDeliveries},
      {"POST", "/api/v1/watchlists/{id}/deliveries/{delivery_id}:replay",
       &JsonApi::ReplayDelivery},
      {"GET", "/api/v1/openapi.json", &JsonApi::OpenApi},
  };
  return *routes;
}

HttpResponse JsonApi::Handle(const HttpRequest& request) const {
  absl::StatusOr<QueryParams> query = ParseQuery(request.query);
  if (!query.ok()) return JsonError(query.status());
  const bool get = request.method == "GET" || request.method == "HEAD";
  std::vector<std::string> allowed;
  std::vector<std::string> params;
  for (const Route& route : Routes()) {
    absl::StatusOr<bool> matched = MatchRoute(route.path, request.path, params);
    if (!matched.ok()) return JsonError(matched.status());
    if (!*matched) continue;
    const bool method_matches =
        route.method == request.method ||
        (get && absl::string_view(route.method) == "GET");
    if (!method_matches) {
      allowed.push_back(route.method);
      continue;
    }
    return (this->*route.handler)(params, request, *query);
  }
  if (!allowed.empty()) {
    HttpResponse refused = JsonError(absl::UnimplementedError(absl::StrCat(
        request.method, " is not allowed on ", request.path.substr(0, 200),
        "; use ", absl::StrJoin(allowed, ", "))));
    refused.status = 405;
    refused.AddHeader("Allow", absl::StrJoin(allowed, ", "));
    return refused;
  }
  return JsonError(absl::NotFoundError(
      absl::StrCat("no API route ", request.path.substr(0, 200),
                   " (see /api/v1/openapi.json)")));
}

HttpResponse JsonApi::GetCertificate(const Params& path, const HttpRequest&,
                                     const QueryParams& query) const {
  v1::GetCertificateRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  if (!request.number().empty()) {
    return JsonError(absl::InvalidArgumentError(
        "number: give it in the path, not as a query parameter"));
  }
  v1::Claim claim;
  claim.set_certificate_number(path[0]);
  if (request.has_as_of()) *claim.mutable_as_of() = request.as_of();
  const std::shared_ptr<const VerifiedCertificate> answer =
      cache_->Lookup(claim, request.view() != v1::CERTIFICATE_VIEW_BASIC);
  const VerifiedCertificate& found = *answer;
  if (!found.fetch_status.ok()) return JsonError(found.fetch_status);
  if (!found.view.has_value()) {
    std::string why;
    for (const v1::Check& check : found.verification.checks()) {
      if (check.outcome() == v1::CHECK_OUTCOME_FAILED) {
        why = absl::StrCat(check.name(), ": ", check.detail());
        break;
      }
    }
    HttpResponse refused = JsonError(absl::DataLossError(absl::StrCat(
        "the registry's answer for ", path[0], " did not verify: ", why)));
    refused.status = 502;
    return refused;
  }
  HttpResponse response = JsonResponse(*found.view);
  response.AddHeader("Cache-Control", std::string(kShortCache));
  response.AddHeader("Certreg-Checkpoint",
                     absl::StrCat(found.verification.checkpoint_tree_size()));
  for (const v1::Check& check : found.verification.checks()) {
    if (check.name() == "freshness" &&
        check.outcome() == v1::CHECK_OUTCOME_FAILED) {
      response.AddHeader("Certreg-Stale", check.detail());
    }
  }
  return response;
}

HttpResponse JsonApi::SearchCertificates(const Params&, const HttpRequest&,
                                         const QueryParams& query) const {
  v1::SearchCertificatesRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  return Answer(registry_->SearchCertificates(request), kShortCache);
}

HttpResponse JsonApi::GetBundle(const Params& path, const HttpRequest&,
                                const QueryParams& query) const {
  if (!query.empty()) {
    return JsonError(absl::InvalidArgumentError(
        absl::StrCat(query[0].first, ": unknown query parameter")));
  }
  HttpResponse response =
      Answer(registry_->GetVerificationBundle(path[0]), kShortCache);
  if (response.status == 200) {
    response.AddHeader("Content-Disposition",
                       absl::StrCat("attachment; filename=\"",
                                    PercentEncode(path[0]), ".bundle.json\""));
  }
  return response;
}

HttpResponse JsonApi::VerifyClaim(const Params&, const HttpRequest& http,
                                  const QueryParams&) const {
  v1::VerifyRequest request;
  if (absl::Status parsed = ParseJsonBody(http.body, &request); !parsed.ok()) {
    return JsonError(parsed);
  }
  HttpResponse response = JsonResponse(verifier_->Verify(request.claim()));
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

HttpResponse JsonApi::BatchVerifyClaims(const Params&, const HttpRequest& http,
                                        const QueryParams&) const {
  v1::BatchVerifyRequest request;
  if (absl::Status parsed = ParseJsonBody(http.body, &request); !parsed.ok()) {
    return JsonError(parsed);
  }
  return Answer(verifier_->BatchVerify(request), "no-store");
}

HttpResponse JsonApi::GetLatestCheckpoint(const Params&, const HttpRequest&,
                                          const QueryParams&) const {
  return Answer(registry_->GetCheckpoint(0), "public, max-age=10");
}

HttpResponse JsonApi::GetCheckpoint(const Params& path, const HttpRequest&,
                                    const QueryParams&) const {
  absl::StatusOr<uint64_t> size = SizeParam(path[0], "tree_size");
  if (!size.ok()) return JsonError(size.status());
  if (*size == 0) {
    return JsonError(absl::InvalidArgumentError(
        "tree_size: must be positive (use /api/v1/checkpoints/latest)"));
  }
  return Answer(registry_->GetCheckpoint(*size), kForever);
}

HttpResponse JsonApi::GetInclusionProof(const Params&, const HttpRequest&,
                                        const QueryParams& query) const {
  v1::GetInclusionProofRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  return Answer(registry_->GetInclusionProof(request),
                request.tree_size() > 0 ? kForever : kShortCache);
}

HttpResponse JsonApi::GetConsistencyProof(const Params&, const HttpRequest&,
                                          const QueryParams& query) const {
  v1::GetConsistencyProofRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  return Answer(
      registry_->GetConsistencyProof(request.from_size(), request.to_size()),
      kForever);
}

HttpResponse JsonApi::GetEntries(const Params&, const HttpRequest&,
                                 const QueryParams& query) const {
  v1::GetEntriesRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  return Answer(registry_->GetEntries(request.start(), request.end()),
                kForever);
}

HttpResponse JsonApi::ListBodies(const Params&, const HttpRequest&,
                                 const QueryParams& query) const {
  v1::ListBodiesRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  return Answer(registry_->ListBodies(request), kShortCache);
}

HttpResponse JsonApi::GetBody(const Params& path, const HttpRequest&,
                              const QueryParams&) const {
  return Answer(FindBody(*registry_, path[0]), kShortCache);
}

HttpResponse JsonApi::GetKeys(const Params&, const HttpRequest&,
                              const QueryParams&) const {
  return Answer(registry_->GetRegistryKeys(), "public, max-age=3600");
}

absl::StatusOr<std::unique_ptr<RegistryClient>> JsonApi::KeyedClient(
    const HttpRequest& request) const {
  const absl::string_view key = request.Header("x-api-key");
  if (key.empty()) {
    return absl::UnauthenticatedError(
        "X-Api-Key: watchlists belong to an API key; send yours");
  }
  return registry_->WithApiKey(std::string(key));
}

HttpResponse JsonApi::ListWatchlists(const Params&, const HttpRequest& http,
                                     const QueryParams&) const {
  absl::StatusOr<std::unique_ptr<RegistryClient>> client = KeyedClient(http);
  if (!client.ok()) return JsonError(client.status());
  return Answer((*client)->ListWatchlists(), "no-store");
}

HttpResponse JsonApi::CreateWatchlist(const Params&, const HttpRequest& http,
                                      const QueryParams&) const {
  absl::StatusOr<std::unique_ptr<RegistryClient>> client = KeyedClient(http);
  if (!client.ok()) return JsonError(client.status());
  v1::Watchlist watchlist;
  if (absl::Status parsed = ParseJsonBody(http.body, &watchlist);
      !parsed.ok()) {
    return JsonError(parsed);
  }
  return Answer((*client)->CreateWatchlist(watchlist), "no-store");
}

HttpResponse JsonApi::DeleteWatchlist(const Params& path,
                                      const HttpRequest& http,
                                      const QueryParams&) const {
  absl::StatusOr<std::unique_ptr<RegistryClient>> client = KeyedClient(http);
  if (!client.ok()) return JsonError(client.status());
  absl::Status deleted = (*client)->DeleteWatchlist(path[0]);
  if (!deleted.ok()) return JsonError(deleted);
  return JsonResponse(v1::DeleteWatchlistResponse());
}

HttpResponse JsonApi::ListDeliveries(const Params& path,
                                     const HttpRequest& http,
                                     const QueryParams& query) const {
  absl::StatusOr<std::unique_ptr<RegistryClient>> client = KeyedClient(http);
  if (!client.ok()) return JsonError(client.status());
  v1::ListDeliveriesRequest request;
  if (absl::Status set = QueryToMessage(query, Parsers(), &request);
      !set.ok()) {
    return JsonError(set);
  }
  request.set_watchlist_id(path[0]);
  return Answer((*client)->ListDeliveries(request), "no-store");
}

HttpResponse JsonApi::ReplayDelivery(const Params& path,
                                     const HttpRequest& http,
                                     const QueryParams&) const {
  absl::StatusOr<std::unique_ptr<RegistryClient>> client = KeyedClient(http);
  if (!client.ok()) return JsonError(client.status());
  return Answer((*client)->ReplayDelivery(path[0], path[1]), "no-store");
}

HttpResponse JsonApi::PollWatch(const Params&, const HttpRequest&,
                                const QueryParams& query) const {
  v1::WatchCertificatesRequest request;
  int wait_seconds = 20;
  QueryParams filter_params;
  for (const auto& [name, value] : query) {
    if (name == "cursor") {
      request.set_cursor(value);
    } else if (name == "wait_seconds") {
      if (!absl::SimpleAtoi(value, &wait_seconds) || wait_seconds < 1 ||
          wait_seconds > 25) {
        return JsonError(
            absl::InvalidArgumentError("wait_seconds: must be 1 to 25"));
      }
    } else {
      filter_params.emplace_back(name, value);
    }
  }
  if (absl::Status set =
          QueryToMessage(filter_params, Parsers(), request.mutable_filter());
      !set.ok()) {
    return JsonError(set);
  }
  // Changes as they come; a heartbeat a second ends the poll once there is
  // something, or once the wait is over.
  request.set_heartbeat_seconds(1);
  const absl::Time until = absl::Now() + absl::Seconds(wait_seconds);
  v1::WatchPollResponse answer;
  answer.set_cursor(request.cursor());
  absl::Status ended =
      registry_->Watch(request, [&](const v1::CertificateChange& change) {
        answer.set_cursor(change.cursor());
        if (change.kind() != v1::CHANGE_KIND_HEARTBEAT) {
          *answer.add_changes() = change;
          return answer.changes_size() < 100;
        }
        return answer.changes_size() == 0 && absl::Now() < until;
      });
  if (!ended.ok()) return JsonError(ended);
  HttpResponse response = JsonResponse(answer);
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

HttpResponse JsonApi::OpenApi(const Params&, const HttpRequest&,
                              const QueryParams&) const {
  HttpResponse response;
  response.content_type = "application/json";
  response.body = std::string(EmbeddedFileContents("openapi.json"));
  response.AddHeader("Cache-Control", "public, max-age=3600");
  return response;
}

}  // namespace certreg
