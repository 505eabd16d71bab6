#ifndef CERTREG_TOOLS_CLI_CERTIFICATE_CSV_FIELDS_H_
#define CERTREG_TOOLS_CLI_CERTIFICATE_CSV_FIELDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {
namespace csv {

// The text forms of single fields of the certificate CSV (certificate_csv.h,
// docs/CSV.md), which its reader and writer share: lists, numbers, star
// levels and the events column. Errors are INVALID_ARGUMENT, naming the
// column given.

// `text` in double quotes for an error message, cut after 60 bytes (on a
// UTF-8 character boundary) with "...".
std::string Quote(absl::string_view text);

// A list field's entries: split on ';', each trimmed of ASCII whitespace,
// empty ones skipped.
std::vector<absl::string_view> SplitList(absl::string_view text);

// `text` made safe as a list entry: ';' replaced by the full-width '；', and
// '|' by '｜' when `no_bar` (a site's name).
std::string ListEntry(absl::string_view text, bool no_bar = false);

// The shortest decimal that reads back as exactly `value`: "92.5", "90".
std::string FormatDouble(double value);

// A finite number; "COLUMN: \"TEXT\" is not a number" otherwise.
absl::StatusOr<double> ParseScore(absl::string_view text,
                                  absl::string_view column);

// A non-negative integer, empty meaning 0; "COLUMN: \"TEXT\" is not a
// non-negative integer" otherwise.
absl::StatusOr<uint32_t> ParseCount(absl::string_view text,
                                    absl::string_view column);

// The writer's name of a star level: compliant, three, four, five; empty
// for none.
absl::string_view StarLevelName(v1::StarLevel level);

// A star level by any name ParseStarLevel takes (the writer's "four",
// 四星级, 4, ...); empty leaves it unset. "COLUMN: ..." otherwise.
absl::StatusOr<v1::StarLevel> ParseStar(absl::string_view text,
                                        absl::string_view column);

// The events column: entries "kind@YYYY-MM-DD[:text]" separated by ';'
// (certificate_csv.h lists the kinds and their texts), appended to
// `events` as statements on certificate `number`, dated, without
// previous_event_hash. "events: event N \"ENTRY\": ..." for the first entry
// that does not parse.
absl::Status ParseEvents(absl::string_view text, const std::string& number,
                         std::vector<v1::Statement>* events);

// `event` as an entry of the events column, e.g. "suspend@2025-12-21:reason"
// or "renew@2027-01-05:2027-01-10/2030-01-09"; empty for a statement that
// is not a certificate event (issue, a body's statements).
std::string EventEntry(const v1::Statement& event);

}  // namespace csv
}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTIFICATE_CSV_FIELDS_H_
