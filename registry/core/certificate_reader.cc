#include "registry/core/certificate_reader.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/record_upgrade.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"

namespace certreg {
namespace {

// How many of `record`'s statements are dated on or before `as_of`: they are
// in chain order with dates never going backwards, so those are a prefix
// (the issue statement always counts).
int StatementsUpTo(const v1::CertificateRecord& record, absl::CivilDay as_of) {
  int shown = 1;
  while (shown < record.statements_size() &&
         ToCivilDay(record.statements(shown).date()) <= as_of) {
    ++shown;
  }
  return shown;
}

// The certificate its issue statement, `statements.front()`, and the later
// ones make; DATA_LOSS for certificate `number` if they do not start with
// an issue.
absl::StatusOr<v1::Certificate> FoldStatements(
    absl::string_view number, const std::vector<v1::Statement>& statements) {
  if (statements.empty() ||
      statements.front().kind_case() != v1::Statement::kIssue) {
    return CorruptRecord(
        number, absl::DataLossError("its first statement is not an issue"));
  }
  v1::Certificate certificate = statements.front().issue().certificate();
  for (size_t i = 1; i < statements.size(); ++i) {
    FoldIntoCertificate(statements[i], certificate);
  }
  return certificate;
}

}  // namespace

absl::StatusOr<v1::GetCertificateResponse> CertificateReader::GetCertificate(
    const v1::GetCertificateRequest& request) const {
  CERTREG_RETURN_IF_ERROR(
      ValidateCertificateNumber(request.number(), "number"));
  absl::CivilDay as_of = TodayInChina(now_());
  if (request.has_as_of()) {
    CERTREG_RETURN_IF_ERROR(ValidateDate(request.as_of(), "as_of"));
    as_of = ToCivilDay(request.as_of());
  }
  if (!v1::CertificateView_IsValid(request.view())) {
    return absl::InvalidArgumentError(
        absl::StrCat("view: ", request.view(), " is not a CertificateView"));
  }
  const bool full = request.view() != v1::CERTIFICATE_VIEW_BASIC;
  // What a crash could still take away is not shown.
  const std::shared_ptr<const ReadableStore> durable = durable_();
  CERTREG_ASSIGN_OR_RETURN(v1::CertificateRecord record,
                           RequireRecord(*durable, request.number()));
  v1::GetCertificateResponse response;
  CERTREG_RETURN_IF_ERROR(FillAsOf(record, as_of, full, response));
  return response;
}

absl::StatusOr<v1::Certificate> CertificateReader::CertificateAsOf(
    const v1::CertificateRecord& record, absl::CivilDay as_of) const {
  const int shown = StatementsUpTo(record, as_of);
  std::vector<v1::Statement> statements;
  for (int i = 0; i < shown; ++i) {
    CERTREG_ASSIGN_OR_RETURN(
        v1::SignedStatement signed_statement,
        LoadStatement(log_, record.statements(i).leaf_index()));
    CERTREG_ASSIGN_OR_RETURN(statements.emplace_back(),
                             ParseSignedStatement(signed_statement));
  }
  return FoldStatements(record.chain().certificate().number(), statements);
}

absl::Status CertificateReader::FillAsOf(
    v1::CertificateRecord& record, absl::CivilDay as_of, bool full,
    v1::GetCertificateResponse& response) const {
  const std::string number = record.chain().certificate().number();
  const int shown = StatementsUpTo(record, as_of);
  // As of a day before its latest statement, the certificate is replayed.
  const bool replay = shown < record.statements_size();
  response.set_later_event_count(record.statements_size() - shown);
  CERTREG_ASSIGN_OR_RETURN(std::vector<v1::SignedStatement> signed_statements,
                           CheckedStatements(record));
  CERTREG_ASSIGN_OR_RETURN(
      const std::vector<v1::Statement> statements,
      FillHistory(record, signed_statements, shown, full, replay, response));
  CERTREG_ASSIGN_OR_RETURN(CertificateChain chain, RestoreChain(record));
  if (std::optional<absl::CivilDay> last = chain.LastSurveillance(as_of)) {
    *response.mutable_last_surveillance_date() = ToProtoDate(*last);
  }
  response.set_surveillance_count(chain.SurveillanceCount(as_of));
  *response.mutable_status() = chain.StatusAsOf(as_of, rules_.current()->rules);
  response.set_head_event_hash(chain.head_hash());
  if (!replay) {
    *response.mutable_certificate() = std::move(chain).TakeCertificate();
  } else {
    CERTREG_ASSIGN_OR_RETURN(*response.mutable_certificate(),
                             FoldStatements(number, statements));
  }
  SetStarLevelNames(response.certificate().service_grade().star_level(),
                    response.mutable_star_level_name_zh(),
                    response.mutable_star_level_name_en());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::SignedStatement>>
CertificateReader::CheckedStatements(
    const v1::CertificateRecord& record) const {
  const std::string& number = record.chain().certificate().number();
  std::vector<v1::SignedStatement> signed_statements;
  absl::StatusOr<v1::CertificateRecord> replayed =
      ReplayRecord(log_, LeafIndexesOf(record), &signed_statements);
  if (!replayed.ok()) return CorruptRecord(number, replayed.status());
  if (replayed->SerializeAsString() != record.SerializeAsString()) {
    return CorruptRecord(
        number, absl::DataLossError(
                    "it differs from the signed statements it was derived "
                    "from (the database was altered or damaged; run certctl "
                    "scrub, restore from a backup)"));
  }
  return signed_statements;
}

absl::StatusOr<std::vector<v1::Statement>> CertificateReader::FillHistory(
    v1::CertificateRecord& record,
    std::vector<v1::SignedStatement>& signed_statements, int shown, bool full,
    bool replay, v1::GetCertificateResponse& response) const {
  std::vector<v1::Statement> statements;
  response.mutable_history()->Reserve(shown);
  for (int i = 0; i < shown; ++i) {
    v1::RecordedStatement& recorded = *record.mutable_statements(i);
    v1::HistoryEntry* entry = response.add_history();
    entry->set_kind(recorded.kind());
    *entry->mutable_date() = recorded.date();
    entry->set_details(std::move(*recorded.mutable_details()));
    entry->set_statement_hash(std::move(*recorded.mutable_statement_hash()));
    entry->set_leaf_index(recorded.leaf_index());
    if (!full && !replay) continue;
    v1::SignedStatement& signed_statement = signed_statements[i];
    if (replay) {
      CERTREG_ASSIGN_OR_RETURN(statements.emplace_back(),
                               ParseSignedStatement(signed_statement));
    }
    if (full) *entry->mutable_signed_statement() = std::move(signed_statement);
  }
  return statements;
}

}  // namespace certreg
