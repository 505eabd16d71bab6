#include "tools/cli/certctl_flags.h"

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "verifier/crypto/key_files.h"
#include "verifier/rules/date.h"

ABSL_FLAG(bool, json, false, "Print results as JSON (the API's JSON form).");
ABSL_FLAG(std::string, as_of, "",
          "Date (YYYY-MM-DD) to answer for; default today in China Standard "
          "Time.");
ABSL_FLAG(std::string, date, "",
          "Date (YYYY-MM-DD) of a statement; default today in China Standard "
          "Time. An issue statement is dated on the certificate's issue date: "
          "for issue, --date may only repeat it.");
ABSL_FLAG(std::string, holder, "",
          "verify: claimed holder name; issue: holder.");
ABSL_FLAG(std::string, address, "",
          "verify: claimed holder address; issue: holder address; "
          "change-holder: the holder's new registered address.");
ABSL_FLAG(std::string, scope, "",
          "verify: required scope terms, ';'-separated; issue/change-scope: "
          "the scope.");
ABSL_FLAG(std::string, basis, "",
          "verify: a standard the basis must include; issue: ';'-separated "
          "standards.");
ABSL_FLAG(std::string, out, "", "bundle/generate/export: output file.");
ABSL_FLAG(std::string, type, "",
          "search/export: only this certification type: management_system, "
          "service or product.");
ABSL_FLAG(std::string, callback_url, "",
          "watchlist create: where each change is POSTed (https://...).");
ABSL_FLAG(std::string, cursor, "",
          "watch: resume right after the change that printed this cursor.");
ABSL_FLAG(std::string, credit_code, "",
          "issue: the holder's unified social credit code; watch: "
          "organisations' credit codes, comma-separated.");
ABSL_FLAG(std::string, body, "",
          "search/export: only this body approval number; issue: the body; "
          "watch: bodies, comma-separated.");

namespace certreg {
namespace {

// `text` as a date when it is not empty; errors name `flag`.
absl::StatusOr<std::optional<v1::Date>> OptionalDate(const std::string& text,
                                                     absl::string_view flag) {
  if (text.empty()) return std::optional<v1::Date>();
  absl::StatusOr<v1::Date> date = ParseDate(text, flag);
  if (!date.ok()) return date.status();
  return std::optional<v1::Date>(*date);
}

std::vector<std::string>& SiteValues() {
  static auto* values = new std::vector<std::string>();
  return *values;
}

}  // namespace

absl::StatusOr<v1::Date> StatementDate() {
  std::string text = absl::GetFlag(FLAGS_date);
  if (text.empty()) return ToProtoDate(TodayInChina());
  return ParseDate(text, "--date");
}

absl::StatusOr<std::optional<v1::Date>> GivenStatementDate() {
  return OptionalDate(absl::GetFlag(FLAGS_date), "--date");
}

absl::StatusOr<std::optional<v1::Date>> AsOf() {
  return OptionalDate(absl::GetFlag(FLAGS_as_of), "--as_of");
}

std::string ConfigPath(const std::string& name) {
  return absl::StrCat(DefaultConfigDir(), "/", name);
}

void SetSiteFlagValues(std::vector<std::string> values) {
  SiteValues() = std::move(values);
}

const std::vector<std::string>& SiteFlagValues() { return SiteValues(); }

}  // namespace certreg
