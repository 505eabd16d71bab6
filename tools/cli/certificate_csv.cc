#include "tools/cli/certificate_csv.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/certificate_csv_fields.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using csv::EventEntry;
using csv::FormatDouble;
using csv::ListEntry;
using csv::ParseCount;
using csv::ParseEvents;
using csv::ParseScore;
using csv::ParseStar;
using csv::Quote;
using csv::SplitList;
using csv::StarLevelName;

enum Column {
  kNumber,
  kType,
  kItemCode,
  kItemName,
  kBasis,
  kHolderName,
  kCreditCode,
  kHolderAddress,
  kSites,
  kScope,
  kFirstIssueDate,
  kIssueDate,
  kExpiryDate,
  kBodyApprovalNumber,
  kBodyName,
  kRecertificationCount,
  kScore,
  kSpecialDeductions,
  kStarLevel,
  kEvents,
  kColumnCount,
};

constexpr const char* kColumnNames[kColumnCount] = {
    "number",
    "type",
    "item_code",
    "item_name",
    "basis",
    "holder_name",
    "credit_code",
    "holder_address",
    "sites",
    "scope",
    "first_issue_date",
    "issue_date",
    "expiry_date",
    "body_approval_number",
    "body_name",
    "recertification_count",
    "score",
    "special_deductions",
    "star_level",
    "events",
};

bool IsOptionalColumn(int column) {
  return column == kSites || column == kRecertificationCount ||
         column == kStarLevel || column == kEvents;
}

absl::Status ColumnError(int column, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(kColumnNames[column], ": ", message));
}

absl::string_view TypeName(v1::CertificationType type) {
  switch (type) {
    case v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM:
      return "management_system";
    case v1::CERTIFICATION_TYPE_SERVICE:
      return "service";
    case v1::CERTIFICATION_TYPE_PRODUCT:
      return "product";
    default:
      return "";
  }
}

absl::StatusOr<v1::CertificationType> ParseType(absl::string_view text) {
  if (text.empty()) return v1::CERTIFICATION_TYPE_UNSPECIFIED;
  for (v1::CertificationType type :
       {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM,
        v1::CERTIFICATION_TYPE_SERVICE, v1::CERTIFICATION_TYPE_PRODUCT}) {
    if (text == TypeName(type)) return type;
  }
  return ColumnError(kType, absl::StrCat(Quote(text),
                                         " is not one of management_system, "
                                         "service, product"));
}

// Parses an optional date: empty leaves `date` unset.
absl::Status ParseOptionalDate(absl::string_view text, int column,
                               v1::Date* date) {
  if (text.empty()) return absl::OkStatus();
  CERTREG_ASSIGN_OR_RETURN(*date, ParseDate(text, kColumnNames[column]));
  return absl::OkStatus();
}

absl::Status ParseSites(absl::string_view text, v1::Holder* holder) {
  int index = 0;
  for (absl::string_view entry : SplitList(text)) {
    ++index;
    const size_t bar = entry.find('|');
    if (bar == absl::string_view::npos) {
      return ColumnError(kSites,
                         absl::StrCat("entry ", index, " ", Quote(entry),
                                      ": expected name|address"));
    }
    v1::Site* site = holder->add_sites();
    site->set_name(
        std::string(absl::StripAsciiWhitespace(entry.substr(0, bar))));
    site->set_address(
        std::string(absl::StripAsciiWhitespace(entry.substr(bar + 1))));
  }
  return absl::OkStatus();
}

// Appends `field` to `line`, quoted when it needs to be.
void AppendField(absl::string_view field, std::string* line) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    line->append(field.data(), field.size());
    return;
  }
  line->push_back('"');
  for (char c : field) {
    if (c == '"') line->push_back('"');
    line->push_back(c);
  }
  line->push_back('"');
}

// Maps ValidateCertificate's field paths to columns, longest prefix first.
struct PathColumn {
  const char* path;
  int column;
};
constexpr PathColumn kPathColumns[] = {
    {"certificate.holder.unified_social_credit_code", kCreditCode},
    {"certificate.service_grade.special_deductions", kSpecialDeductions},
    {"certificate.service_grade.star_level", kStarLevel},
    {"certificate.service_grade.score", kScore},
    {"certificate.service_grade", kScore},
    {"certificate.body_approval_number", kBodyApprovalNumber},
    {"certificate.first_issue_date", kFirstIssueDate},
    {"certificate.holder.address", kHolderAddress},
    {"certificate.holder.sites", kSites},
    {"certificate.holder.name", kHolderName},
    {"certificate.expiry_date", kExpiryDate},
    {"certificate.issue_date", kIssueDate},
    {"certificate.item.code", kItemCode},
    {"certificate.item.name", kItemName},
    {"certificate.body_name", kBodyName},
    {"certificate.number", kNumber},
    {"certificate.basis", kBasis},
    {"certificate.scope", kScope},
    {"certificate.type", kType},
};

