#ifndef CERTREG_VERIFIER_RULES_ADMISSION_RULES_H_
#define CERTREG_VERIFIER_RULES_ADMISSION_RULES_H_

#include "absl/status/status.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/rules/certificate_chain.h"

namespace certreg {

// The scheme rules a certificate statement must meet to be written, on top of
// the chain rules (certificate_chain.h). The registry checks them under the
// scheme rules in force when the statement arrives; statements accepted
// earlier are not re-judged when replayed (the status engine still computes
// their status under the current rules, e.g. ending a window at the longest
// validity). docs/RULES.md gives each rule's source.

// An issue statement: dated on the certificate's issue date, and valid at
// most `rules.max_validity_months` (expiry_date <= issue_date + that many
// months). INVALID_ARGUMENT naming the field otherwise.
absl::Status CheckIssueAdmission(const v1::Statement& issue,
                                 const v1::CertificationRules& rules);

// A later event of `chain` (before it is applied). For a renewal: dated on or
// before the end of the current validity window (FAILED_PRECONDITION: an
// expired certificate needs a new certification, not a renewal), its new
// issue date no later than the day after that end, and its new window at
// most `rules.max_validity_months` long (INVALID_ARGUMENT). Other kinds: OK.
absl::Status CheckEventAdmission(const CertificateChain& chain,
                                 const v1::Statement& event,
                                 const v1::CertificationRules& rules);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_ADMISSION_RULES_H_
