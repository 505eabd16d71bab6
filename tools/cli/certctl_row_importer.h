#ifndef CERTREG_TOOLS_CLI_CERTCTL_ROW_IMPORTER_H_
#define CERTREG_TOOLS_CLI_CERTCTL_ROW_IMPORTER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "certreg/v1/registry.pb.h"
#include "tools/cli/certctl_import_queue.h"
#include "tools/cli/certctl_import_report.h"
#include "tools/demo/demo_data.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

// Signs and submits the statements of certctl import's rows, skipping what
// the registry already has, and reports each row to an ImportReport. One
// per worker thread; the client and report are shared.
class RowImporter {
 public:
  // Neither is owned; both must outlive the importer.
  RowImporter(RegistryClient* client, ImportReport* report)
      : client_(client), report_(report) {}

  // The registry's limit of statements per SubmitStatements call.
  static constexpr size_t kMaxStatements = 1000;

  // The rows of `group` in one SubmitStatements call: every row's chain is
  // signed here (each event naming the hash of the one before), so a new
  // certificate needs no round trip of its own. A row whose certificate the
  // registry already has, a row too long for the call, and every row when
  // the registry has no SubmitStatements, go the resumable way (Import).
  void ImportGroup(const std::vector<ImportJob>& group);

  // One statement per call, resuming a certificate the registry already
  // has: what it holds must be the row's certificate as issued; the events
  // it lacks are added. `completed_here`: this run already added some of
  // its events (the row is then reported completed, not skipped).
  void Import(const ImportJob& job, bool completed_here = false);

 private:
  using Receipts = std::vector<absl::StatusOr<v1::StatementReceipt>>;

  // A row whose chain is among a call's statements, from `first` on.
  struct SignedRow {
    const ImportJob* job;
    size_t first;
  };

  // Signs the chain of each row of `group` onto `statements`; the rows
  // that cannot go in the call are imported one by one, or reported.
  std::vector<SignedRow> SignGroup(
      const std::vector<ImportJob>& group,
      std::vector<v1::SignedStatement>& statements);

  // Reports (or resumes) `job`, whose statements are results[first, end).
  void ReportRow(const ImportJob& job, const absl::StatusOr<Receipts>& results,
                 size_t first, size_t end);

  // How many of `job`'s statements the registry holds (0 when it has not
  // the certificate), with the head of the chain set on `writer`. Nothing,
  // the row reported failed, when it holds another certificate of that
  // number or could not be asked.
  std::optional<size_t> StatementsHeld(const ImportJob& job,
                                       ChainWriter& writer);

  RegistryClient* const client_;
  ImportReport* const report_;
};

// Signs `job`'s issue statement and its events with its key, each event
// naming the hash of the statement before, and appends them to
// `statements`. On error (the signature's) nothing is appended. `job` must
// have a key.
absl::Status SignChain(const ImportJob& job,
                       std::vector<v1::SignedStatement>& statements);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_ROW_IMPORTER_H_