// "certificate.holder.sites[1].name: msg" -> "sites: entry 2 name: msg".
std::string ToColumnMessage(absl::string_view message) {
  for (const PathColumn& pc : kPathColumns) {
    absl::string_view path = pc.path;
    if (!absl::StartsWith(message, path)) continue;
    absl::string_view rest = message.substr(path.size());
    if (!rest.empty() && rest[0] != ':' && rest[0] != '[' && rest[0] != '.') {
      continue;
    }
    std::string where;
    if (absl::ConsumePrefix(&rest, "[")) {
      const size_t close = rest.find(']');
      int index = 0;
      if (close != absl::string_view::npos &&
          absl::SimpleAtoi(rest.substr(0, close), &index)) {
        where = absl::StrCat("entry ", index + 1);
        rest.remove_prefix(close + 1);
      }
    }
    if (absl::ConsumePrefix(&rest, ".")) {
      const size_t colon = rest.find(':');
      absl::StrAppend(&where, where.empty() ? "" : " ", rest.substr(0, colon));
      rest.remove_prefix(colon == absl::string_view::npos ? rest.size()
                                                          : colon);
    }
    absl::ConsumePrefix(&rest, ":");
    rest = absl::StripLeadingAsciiWhitespace(rest);
    return absl::StrCat(kColumnNames[pc.column], ": ", where,
                        where.empty() ? "" : ": ", rest);
  }
  return std::string(message);
}

}  // namespace

std::vector<std::string> CertificateCsvColumns() {
  return std::vector<std::string>(kColumnNames, kColumnNames + kColumnCount);
}

absl::StatusOr<std::unique_ptr<CertificateCsvReader>>
CertificateCsvReader::Open(std::istream* in) {
  std::unique_ptr<CertificateCsvReader> reader(new CertificateCsvReader(in));
  // Skip a UTF-8 byte order mark.
  std::streambuf* buf = in->rdbuf();
  if (buf->sgetc() == 0xEF) {
    char bom[3];
    std::streamsize got = buf->sgetn(bom, 3);
    if (got != 3 || bom[1] != '\xBB' || bom[2] != '\xBF') {
      // Not a BOM: push the bytes back where possible.
      for (std::streamsize k = got; k > 0; --k) buf->sungetc();
    }
  }
  std::vector<std::string> header;
  std::string error;
  do {
    if (!reader->ReadFields(&header, &error)) {
      return absl::InvalidArgumentError(
          "header: the file is empty; the first row must name the columns");
    }
  } while (header.size() == 1 && header[0].empty() && error.empty());
  if (!error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("header: ", error));
  }
  std::vector<bool> seen(kColumnCount, false);
  for (std::string& name : header) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(name);
    int id = -1;
    for (int c = 0; c < kColumnCount; ++c) {
      if (trimmed == kColumnNames[c]) id = c;
    }
    if (id < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "header: unknown column ", Quote(trimmed), "; the columns are ",
          absl::StrJoin(CertificateCsvColumns(), ", ")));
    }
    if (seen[id]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "header: column \"", kColumnNames[id], "\" appears twice"));
    }
    seen[id] = true;
    reader->column_ids_.push_back(id);
  }
  for (int c = 0; c < kColumnCount; ++c) {
    if (!seen[c] && !IsOptionalColumn(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "header: required column \"", kColumnNames[c], "\" is missing"));
    }
  }
  return reader;
}

bool CertificateCsvReader::ReadFields(std::vector<std::string>* fields,
                                      std::string* error) {
  fields->clear();
  error->clear();
  std::streambuf* buf = in_->rdbuf();
  using Traits = std::streambuf::traits_type;
  int c = buf->sbumpc();
  if (c == Traits::eof()) return false;
  const int64_t start_line = line_;
  std::string field;
  while (true) {
    // At the start of a field.
    if (c == '"') {
      bool closed = false;
      while (true) {
        c = buf->sbumpc();
        if (c == Traits::eof()) break;
        if (c == '\n') ++line_;
        if (c == '"') {
          c = buf->sbumpc();
          if (c == '"') {
            field.push_back('"');
            continue;
          }
          closed = true;
          break;
        }
        field.push_back(static_cast<char>(c));
      }
      if (!closed) {
        if (error->empty()) {
          *error = absl::StrCat(
              "unterminated quoted field (the row starts on "
              "line ",
              start_line, ")");
        }
        fields->push_back(std::move(field));
        return true;
      }
      // After the closing quote: text up to the separator is kept, but the
      // row is malformed.
      while (c != ',' && c != '\n' && c != '\r' && c != Traits::eof()) {
        if (error->empty()) {
          *error = absl::StrCat("field ", fields->size() + 1,
                                ": text after a closing quote");
        }
        field.push_back(static_cast<char>(c));
        c = buf->sbumpc();
      }
    } else {
      while (c != ',' && c != '\n' && c != '\r' && c != Traits::eof()) {
        field.push_back(static_cast<char>(c));
        c = buf->sbumpc();
      }
    }
    fields->push_back(std::move(field));
    field.clear();
    if (c == ',') {
      c = buf->sbumpc();
      continue;
    }
    // End of the row.
    if (c == '\r' && buf->sgetc() == '\n') buf->sbumpc();
    if (c != Traits::eof()) ++line_;
    return true;
  }
}

