#include "tools/cli/certctl_claim.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/cli/certctl_text.h"
#include "tools/common/text_table.h"
#include "verifier/rules/date.h"
#include "verifier/rules/status_names.h"

namespace certreg {
namespace {

const char* OutcomeMark(v1::CheckOutcome outcome) {
  switch (outcome) {
    case v1::CHECK_OUTCOME_PASSED:
      return "通过 PASS";
    case v1::CHECK_OUTCOME_FAILED:
      return "失败 FAIL";
    case v1::CHECK_OUTCOME_SKIPPED:
      return "跳过 skip";
    default:
      return "?";
  }
}

}  // namespace

absl::StatusOr<v1::Claim> ClaimFromFlags(absl::string_view number,
                                         const ClaimFlags& flags) {
  v1::Claim claim;
  claim.set_certificate_number(std::string(number));
  claim.set_holder_name(flags.holder);
  claim.set_holder_address(flags.address);
  for (absl::string_view term :
       absl::StrSplit(flags.scope, ';', absl::SkipEmpty())) {
    claim.add_scope_terms(std::string(term));
  }
  claim.set_basis(flags.basis);
  if (!flags.min_stars.empty()) {
    absl::StatusOr<v1::StarLevel> level = ParseStarLevel(flags.min_stars);
    if (!level.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--min_stars: ", level.status().message()));
    }
    claim.set_min_star_level(*level);
  }
  if (!flags.as_of.empty()) {
    absl::StatusOr<v1::Date> as_of = ParseDate(flags.as_of, "--as_of");
    if (!as_of.ok()) return as_of.status();
    *claim.mutable_as_of() = *as_of;
  }
  return claim;
}

std::string VerdictText(const v1::VerifyResponse& response) {
  TextTable table({"检查 check", "结果 result", "说明 detail"});
  for (const v1::Check& check : response.checks()) {
    table.AddRow(
        {check.name(), OutcomeMark(check.outcome()),
         check.detail_zh().empty()
             ? check.detail()
             : absl::StrCat(check.detail_zh(), " / ", check.detail())});
  }
  std::ostringstream out;
  table.Print(out);
  out << "\n结论 verdict: " << v1::Verdict_Name(response.verdict()).substr(8);
  if (response.has_status()) {
    out << " (" << StatusName(response.status().status()) << " as of "
        << FormatDate(response.status().as_of()) << ")";
  }
  out << "\n";
  return out.str();
}

}  // namespace certreg
