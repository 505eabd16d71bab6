#include "tools/cli/certificate_csv_fields.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/date.h"
#include "verifier/rules/status_names.h"

namespace certreg {
namespace csv {

std::string Quote(absl::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return absl::StrCat("\"", text, "\"");
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat("\"", text.substr(0, cut), "...\"");
}

std::vector<absl::string_view> SplitList(absl::string_view text) {
  std::vector<absl::string_view> out;
  for (absl::string_view entry : absl::StrSplit(text, ';')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (!entry.empty()) out.push_back(entry);
  }
  return out;
}

std::string ListEntry(absl::string_view text, bool no_bar) {
  std::string out = absl::StrReplaceAll(text, {{";", "；"}});
  if (no_bar) out = absl::StrReplaceAll(out, {{"|", "｜"}});
  return out;
}

std::string FormatDouble(double value) {
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

absl::StatusOr<double> ParseScore(absl::string_view text,
                                  absl::string_view column) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(column, ": ", Quote(text), " is not a number"));
  }
  return value;
}

absl::StatusOr<uint32_t> ParseCount(absl::string_view text,
                                    absl::string_view column) {
  uint32_t value = 0;
  if (!text.empty() &&
      (!absl::ascii_isdigit(static_cast<unsigned char>(text[0])) ||
       !absl::SimpleAtoi(text, &value))) {
    return absl::InvalidArgumentError(absl::StrCat(
        column, ": ", Quote(text), " is not a non-negative integer"));
  }
  return value;
}

absl::string_view StarLevelName(v1::StarLevel level) {
  switch (level) {
    case v1::STAR_LEVEL_COMPLIANT:
      return "compliant";
    case v1::STAR_LEVEL_THREE:
      return "three";
    case v1::STAR_LEVEL_FOUR:
      return "four";
    case v1::STAR_LEVEL_FIVE:
      return "five";
    default:
      return "";
  }
}

absl::StatusOr<v1::StarLevel> ParseStar(absl::string_view text,
                                        absl::string_view column) {
  if (text.empty()) return v1::STAR_LEVEL_UNSPECIFIED;
  absl::StatusOr<v1::StarLevel> level = ParseStarLevel(text);
  if (!level.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(column, ": ", level.status().message()));
  }
  return *level;
}

