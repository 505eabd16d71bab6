#include "verifier/rules/date.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace certreg {

bool IsSet(const v1::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

absl::Status ValidateDate(const v1::Date& date, absl::string_view field) {
  if (!IsSet(date)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": date is required"));
  }
  if (date.year() < 1900 || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12 || date.day() < 1 || date.day() > 31) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(date), " is not a valid date"));
  }
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(date), " is not a valid date"));
  }
  return absl::OkStatus();
}

absl::CivilDay ToCivilDay(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

v1::Date ToProtoDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<v1::Date> ParseDate(absl::string_view text,
                                   absl::string_view field) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", text, "\" is not a date of the form YYYY-MM-DD"));
  }
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  absl::Status valid = ValidateDate(date, field);
  if (!valid.ok()) return valid;
  return date;
}

std::string FormatDate(const v1::Date& date) {
  if (!IsSet(date)) return "-";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

absl::CivilDay TodayInChina(absl::Time now) {
  return absl::ToCivilDay(now, absl::FixedTimeZone(8 * 60 * 60));
}

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  absl::CivilMonth month = absl::CivilMonth(day) + months;
  absl::CivilDay last_of_month = absl::CivilDay(month + 1) - 1;
  absl::CivilDay target(month.year(), month.month(), day.day());
  // CivilDay normalises 02-31 to 03-03; clamp to the month's last day instead.
  return absl::CivilMonth(target) == month ? target : last_of_month;
}

}  // namespace certreg
