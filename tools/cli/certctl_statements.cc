#include "tools/cli/certctl_statements.h"

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/status_names.h"

namespace certreg {
namespace {

std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", text, "\"");
}

}  // namespace

absl::StatusOr<v1::Date> RequiredDate(absl::string_view value,
                                      absl::string_view flag) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": is required"));
  }
  return ParseDate(value, absl::StrCat("--", flag));
}

absl::StatusOr<std::optional<v1::ServiceGrade>> ServiceGradeFromFlags(
    const GradeFlags& flags) {
  if (flags.score.empty()) return std::optional<v1::ServiceGrade>();
  v1::ServiceGrade grade;
  double score = 0;
  if (!absl::SimpleAtod(flags.score, &score)) {
    return absl::InvalidArgumentError("--score: not a number");
  }
  grade.set_score(score);
  if (flags.deductions < 0) {
    return absl::InvalidArgumentError("--deductions: must be 0 or more");
  }
  grade.set_special_deductions(flags.deductions);
  absl::StatusOr<v1::StarLevel> stars = ParseStarLevel(flags.stars);
  if (!stars.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--stars: ", stars.status().message()));
  }
  grade.set_star_level(*stars);
  return std::optional<v1::ServiceGrade>(grade);
}

absl::StatusOr<v1::Statement> AccreditStatement(
    absl::string_view approval_number, absl::string_view name,
    absl::string_view public_key, absl::string_view valid_from,
    absl::string_view valid_until) {
  absl::StatusOr<v1::Date> from = RequiredDate(valid_from, "valid_from");
  absl::StatusOr<v1::Date> until = RequiredDate(valid_until, "valid_until");
  for (const absl::Status& status : {from.status(), until.status()}) {
    if (!status.ok()) return status;
  }
  v1::Statement statement;
  v1::AccreditBody* accredit = statement.mutable_accredit_body();
  accredit->set_approval_number(std::string(approval_number));
  accredit->set_name(std::string(name));
  accredit->set_public_key(std::string(public_key));
  *accredit->mutable_valid_from() = *from;
  *accredit->mutable_valid_until() = *until;
  return statement;
}

absl::StatusOr<std::vector<v1::Site>> ParseSiteFlags(
    const std::vector<std::string>& values) {
  std::vector<v1::Site> sites;
  for (const std::string& value : values) {
    bool named_one = false;
    for (absl::string_view entry : absl::StrSplit(value, ';')) {
      entry = absl::StripAsciiWhitespace(entry);
      if (entry.empty()) continue;
      const size_t bar = entry.find('|');
      if (bar == absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("--site ", Quoted(entry), ": expected name|address"));
      }
      const absl::string_view name =
          absl::StripAsciiWhitespace(entry.substr(0, bar));
      const absl::string_view address =
          absl::StripAsciiWhitespace(entry.substr(bar + 1));
      if (name.empty() || address.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--site ", Quoted(entry), ": the site ",
                         name.empty() ? "name" : "address", " is empty"));
      }
      v1::Site& site = sites.emplace_back();
      site.set_name(std::string(name));
      site.set_address(std::string(address));
      named_one = true;
    }
    if (!named_one) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--site ", Quoted(value), ": names no site (give name|address)"));
    }
  }
  return sites;
}

absl::StatusOr<v1::ChangeHolder> ChangeHolderFromFlags(
    absl::string_view name, absl::string_view address,
    const std::vector<std::string>& sites) {
  if (name.empty() && address.empty() && sites.empty()) {
    return absl::InvalidArgumentError(
        "give --name, --address or --site (at least one)");
  }
  absl::StatusOr<std::vector<v1::Site>> parsed = ParseSiteFlags(sites);
  if (!parsed.ok()) return parsed.status();
  v1::ChangeHolder change;
  change.set_new_name(std::string(name));
  change.set_new_address(std::string(address));
  for (v1::Site& site : *parsed) *change.add_new_sites() = std::move(site);
  return change;
}

absl::StatusOr<v1::SchemeRules> SchemeRulesFromJson(absl::string_view json,
                                                    absl::string_view source) {
  v1::SchemeRules rules;
  auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &rules);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": not a certreg.v1.SchemeRules in JSON form: ",
                     std::string(status.message())));
  }
  return rules;
}

std::string SchemeRulesToJson(const v1::SchemeRules& rules) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(rules, &json, options);
  return json;
}

absl::StatusOr<uint32_t> RulesVersionToPublish(
    const v1::SchemeRules& rules, std::optional<int64_t> version_flag,
    absl::FunctionRef<absl::StatusOr<uint32_t>()> version_in_force) {
  if (version_flag.has_value()) {
    if (*version_flag < 1 || *version_flag > UINT32_MAX) {
      return absl::InvalidArgumentError(
          "--rules_version: must be 1 to 4294967295");
    }
    return static_cast<uint32_t>(*version_flag);
  }
  if (rules.version() != 0) return rules.version();
  absl::StatusOr<uint32_t> in_force = version_in_force();
  if (!in_force.ok()) return in_force.status();
  if (*in_force == UINT32_MAX) {
    return absl::FailedPreconditionError(
        "the rules in force have the highest version there is");
  }
  return *in_force + 1;
}

absl::StatusOr<v1::Statement> PublishRulesStatement(v1::SchemeRules rules,
                                                    uint32_t version,
                                                    const v1::Date& date) {
  rules.set_version(version);
  absl::Status valid = ValidateSchemeRules(rules);
  if (!valid.ok()) return valid;
  v1::Statement statement;
  *statement.mutable_date() = date;
  *statement.mutable_publish_rules() = std::move(rules);
  return statement;
}

}  // namespace certreg