absl::StatusOr<std::optional<CertificateRecord>> CertificateCsvReader::Next() {
  std::string error;
  while (true) {
    const int64_t start_line = line_;
    if (!ReadFields(&fields_, &error)) return std::nullopt;
    // Completely empty lines are not rows.
    if (fields_.size() == 1 && fields_[0].empty() && error.empty()) continue;
    ++row_number_;
    row_line_ = start_line;
    break;
  }
  row_number_text_.clear();
  for (size_t i = 0; i < fields_.size() && i < column_ids_.size(); ++i) {
    if (column_ids_[i] == kNumber) row_number_text_ = fields_[i];
  }
  if (!error.empty()) return absl::InvalidArgumentError(error);
  if (fields_.size() != column_ids_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the row has ", fields_.size(), " fields, the header has ",
                     column_ids_.size()));
  }
  CertificateRecord record;
  CERTREG_RETURN_IF_ERROR(ParseRow(fields_, &record));
  return std::optional<CertificateRecord>(std::move(record));
}

absl::Status CertificateCsvReader::ParseRow(
    const std::vector<std::string>& fields, CertificateRecord* record) const {
  std::vector<absl::string_view> value(kColumnCount);
  for (size_t i = 0; i < fields.size(); ++i) {
    value[column_ids_[i]] = fields[i];
  }
  v1::Certificate& c = record->certificate;
  c.set_number(std::string(value[kNumber]));
  CERTREG_ASSIGN_OR_RETURN(v1::CertificationType type, ParseType(value[kType]));
  c.set_type(type);
  c.mutable_item()->set_code(std::string(value[kItemCode]));
  c.mutable_item()->set_name(std::string(value[kItemName]));
  for (absl::string_view basis : SplitList(value[kBasis])) {
    c.add_basis(std::string(basis));
  }
  v1::Holder* holder = c.mutable_holder();
  holder->set_name(std::string(value[kHolderName]));
  holder->set_unified_social_credit_code(std::string(value[kCreditCode]));
  holder->set_address(std::string(value[kHolderAddress]));
  CERTREG_RETURN_IF_ERROR(ParseSites(value[kSites], holder));
  c.set_scope(std::string(value[kScope]));
  CERTREG_RETURN_IF_ERROR(ParseOptionalDate(
      value[kFirstIssueDate], kFirstIssueDate, c.mutable_first_issue_date()));
  CERTREG_RETURN_IF_ERROR(
      ParseOptionalDate(value[kIssueDate], kIssueDate, c.mutable_issue_date()));
  CERTREG_RETURN_IF_ERROR(ParseOptionalDate(value[kExpiryDate], kExpiryDate,
                                            c.mutable_expiry_date()));
  c.set_body_approval_number(std::string(value[kBodyApprovalNumber]));
  c.set_body_name(std::string(value[kBodyName]));
  CERTREG_ASSIGN_OR_RETURN(uint32_t recertifications,
                           ParseCount(value[kRecertificationCount],
                                      kColumnNames[kRecertificationCount]));
  c.set_recertification_count(recertifications);
  if (!value[kScore].empty() || !value[kSpecialDeductions].empty() ||
      !value[kStarLevel].empty()) {
    v1::ServiceGrade* grade = c.mutable_service_grade();
    if (!value[kScore].empty()) {
      CERTREG_ASSIGN_OR_RETURN(double score,
                               ParseScore(value[kScore], kColumnNames[kScore]));
      grade->set_score(score);
    }
    CERTREG_ASSIGN_OR_RETURN(uint32_t deductions,
                             ParseCount(value[kSpecialDeductions],
                                        kColumnNames[kSpecialDeductions]));
    grade->set_special_deductions(deductions);
    CERTREG_ASSIGN_OR_RETURN(
        v1::StarLevel star,
        ParseStar(value[kStarLevel], kColumnNames[kStarLevel]));
    grade->set_star_level(star);
  }
  return ParseEvents(value[kEvents], c.number(), &record->events);
}

