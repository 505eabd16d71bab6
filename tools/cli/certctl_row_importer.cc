#include "tools/cli/certctl_row_importer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "verifier/crypto/signed_statement.h"

namespace certreg {

absl::Status SignChain(const ImportJob& job,
                       std::vector<v1::SignedStatement>& statements) {
  const size_t first = statements.size();
  std::string previous;
  for (size_t i = 0; i <= job.record.events.size(); ++i) {
    v1::Statement statement = i == 0 ? job.issue : job.record.events[i - 1];
    if (i > 0) statement.set_previous_event_hash(previous);
    absl::StatusOr<v1::SignedStatement> signed_statement =
        SignStatement(statement, *job.key);
    if (!signed_statement.ok()) {
      statements.resize(first);
      return signed_statement.status();
    }
    previous = StatementHash(*signed_statement);
    statements.push_back(*std::move(signed_statement));
  }
  return absl::OkStatus();
}

void RowImporter::ImportGroup(const std::vector<ImportJob>& group) {
  std::vector<v1::SignedStatement> statements;
  const std::vector<SignedRow> rows = SignGroup(group, statements);
  if (rows.empty()) return;
  absl::StatusOr<Receipts> results = client_->SubmitBatch(statements);
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t end =
        r + 1 < rows.size() ? rows[r + 1].first : statements.size();
    ReportRow(*rows[r].job, results, rows[r].first, end);
  }
}

std::vector<RowImporter::SignedRow> RowImporter::SignGroup(
    const std::vector<ImportJob>& group,
    std::vector<v1::SignedStatement>& statements) {
  std::vector<SignedRow> rows;
  for (const ImportJob& job : group) {
    if (!job.key.has_value() ||
        statements.size() + 1 + job.record.events.size() > kMaxStatements) {
      Import(job);  // reports the missing key, or goes one by one
      continue;
    }
    const size_t first = statements.size();
    absl::Status signed_all = SignChain(job, statements);
    if (!signed_all.ok()) {
      report_->Failed(job.line, job.row, job.record.certificate.number(),
                      std::string(signed_all.message()));
      continue;
    }
    rows.push_back({&job, first});
  }
  return rows;
}

void RowImporter::ReportRow(const ImportJob& job,
                            const absl::StatusOr<Receipts>& results,
                            size_t first, size_t end) {
  const std::string& number = job.record.certificate.number();
  if (absl::IsUnimplemented(results.status())) {
    Import(job);  // a registry without SubmitStatements
    return;
  }
  if (!results.ok()) {
    report_->Failed(job.line, job.row, number,
                    std::string(results.status().message()));
    return;
  }
  const absl::Status& issued = (*results)[first].status();
  if (absl::IsAlreadyExists(issued)) {
    // There already (an interrupted run): compare, then add what is
    // missing. Events of this batch may have completed it just now.
    bool added = false;
    for (size_t i = first + 1; i < end; ++i) {
      added = added || (*results)[i].ok();
    }
    Import(job, added);
    return;
  }
  if (!issued.ok()) {
    report_->Failed(job.line, job.row, number, std::string(issued.message()));
    return;
  }
  for (size_t i = first + 1; i < end; ++i) {
    const absl::Status& status = (*results)[i].status();
    if (status.ok()) continue;
    report_->Failed(
        job.line, job.row, number,
        absl::StrCat("events[", i - first - 1, "]: ", status.message()));
    return;
  }
  report_->Imported();
}

std::optional<size_t> RowImporter::StatementsHeld(const ImportJob& job,
                                                  ChainWriter& writer) {
  const v1::Certificate& c = job.record.certificate;
  v1::GetCertificateRequest get;
  get.set_number(c.number());
  absl::StatusOr<v1::GetCertificateResponse> existing =
      client_->GetCertificate(get);
  if (absl::IsNotFound(existing.status())) return 0;
  if (!existing.ok()) {
    report_->Failed(job.line, job.row, c.number(),
                    std::string(existing.status().message()));
    return std::nullopt;
  }
  v1::Statement issued;
  if (existing->history().empty() ||
      !issued.ParseFromString(
          existing->history(0).signed_statement().statement()) ||
      !google::protobuf::util::MessageDifferencer::Equals(
          issued.issue().certificate(), c)) {
    report_->Failed(job.line, job.row, c.number(),
                    "number: already issued in the registry with different "
                    "content");
    return std::nullopt;
  }
  writer.SetHead(c.number(), existing->head_event_hash());
  return existing->history_size();
}

void RowImporter::Import(const ImportJob& job, bool completed_here) {
  const v1::Certificate& c = job.record.certificate;
  if (!job.key.has_value()) {
    report_->Failed(job.line, job.row, c.number(),
                    absl::StrCat("body_approval_number: no key for ",
                                 c.body_approval_number(), " in --keys_dir"));
    return;
  }
  ChainWriter writer(
      *job.key, [this](v1::StatementKind kind, const v1::SignedStatement& s) {
        return client_->Submit(kind, s);
      });
  std::optional<size_t> have = StatementsHeld(job, writer);
  if (!have.has_value()) return;
  if (*have >= 1 + job.record.events.size()) {
    completed_here ? report_->Completed() : report_->Skipped();
    return;
  }
  const bool resumed = *have > 0;
  if (*have == 0) {
    absl::StatusOr<v1::StatementReceipt> receipt = writer.Submit(job.issue);
    if (!receipt.ok()) {
      report_->Failed(job.line, job.row, c.number(),
                      std::string(receipt.status().message()));
      return;
    }
    have = 1;
  }
  for (size_t i = *have - 1; i < job.record.events.size(); ++i) {
    absl::StatusOr<v1::StatementReceipt> receipt =
        writer.Submit(job.record.events[i]);
    if (!receipt.ok()) {
      report_->Failed(
          job.line, job.row, c.number(),
          absl::StrCat("events[", i, "]: ", receipt.status().message()));
      return;
    }
  }
  resumed ? report_->Completed() : report_->Imported();
}

}  // namespace certreg
