#ifndef CERTREG_TOOLS_CLI_CERTIFICATE_CSV_H_
#define CERTREG_TOOLS_CLI_CERTIFICATE_CSV_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {

// The documented CSV form of certificates, used by `certctl generate`,
// `import` and `export`.
//
// File format: UTF-8 text per RFC 4180. Fields are separated by commas; a
// field holding a comma, a double quote, CR or LF is enclosed in double
// quotes, and a double quote inside it is doubled (""). Rows end with LF or
// CRLF (the writer uses LF; a lone CR also ends a row). A UTF-8 byte order
// mark at the start of the file is skipped. Completely empty lines between
// rows are skipped.
//
// The first row is the header: it names each column exactly once, in any
// order. Unknown columns and missing required columns are errors. Columns
// (the writer's order is CertificateCsvColumns()):
//
//   number                证书编号, e.g. 90126Q21540R2M
//   type                  management_system | service | product
//   item_code             certification item, e.g. A01
//   item_name             e.g. 质量管理体系认证（ISO 9001）
//   basis                 standards, separated by ";"
//   holder_name           组织名称
//   credit_code           统一社会信用代码 (18 characters)
//   holder_address        注册地址
//   sites                 optional column; further sites as "name|address"
//                         entries separated by ";" (the address may hold "|")
//   scope                 认证覆盖的业务范围
//   first_issue_date      YYYY-MM-DD
//   issue_date            YYYY-MM-DD
//   expiry_date           YYYY-MM-DD
//   body_approval_number  e.g. CNCA-R-2002-001
//   body_name             认证机构名称
//   recertification_count optional column; a non-negative integer, empty = 0
//   score                 GB/T 27922 only (otherwise empty): 0-100, e.g. 92.5
//   special_deductions    GB/T 27922 only: a non-negative integer, empty = 0
//   star_level            optional column; GB/T 27922 only:
//                         compliant | three | four | five (the writer's
//                         names); the reader also takes 达标级, 三星级,
//                         四星级, 五星级, 3, 4, 5 and the other names
//                         ParseStarLevel (verifier/status_names.h) takes
//   events                optional column; the history after issue, entries
//                         separated by ";", each "kind@YYYY-MM-DD" optionally
//                         followed by ":text":
//                           surveillance@D[:note]
//                           suspend@D:reason
//                           reinstate@D[:note]
//                           revoke@D:reason
//                           withdraw@D:reason
//                           renew@D:NEW_ISSUE/NEW_EXPIRY
//                             (optionally /SCORE/DEDUCTIONS/STAR_LEVEL for a
//                             GB/T 27922 re-grading)
//                           change_scope@D:new scope
//
// An empty date, type or score leaves the field unset (ValidateRecord then
// reports it). A row's service grade is present when any of score,
// special_deductions and star_level is non-empty.
//
// List entries (basis, sites, events) are trimmed of surrounding ASCII
// whitespace and empty entries are skipped. A literal ";" cannot appear inside
// a list entry (nor "|" inside a site name): the writer replaces them with the
// full-width "；" and "｜". The new site list of a change_scope event and the
// nonce of statements are not represented. Everything else round-trips
// exactly: reading what the writer wrote gives back the same record.

// One CSV row: a certificate as issued and its later events.
struct CertificateRecord {
  v1::Certificate certificate;
  // Events in chain order, without previous_event_hash (the submitter fills
  // it in) and nonce; each has its date, certificate_number and kind set.
  std::vector<v1::Statement> events;
};

// The columns, in the order the writer uses.
std::vector<std::string> CertificateCsvColumns();

// Streaming reader: one row at a time, O(1) memory beyond the current row.
class CertificateCsvReader {
 public:
  // Reads and checks the header row from `in` (not owned; must outlive the
  // reader). INVALID_ARGUMENT naming the column for an unknown, duplicated or
  // missing required column, or for an empty input.
  static absl::StatusOr<std::unique_ptr<CertificateCsvReader>> Open(
      std::istream* in);

  // The next row; std::nullopt at the end of the input. A malformed row
  // (wrong field count, unterminated quote, bad date, number, enum, site or
  // event syntax) returns INVALID_ARGUMENT with a message starting
  // "<column>: " when one column is at fault (where the row is comes from
  // row_number, line_number and certificate_number); the next call continues
  // with the following row. Domain rules are not checked here: see
  // ValidateRecord.
  absl::StatusOr<std::optional<CertificateRecord>> Next();

  // 1-based number of the data row last returned by Next (good or bad);
  // 0 before the first.
  int64_t row_number() const { return row_number_; }
  // 1-based line of the file where that row starts (the header is line 1).
  int64_t line_number() const { return row_line_; }
  // That row's certificate number as written (even in a malformed row),
  // empty when the row has no number column.
  const std::string& certificate_number() const { return row_number_text_; }

 private:
  explicit CertificateCsvReader(std::istream* in) : in_(in) {}

  // Reads one raw record into `fields`. Returns false at end of input.
  // Sets `error` for malformed quoting.
  bool ReadFields(std::vector<std::string>* fields, std::string* error);
  absl::Status ParseRow(const std::vector<std::string>& fields,
                        CertificateRecord* record) const;

  std::istream* in_;
  int64_t line_ = 1;  // line of the next character
  int64_t row_number_ = 0;
  int64_t row_line_ = 0;
  std::string row_number_text_;
  // For each column of the file, its index in CertificateCsvColumns().
  std::vector<int> column_ids_;
  std::vector<std::string> fields_;
};

// Domain checks of a row: ValidateCertificate, then every event replayed
// under the registry's statement rules (dates in order and not before the
// issue date, surveillance inside the validity period, nothing after a
// revocation, reinstate only when suspended, ...). INVALID_ARGUMENT (or
// FAILED_PRECONDITION for an illegal transition) with a message
// "<column>: <message>", e.g. "credit_code: check character is 'X', expected
// '3'" or "events: event 2 (reinstate@2025-03-01): ...".
absl::Status ValidateRecord(const CertificateRecord& record);

// Writes the header and rows; the inverse of CertificateCsvReader.
class CertificateCsvWriter {
 public:
  // `out` is not owned and must outlive the writer.
  explicit CertificateCsvWriter(std::ostream* out) : out_(out) {}

  // Writes the header row (CertificateCsvColumns()).
  void WriteHeader();
  // Writes one row. Events that are not certificate events (issue, body
  // statements) are left out.
  void Write(const CertificateRecord& record);

 private:
  std::ostream* out_;
  std::string line_;
};

// One line of JSON (no newline inside or at the end):
//   {"certificate":{...},"events":[{...},...]}
// with the protobuf JSON mapping of the Certificate and of each Statement,
// keeping the proto field names (e.g. "first_issue_date").
std::string CertificateRecordToJsonLine(const CertificateRecord& record);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTIFICATE_CSV_H_
