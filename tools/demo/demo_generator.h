#ifndef CERTREG_TOOLS_DEMO_DEMO_GENERATOR_H_
#define CERTREG_TOOLS_DEMO_DEMO_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "tools/cli/certificate_csv.h"
#include "tools/demo/demo_data.h"

namespace certreg {

// Deterministic, realistic fictional certificates at scale, for `certctl
// generate`, load tests and demos.

struct GeneratorOptions {
  // Different seeds give different data; the same seed the same data.
  uint64_t seed = 1;
  // How many rows the caller means to generate (informational: Row(i) does not
  // depend on it).
  int64_t count = 0;
  // The day the histories are relative to: no event is dated after it.
  absl::CivilDay today;
};

// Generates certificate rows. Row(i) depends only on the seed, i and today,
// so rows can be generated in any order, in parallel, and streamed in O(1)
// memory.
//
// Every row:
//   - passes ValidateRecord (certificate and event chain);
//   - has a certificate number unique among all i in [0, 80,000,000):
//     "9NN" body code (the last three digits of its body's approval number) +
//     2 digits + type letter (Q quality, E environment, O occupational
//     health and safety, S service, P product) + 5 digits + "R" +
//     recertification count (= recertification_count as issued) + size
//     letter (S/M/L), e.g. "90347Q20918R1M";
//   - has a unified social credit code unique among all i < 2^40, registered
//     in the city of the holder's address ("91" + the city's division code);
//   - is issued by one of bodies() (body_name matches the approval number);
//   - is valid 36 months, first issued 36 months before per recertification;
//   - has events dated between its issue date and today, in order, under the
//     scheme rules of its type (DefaultSchemeRules()): surveillance audits
//     10-60 days before a year has passed since the issue date or the
//     previous audit, never after they are due (SurveillanceDue), two per
//     cycle; renewals dated before the expiry date, the new 36-month window
//     starting the day after it.
// Holders are fictional organisations (city + invented brand + industry +
// legal form) with matching addresses, credit-code regions and scopes.
//
// Status mix as of today (ComputeEffectiveStatus under DefaultSchemeRules()),
// approximately: 75% valid (some renewed, some in the recertification year
// with both audits done, some suspended and reinstated, some with scope
// changes), 8% suspended by the body (within the last 150 days), 5%
// suspended because a surveillance audit is overdue (for less than 6 months,
// so no revocation is due), 4% revoked, 3% withdrawn, 5% expired.
// Types: ~40% QMS (A01), ~18% EMS (A02), ~15% OHS (A03), ~15% GB/T 27922
// after-sales service (S03, graded consistently with ComputeStarLevel), ~12%
// product (P01).
class DemoGenerator {
 public:
  explicit DemoGenerator(GeneratorOptions options);

  // Row `i`, for i >= 0.
  CertificateRecord Row(int64_t i) const;

  // The certification bodies the rows name: DemoBodies() followed by more
  // fictional bodies, approval numbers CNCA-R-YYYY-9NN.
  const std::vector<DemoBody>& bodies() const { return bodies_; }

  const GeneratorOptions& options() const { return options_; }

 private:
  GeneratorOptions options_;
  std::vector<DemoBody> bodies_;
  // BodyCodeOfApprovalNumber of each of bodies_.
  std::vector<std::string> body_codes_;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_DEMO_DEMO_GENERATOR_H_
