#ifndef CERTREG_VERIFIER_WEB_JSON_API_H_
#define CERTREG_VERIFIER_WEB_JSON_API_H_

#include <memory>
#include <string>
#include <vector>

#include "verifier/bundle/claim_verifier.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/http/http_message.h"
#include "verifier/http/query_params.h"
#include "verifier/web/verified_cache.h"

namespace certreg {

// The JSON API under /api/v1/: the registry's read API and the verifier's,
// one to one, in the proto3 JSON mapping (request and response messages as
// certreg.v1 defines them). Path parameters and query parameters fill the
// request message as Google's HTTP transcoding does; errors are AIP-193
// JSON with the gRPC answer's message and the HTTP status Google's API
// design maps its code to.
//
// Watching: GET /api/v1/certificates:watch is a long poll of the registry's
// WatchCertificates (the filter's fields as query parameters, cursor,
// wait_seconds): the changes that came within the wait and the cursor to
// poll from next; /api/v1/watchlists... pass the caller's X-Api-Key on.
//
// GET /api/v1/certificates/{number} is answered from a bundle this server
// verified (a GetCertificateResponse rebuilt by CertificateViewOf): 502 when
// the registry's bundle does not verify. Bundles, checkpoints, proofs and
// entries are the registry's evidence, passed on for clients to check.
// Thread-safe.
class JsonApi {
 public:
  // `cache` answers certificate lookups, `verifier` the claims. All must
  // outlive the API.
  JsonApi(ClaimVerifier* verifier, VerifiedCache* cache,
          RegistryClient* registry)
      : verifier_(verifier), cache_(cache), registry_(registry) {}

  // Answers a request whose path starts with "/api/v1/".
  HttpResponse Handle(const HttpRequest& request) const;

  struct Route {
    const char* method;
    // "/api/v1/certificates/{number}": a {name} matches one or more path
    // segments (numbers like "00114E22766R2L/3502" hold a '/').
    const char* path;
    HttpResponse (JsonApi::*handler)(
        const std::vector<std::string>& path_params, const HttpRequest& request,
        const QueryParams& query) const;
  };
  // Every route (the OpenAPI document's test checks it against these).
  static const std::vector<Route>& Routes();

 private:
  using Params = std::vector<std::string>;
  HttpResponse GetCertificate(const Params& path, const HttpRequest& request,
                              const QueryParams& query) const;
  HttpResponse SearchCertificates(const Params& path,
                                  const HttpRequest& request,
                                  const QueryParams& query) const;
  HttpResponse GetBundle(const Params& path, const HttpRequest& request,
                         const QueryParams& query) const;
  HttpResponse VerifyClaim(const Params& path, const HttpRequest& request,
                           const QueryParams& query) const;
  HttpResponse BatchVerifyClaims(const Params& path, const HttpRequest& request,
                                 const QueryParams& query) const;
  HttpResponse GetLatestCheckpoint(const Params& path,
                                   const HttpRequest& request,
                                   const QueryParams& query) const;
  HttpResponse GetCheckpoint(const Params& path, const HttpRequest& request,
                             const QueryParams& query) const;
  HttpResponse GetInclusionProof(const Params& path, const HttpRequest& request,
                                 const QueryParams& query) const;
  HttpResponse GetConsistencyProof(const Params& path,
                                   const HttpRequest& request,
                                   const QueryParams& query) const;
  HttpResponse GetEntries(const Params& path, const HttpRequest& request,
                          const QueryParams& query) const;
  HttpResponse ListBodies(const Params& path, const HttpRequest& request,
                          const QueryParams& query) const;
  HttpResponse GetBody(const Params& path, const HttpRequest& request,
                       const QueryParams& query) const;
  HttpResponse GetKeys(const Params& path, const HttpRequest& request,
                       const QueryParams& query) const;
  HttpResponse OpenApi(const Params& path, const HttpRequest& request,
                       const QueryParams& query) const;
  // Watching: a long poll of WatchCertificates, and the caller's
  // watchlists (its X-Api-Key passed on to the registry).
  HttpResponse PollWatch(const Params& path, const HttpRequest& request,
                         const QueryParams& query) const;
  HttpResponse ListWatchlists(const Params& path, const HttpRequest& request,
                              const QueryParams& query) const;
  HttpResponse CreateWatchlist(const Params& path, const HttpRequest& request,
                               const QueryParams& query) const;
  HttpResponse DeleteWatchlist(const Params& path, const HttpRequest& request,
                               const QueryParams& query) const;
  HttpResponse ListDeliveries(const Params& path, const HttpRequest& request,
                              const QueryParams& query) const;
  HttpResponse ReplayDelivery(const Params& path, const HttpRequest& request,
                              const QueryParams& query) const;
  // A registry client sending the caller's X-Api-Key; UNAUTHENTICATED
  // without one.
  absl::StatusOr<std::unique_ptr<RegistryClient>> KeyedClient(
      const HttpRequest& request) const;

  ClaimVerifier* const verifier_;
  VerifiedCache* const cache_;
  RegistryClient* const registry_;
};

// Matches `path` (percent-encoded, as sent) against a route template; fills
// `params` with each {name}'s decoded value. False when it does not match;
// INVALID_ARGUMENT when it matches but a segment is malformed.
absl::StatusOr<bool> MatchRoute(absl::string_view pattern,
                                absl::string_view path,
                                std::vector<std::string>& params);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_JSON_API_H_
