#ifndef CERTREG_TOOLS_CLI_CERTCTL_STATEMENTS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_STATEMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {

// The parts of the statements certctl's writes sign, built from their flag
// values: dates and GB/T 27922 grades (issue, renew, accredit), covered
// sites and holder changes (change-scope, change-holder), accreditations
// and scheme rules (accredit, publish-rules). Nothing here reads a flag or
// a file, or talks to the registry.

// The date `value` gives the flag `flag` ("valid_from", without "--").
//
// Errors (INVALID_ARGUMENT): "--FLAG: is required" when `value` is empty;
// ParseDate's, naming "--FLAG", when it is not a date.
absl::StatusOr<v1::Date> RequiredDate(absl::string_view value,
                                      absl::string_view flag);

// The values of the GB/T 27922 grade flags, as given.
struct GradeFlags {
  std::string score;   // --score: the points, e.g. "92.5"
  int deductions = 0;  // --deductions: special deductions
  std::string stars;   // --stars: the claimed star level, any of its names
};

// The service grade of `flags`; none when --score is empty (the others are
// then not read).
//
// Errors (INVALID_ARGUMENT), in this order: "--score: not a number";
// "--deductions: must be 0 or more"; "--stars: ..." for a star level
// ParseStarLevel does not know (an empty one included).
absl::StatusOr<std::optional<v1::ServiceGrade>> ServiceGradeFromFlags(
    const GradeFlags& flags);

// The statement accrediting the body `approval_number` named `name` with
// the raw Ed25519 public key `public_key` from --valid_from to
// --valid_until (both days included). Not dated: the operator's statement
// date is set when it is signed.
//
// Errors: RequiredDate's, --valid_from's first.
absl::StatusOr<v1::Statement> AccreditStatement(
    absl::string_view approval_number, absl::string_view name,
    absl::string_view public_key, absl::string_view valid_from,
    absl::string_view valid_until);

// The sites that --site values name, in order. Each value is one or more
// "name|address" entries separated by ";", as in the CSV's sites column
// (docs/CSV.md): the name runs to the first "|" (the address may hold more),
// both are trimmed of surrounding ASCII whitespace and both must be
// non-empty; empty entries between ";" are skipped.
//
// Errors (INVALID_ARGUMENT): "--site \"VALUE\": names no site (give
// name|address)"; "--site \"ENTRY\": expected name|address"; "--site
// \"ENTRY\": the site name is empty" (or the address).
absl::StatusOr<std::vector<v1::Site>> ParseSiteFlags(
    const std::vector<std::string>& values);

// The ChangeHolder of --name, --address and --site: an empty name or address
// keeps the holder's; sites, when given, replace the whole list.
//
// Errors (INVALID_ARGUMENT): "give --name, --address or --site (at least
// one)" when all three are empty; ParseSiteFlags's errors.
absl::StatusOr<v1::ChangeHolder> ChangeHolderFromFlags(
    absl::string_view name, absl::string_view address,
    const std::vector<std::string>& sites);

// A SchemeRules in the API's JSON form (proto field names or their lowerCamel
// forms; enum values by name). `source` names the text in errors, e.g. the
// file's path. Not validated: see ValidateSchemeRules.
//
// Errors (INVALID_ARGUMENT): "SOURCE: not a certreg.v1.SchemeRules in JSON
// form: ..." (unknown fields too).
absl::StatusOr<v1::SchemeRules> SchemeRulesFromJson(absl::string_view json,
                                                    absl::string_view source);

// `rules` in the API's JSON form, indented, every field printed (also those
// that are 0 or false), ending in a newline: the template
// `certctl publish-rules --print_default` prints.
std::string SchemeRulesToJson(const v1::SchemeRules& rules);

// The version certctl publish-rules gives `rules`: `version_flag` when given
// (--rules_version), else `rules`' own version when it is not 0 (a file's
// "version"), else the version in force plus one, asking
// `version_in_force` only then.
//
// Errors: INVALID_ARGUMENT "--rules_version: must be 1 to 4294967295" for a
// flag outside that range; whatever `version_in_force` returns.
absl::StatusOr<uint32_t> RulesVersionToPublish(
    const v1::SchemeRules& rules, std::optional<int64_t> version_flag,
    absl::FunctionRef<absl::StatusOr<uint32_t>()> version_in_force);

// The publish-rules statement of `rules` numbered `version`, dated `date`,
// naming no certificate. `rules` must pass ValidateSchemeRules once
// numbered; its errors (INVALID_ARGUMENT naming the field,
// "publish_rules.rules[1].max_validity_months: ...") otherwise.
absl::StatusOr<v1::Statement> PublishRulesStatement(v1::SchemeRules rules,
                                                    uint32_t version,
                                                    const v1::Date& date);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_STATEMENTS_H_
