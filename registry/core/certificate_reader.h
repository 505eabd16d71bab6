#ifndef CERTREG_REGISTRY_CORE_CERTIFICATE_READER_H_
#define CERTREG_REGISTRY_CORE_CERTIFICATE_READER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/published_rules.h"
#include "registry/core/stored_records.h"
#include "registry/log/merkle_log.h"

namespace certreg {

// Certificates as readers see them: what is durable, as it stood on any day
// -- its status under the rules in force, its history up to that day, and
// the certificate as that day's statements left it.
//
// Thread-safe; reads take no lock.
class CertificateReader {
 public:
  // `log` and `rules` must outlive the reader. `durable` gives the view
  // each request reads; `now` gives today (China Standard Time).
  CertificateReader(const MerkleLog* log, const RulesInForce* rules,
                    DurableViewSource durable, std::function<absl::Time()> now)
      : log_(*log),
        rules_(*rules),
        durable_(std::move(durable)),
        now_(std::move(now)) {}

  // The certificate as of request.as_of (default today), in the request's
  // view. INVALID_ARGUMENT for a malformed number, date or view (named);
  // NOT_FOUND for an unknown number; DATA_LOSS for a record that is corrupt
  // or says other than the signed statements it was derived from.
  absl::StatusOr<v1::GetCertificateResponse> GetCertificate(
      const v1::GetCertificateRequest& request) const;

  // The certificate of `record` as it stood on `as_of` (its statements read
  // back from the log and folded).
  absl::StatusOr<v1::Certificate> CertificateAsOf(
      const v1::CertificateRecord& record, absl::CivilDay as_of) const;

 private:
  // The certificate of `record` as it stood on `as_of`, with its history up
  // to that day, into `response`; with the signed statements when `full`.
  // Takes what it needs out of `record`.
  absl::Status FillAsOf(v1::CertificateRecord& record, absl::CivilDay as_of,
                        bool full, v1::GetCertificateResponse& response) const;
  // The first `shown` history entries of `record` into `response` (moved
  // out of it, with their `signed_statements` when `full`); returns their
  // statements when `replay`.
  absl::StatusOr<std::vector<v1::Statement>> FillHistory(
      v1::CertificateRecord& record,
      std::vector<v1::SignedStatement>& signed_statements, int shown, bool full,
      bool replay, v1::GetCertificateResponse& response) const;
  // The signed statements `record` was derived from, in chain order, after
  // replaying them and finding the same record. DATA_LOSS otherwise: a
  // record altered or damaged inside the database (with valid block
  // checksums) is refused, never shown.
  absl::StatusOr<std::vector<v1::SignedStatement>> CheckedStatements(
      const v1::CertificateRecord& record) const;

  const MerkleLog& log_;
  const RulesInForce& rules_;
  const DurableViewSource durable_;
  const std::function<absl::Time()> now_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_CERTIFICATE_READER_H_