namespace {

constexpr const char* kEventKinds =
    "surveillance, suspend, reinstate, revoke, withdraw, renew, change_scope";

// Parses renew text "NEW_ISSUE/NEW_EXPIRY[/SCORE/DEDUCTIONS/STAR]".
absl::Status ParseRenew(absl::string_view text, absl::string_view where,
                        v1::RenewCertificate* renew) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2 && parts.size() != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        ": renew needs NEW_ISSUE/NEW_EXPIRY dates (optionally followed "
        "by /SCORE/DEDUCTIONS/STAR_LEVEL), got ",
        Quote(text)));
  }
  const std::string issue_field = absl::StrCat(where, " new issue date");
  const std::string expiry_field = absl::StrCat(where, " new expiry date");
  CERTREG_ASSIGN_OR_RETURN(*renew->mutable_new_issue_date(),
                           ParseDate(parts[0], issue_field));
  CERTREG_ASSIGN_OR_RETURN(*renew->mutable_new_expiry_date(),
                           ParseDate(parts[1], expiry_field));
  if (parts.size() == 5) {
    v1::ServiceGrade* grade = renew->mutable_service_grade();
    CERTREG_ASSIGN_OR_RETURN(
        double score, ParseScore(parts[2], absl::StrCat(where, " score")));
    grade->set_score(score);
    CERTREG_ASSIGN_OR_RETURN(
        uint32_t deductions,
        ParseCount(parts[3], absl::StrCat(where, " special deductions")));
    grade->set_special_deductions(deductions);
    CERTREG_ASSIGN_OR_RETURN(
        v1::StarLevel star,
        ParseStar(parts[4], absl::StrCat(where, " star level")));
    grade->set_star_level(star);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseEvents(absl::string_view text, const std::string& number,
                         std::vector<v1::Statement>* events) {
  int index = 0;
  for (absl::string_view entry : SplitList(text)) {
    ++index;
    const std::string where = absl::StrCat("event ", index);
    auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(
          absl::StrCat("events: ", where, " ", Quote(entry), ": ", problem));
    };
    const size_t at = entry.find('@');
    if (at == absl::string_view::npos) {
      return error("expected kind@YYYY-MM-DD[:text]");
    }
    const absl::string_view kind =
        absl::StripAsciiWhitespace(entry.substr(0, at));
    absl::string_view rest = entry.substr(at + 1);
    const size_t colon = rest.find(':');
    const absl::string_view date_text = absl::StripAsciiWhitespace(
        colon == absl::string_view::npos ? rest : rest.substr(0, colon));
    const bool has_text = colon != absl::string_view::npos;
    const absl::string_view body = has_text ? rest.substr(colon + 1) : "";

    v1::Statement statement;
    statement.set_certificate_number(number);
    absl::StatusOr<v1::Date> date = ParseDate(date_text, "date");
    if (!date.ok()) return error(date.status().message());
    *statement.mutable_date() = *date;
    const std::string body_text(body);
    if (kind == "surveillance") {
      statement.mutable_surveillance()->set_note(body_text);
    } else if (kind == "suspend") {
      statement.mutable_suspend()->set_reason(body_text);
    } else if (kind == "reinstate") {
      statement.mutable_reinstate()->set_note(body_text);
    } else if (kind == "revoke") {
      statement.mutable_revoke()->set_reason(body_text);
    } else if (kind == "withdraw") {
      statement.mutable_withdraw()->set_reason(body_text);
    } else if (kind == "renew") {
      absl::Status renew = ParseRenew(body, "renew", statement.mutable_renew());
      if (!renew.ok()) return error(renew.message());
    } else if (kind == "change_scope") {
      statement.mutable_change_scope()->set_new_scope(body_text);
    } else {
      return error(absl::StrCat("unknown kind ", Quote(kind),
                                " (expected one of ", kEventKinds, ")"));
    }
    events->push_back(std::move(statement));
  }
  return absl::OkStatus();
}

std::string EventEntry(const v1::Statement& event) {
  std::string head = "";
  std::string text;
  switch (event.kind_case()) {
    case v1::Statement::kSurveillance:
      head = "surveillance";
      text = event.surveillance().note();
      break;
    case v1::Statement::kSuspend:
      head = "suspend";
      text = event.suspend().reason();
      break;
    case v1::Statement::kReinstate:
      head = "reinstate";
      text = event.reinstate().note();
      break;
    case v1::Statement::kRevoke:
      head = "revoke";
      text = event.revoke().reason();
      break;
    case v1::Statement::kWithdraw:
      head = "withdraw";
      text = event.withdraw().reason();
      break;
    case v1::Statement::kRenew: {
      const v1::RenewCertificate& renew = event.renew();
      head = "renew";
      text = absl::StrCat(FormatDate(renew.new_issue_date()), "/",
                          FormatDate(renew.new_expiry_date()));
      if (renew.has_service_grade()) {
        absl::StrAppend(&text, "/", FormatDouble(renew.service_grade().score()),
                        "/", renew.service_grade().special_deductions(), "/",
                        StarLevelName(renew.service_grade().star_level()));
      }
      break;
    }
    case v1::Statement::kChangeScope:
      head = "change_scope";
      text = event.change_scope().new_scope();
      break;
    default:
      return "";
  }
  std::string out = absl::StrCat(head, "@", FormatDate(event.date()));
  if (!text.empty()) absl::StrAppend(&out, ":", ListEntry(text));
  return out;
}

}  // namespace csv
}  // namespace certreg
