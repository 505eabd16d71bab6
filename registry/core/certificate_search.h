#ifndef CERTREG_REGISTRY_CORE_CERTIFICATE_SEARCH_H_
#define CERTREG_REGISTRY_CORE_CERTIFICATE_SEARCH_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/certificate_reader.h"
#include "registry/core/published_rules.h"
#include "registry/core/stored_records.h"

namespace certreg {

// Search over the durable certificates: by a holder name fragment (its
// bigram postings, joined by leapfrogging), by a full credit code (its
// postings), or every certificate, in certificate-number order, filtered by
// type, item, body and status as of a day, a page at a time.
//
// A call examines at most kMaxCandidates certificates, so it stays bounded
// even when the filters reject most of them; its page token then resumes
// after the last one examined.
//
// Thread-safe; reads take no lock.
class CertificateSearch {
 public:
  static constexpr int kDefaultPageSize = 20;
  static constexpr int kMaxPageSize = 100;
  static constexpr int kMaxCandidates = 5000;

  // `reader` and `rules` must outlive the search. `durable` gives the view
  // each request reads; `now` gives today (China Standard Time).
  CertificateSearch(const CertificateReader* reader, const RulesInForce* rules,
                    DurableViewSource durable, std::function<absl::Time()> now)
      : reader_(*reader),
        rules_(*rules),
        durable_(std::move(durable)),
        now_(std::move(now)) {}

  // INVALID_ARGUMENT for a malformed field or page token (named); DATA_LOSS
  // naming a corrupt record met on the way.
  absl::StatusOr<v1::SearchCertificatesResponse> SearchCertificates(
      const v1::SearchCertificatesRequest& request) const;

 private:
  struct Query;

  // The summaries of those of `candidates` that match into `response`.
  absl::Status AddMatches(const ReadableStore& durable,
                          const std::vector<std::string>& candidates,
                          const Query& query,
                          const v1::SearchCertificatesRequest& request,
                          v1::SearchCertificatesResponse& response) const;
  // The search result for certificate `number` from its stored record, and
  // in `matches` whether it passes the request's filters.
  absl::StatusOr<v1::CertificateSummary> Summarize(
      absl::string_view number, const std::optional<std::string>& stored,
      absl::CivilDay as_of, const v1::SearchCertificatesRequest& filters,
      bool* matches) const;

  const CertificateReader& reader_;
  const RulesInForce& rules_;
  const DurableViewSource durable_;
  const std::function<absl::Time()> now_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_CERTIFICATE_SEARCH_H_
