#ifndef CERTREG_VERIFIER_RULES_DATE_H_
#define CERTREG_VERIFIER_RULES_DATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/certificate.pb.h"

namespace certreg {

// Calendar dates for certificates. A certreg::v1::Date is a civil day in China
// Standard Time (UTC+8); these helpers convert it to and from absl::CivilDay,
// which does the calendar arithmetic.

// True when `date` is set (any field non-zero).
bool IsSet(const v1::Date& date);

// Validates `date` as a real calendar day between years 1900 and 9999.
// `field` names the field in the error, e.g. "certificate.issue_date".
// Returns INVALID_ARGUMENT when unset or not a real day.
absl::Status ValidateDate(const v1::Date& date, absl::string_view field);

// Converts without validation: call ValidateDate first on untrusted input.
absl::CivilDay ToCivilDay(const v1::Date& date);
v1::Date ToProtoDate(absl::CivilDay day);

// Parses "YYYY-MM-DD". INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<v1::Date> ParseDate(absl::string_view text,
                                   absl::string_view field = "date");

// Formats as "YYYY-MM-DD"; "-" for an unset date.
std::string FormatDate(const v1::Date& date);

// The civil day of `now` in China Standard Time.
absl::CivilDay TodayInChina(absl::Time now = absl::Now());

// `day` plus `months` calendar months; the day of month is clamped to the
// target month's last day (2026-01-31 + 1 month = 2026-02-28).
absl::CivilDay AddMonths(absl::CivilDay day, int months);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_DATE_H_
