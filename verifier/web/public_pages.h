#ifndef CERTREG_VERIFIER_WEB_PUBLIC_PAGES_H_
#define CERTREG_VERIFIER_WEB_PUBLIC_PAGES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "ctemplate/template_dictionary.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/http/http_message.h"
#include "verifier/http/query_params.h"
#include "verifier/web/page_text.h"
#include "verifier/web/verified_cache.h"

namespace certreg {

struct PublicPagesOptions {
  // The site's public base URL, e.g. "https://cert.example.cn", for QR codes
  // and canonical links. Empty: "http://" + the request's Host.
  std::string public_url;
};

// The public web pages (server-rendered HTML, no JavaScript). Every
// certificate shown comes from a bundle the ClaimVerifier verified against
// the pinned keys; a bundle that does not verify is refused with the check
// that failed, and a stale one is shown with a warning. Thread-safe.
class PublicPages {
 public:
  // `cache` answers the certificate pages; `verifier` the search results
  // and /verify. All must outlive the pages.
  PublicPages(ClaimVerifier* verifier, VerifiedCache* cache,
              RegistryClient* registry, PublicPagesOptions options)
      : verifier_(verifier),
        cache_(cache),
        registry_(registry),
        options_(std::move(options)) {}

  // "/": the search box and its results (a certificate number opens the
  // certificate, 303).
  HttpResponse Search(const HttpRequest& request, const QueryParams& params,
                      Lang lang) const;
  // "/c/{number}": the certificate, as of ?as_of=YYYY-MM-DD or today.
  HttpResponse Certificate(const HttpRequest& request,
                           const std::string& number, const QueryParams& params,
                           Lang lang) const;
  // "/verify": a procurement officer's claim and each check's result.
  HttpResponse Verify(const HttpRequest& request, const QueryParams& params,
                      Lang lang) const;
  // "/b/{approval_number}": a certification body.
  HttpResponse Body(const HttpRequest& request,
                    const std::string& approval_number, Lang lang) const;
  // "/c/{number}/qr.svg" and ".png": the QR code of the certificate's page,
  // for certificates the registry holds (404 otherwise).
  HttpResponse QrCode(const HttpRequest& request, const std::string& number,
                      bool png) const;
  // An error page for `status` (404, 400, 429, 503 ...).
  HttpResponse Error(const HttpRequest& request, const absl::Status& status,
                     Lang lang) const;

  // The canonical URL of a certificate's page.
  std::string CertificateUrl(const HttpRequest& request,
                             const std::string& number) const;

 private:
  // OK when the registry holds certificate `number` (its error otherwise:
  // NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE).
  absl::Status Holds(const std::string& number) const;
  // A 303 to the certificate's page when `query` is a number the registry
  // holds.
  std::optional<HttpResponse> OpenIfNumber(const std::string& query,
                                           const std::string& as_of_text) const;
  // The search hits, each verified (status, holder, dates from its
  // bundle), and the next-page link.
  void AddResults(ctemplate::TemplateDictionary& content,
                  const v1::SearchCertificatesResponse& found,
                  const v1::SearchCertificatesRequest& search,
                  const QueryParams& params, Lang lang) const;

  ClaimVerifier* const verifier_;
  VerifiedCache* const cache_;
  RegistryClient* const registry_;
  const PublicPagesOptions options_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_PUBLIC_PAGES_H_
