#ifndef CERTREG_VERIFIER_RULES_SCHEME_RULES_H_
#define CERTREG_VERIFIER_RULES_SCHEME_RULES_H_

#include "absl/status/status.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {

// The certification schemes' surveillance and validity rules as data: one
// versioned set, published by the registry operator as a signed statement
// (SchemeRules) and carried in every verification bundle, so that the
// registry, the verifier, certctl and any mirror compute the same status for
// the same signed history. docs/RULES.md gives each rule's source.

// The built-in version 1 rules, which apply until the operator publishes a
// set: for every certification type, validity at most 36 months, the first
// surveillance audit within 12 months of the issue date, then one audit in
// every calendar year but the recertification year at most 15 months apart,
// two audits per cycle, and revocation due after 6 months of suspension.
const v1::SchemeRules& DefaultSchemeRules();

// OK when `rules` has a version >= 1 and exactly one entry for each of the
// three certification types, each with max_validity_months in 1..120,
// first_surveillance_months and max_surveillance_gap_months in 1..60,
// surveillances_per_cycle in 0..10 and max_suspension_months in 1..24.
// INVALID_ARGUMENT naming the field ("publish_rules.rules[1].
// max_validity_months: ...") otherwise.
absl::Status ValidateSchemeRules(const v1::SchemeRules& rules);

// The rules for `type` in a set that passed ValidateSchemeRules (the built-in
// management-system rules for a type the set lacks).
const v1::CertificationRules& RulesFor(const v1::SchemeRules& rules,
                                       v1::CertificationType type);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_SCHEME_RULES_H_