absl::Status ValidateRecord(const CertificateRecord& record) {
  const v1::Certificate& c = record.certificate;
  absl::Status valid = ValidateCertificate(c);
  if (!valid.ok()) {
    return absl::Status(valid.code(), ToColumnMessage(valid.message()));
  }
  v1::Statement issue;
  *issue.mutable_date() = c.issue_date();
  issue.set_certificate_number(c.number());
  *issue.mutable_issue()->mutable_certificate() = c;
  absl::StatusOr<CertificateChain> chain = CertificateChain::Start(issue, "0");
  if (!chain.ok()) {
    return absl::Status(chain.status().code(),
                        ToColumnMessage(chain.status().message()));
  }
  for (size_t i = 0; i < record.events.size(); ++i) {
    v1::Statement event = record.events[i];
    event.set_previous_event_hash(std::to_string(i));
    absl::Status applied = chain->Apply(event, std::to_string(i + 1));
    if (!applied.ok()) {
      std::string name = EventEntry(event);
      name = name.substr(0, name.find(':'));
      if (name.empty()) name = std::string(KindName(KindOf(event)));
      return absl::Status(applied.code(),
                          absl::StrCat(kColumnNames[kEvents], ": event ", i + 1,
                                       " (", name, "): ", applied.message()));
    }
  }
  return absl::OkStatus();
}

void CertificateCsvWriter::WriteHeader() {
  line_.clear();
  for (int c = 0; c < kColumnCount; ++c) {
    if (c > 0) line_.push_back(',');
    line_.append(kColumnNames[c]);
  }
  line_.push_back('\n');
  out_->write(line_.data(), line_.size());
}

void CertificateCsvWriter::Write(const CertificateRecord& record) {
  const v1::Certificate& c = record.certificate;
  std::vector<std::string> values(kColumnCount);
  values[kNumber] = c.number();
  values[kType] = std::string(TypeName(c.type()));
  values[kItemCode] = c.item().code();
  values[kItemName] = c.item().name();
  std::vector<std::string> list;
  for (const std::string& basis : c.basis()) list.push_back(ListEntry(basis));
  values[kBasis] = absl::StrJoin(list, ";");
  values[kHolderName] = c.holder().name();
  values[kCreditCode] = c.holder().unified_social_credit_code();
  values[kHolderAddress] = c.holder().address();
  list.clear();
  for (const v1::Site& site : c.holder().sites()) {
    list.push_back(absl::StrCat(ListEntry(site.name(), /*no_bar=*/true), "|",
                                ListEntry(site.address())));
  }
  values[kSites] = absl::StrJoin(list, ";");
  values[kScope] = c.scope();
  if (IsSet(c.first_issue_date())) {
    values[kFirstIssueDate] = FormatDate(c.first_issue_date());
  }
  if (IsSet(c.issue_date())) values[kIssueDate] = FormatDate(c.issue_date());
  if (IsSet(c.expiry_date())) values[kExpiryDate] = FormatDate(c.expiry_date());
  values[kBodyApprovalNumber] = c.body_approval_number();
  values[kBodyName] = c.body_name();
  values[kRecertificationCount] = absl::StrCat(c.recertification_count());
  if (c.has_service_grade()) {
    values[kScore] = FormatDouble(c.service_grade().score());
    values[kSpecialDeductions] =
        absl::StrCat(c.service_grade().special_deductions());
    values[kStarLevel] =
        std::string(StarLevelName(c.service_grade().star_level()));
  }
  list.clear();
  for (const v1::Statement& event : record.events) {
    std::string text = EventEntry(event);
    if (!text.empty()) list.push_back(std::move(text));
  }
  values[kEvents] = absl::StrJoin(list, ";");

  line_.clear();
  for (int i = 0; i < kColumnCount; ++i) {
    if (i > 0) line_.push_back(',');
    AppendField(values[i], &line_);
  }
  line_.push_back('\n');
  out_->write(line_.data(), line_.size());
}

std::string CertificateRecordToJsonLine(const CertificateRecord& record) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = false;
  std::string out = "{\"certificate\":";
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(record.certificate, &json,
                                                   options)
           .ok()) {
    json = "{}";
  }
  out += json;
  out += ",\"events\":[";
  for (size_t i = 0; i < record.events.size(); ++i) {
    json.clear();
    if (!google::protobuf::util::MessageToJsonString(record.events[i], &json,
                                                     options)
             .ok()) {
      json = "{}";
    }
    if (i > 0) out += ",";
    out += json;
  }
  out += "]}";
  return out;
}

}  // namespace certreg
