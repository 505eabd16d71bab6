#include "registry/core/record_upgrade.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/paging.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"

namespace certreg {
namespace {

constexpr size_t kPage = 1000;

// The records of one page of `rows` (number -> leaf indexes) into `batch`.
absl::Status UpgradePage(const MerkleLog& log,
                         const std::vector<KeyValue>& rows, WriteBatch& batch) {
  for (const auto& [number, value] : rows) {
    std::optional<std::vector<uint64_t>> indexes = DecodeLeafIndexes(value);
    if (!indexes.has_value()) {
      return absl::DataLossError(
          absl::StrCat("certificate record ", number, " is corrupt"));
    }
    absl::StatusOr<v1::CertificateRecord> record = ReplayRecord(log, *indexes);
    if (!record.ok()) {
      // Name the certificate: its chain no longer replays (a missing leaf,
      // or rules that refuse what was once accepted).
      return absl::DataLossError(
          absl::StrCat("upgrading the record of certificate ", number, ": ",
                       record.status().message()));
    }
    batch.Put(Column::kCertificates, number, record->SerializeAsString());
  }
  return absl::OkStatus();
}

// Rewrites every certificate's pre-record entry as a CertificateRecord,
// page by page, after those a previous run already did.
absl::Status Upgrade(Store& store, const MerkleLog& log,
                     const std::function<void(absl::string_view)>& tell) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> done,
                           store.Get(Column::kMeta, kMetaRecordUpgradeAfter));
  std::string start = done.has_value() ? KeyAfter(*done) : "";
  tell(done.has_value()
           ? absl::StrCat("resuming the upgrade of certificate records after ",
                          *done)
           : "upgrading certificate records to the current format (once; "
             "every chain is replayed from the log)");
  uint64_t upgraded = 0;
  while (true) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<KeyValue> rows,
        store.Scan(Column::kCertificates, start, "", kPage));
    if (rows.empty()) break;
    WriteBatch batch;
    CERTREG_RETURN_IF_ERROR(UpgradePage(log, rows, batch));
    // The page and how far the upgrade got, together: a crash resumes after
    // the last page written and never reads a record as the old format.
    batch.Put(Column::kMeta, kMetaRecordUpgradeAfter, rows.back().first);
    CERTREG_RETURN_IF_ERROR(store.Write(batch));
    start = KeyAfter(rows.back().first);
    upgraded += rows.size();
    if (upgraded % 100000 == 0) {
      tell(absl::StrCat(upgraded, " certificate records upgraded"));
    }
  }
  tell(absl::StrCat("certificate records upgraded: ", upgraded));
  WriteBatch finish;
  finish.Put(Column::kMeta, kMetaRecordFormat, kRecordFormat);
  finish.Delete(Column::kMeta, kMetaRecordUpgradeAfter);
  return store.Write(finish);
}

}  // namespace

absl::Status UpgradeCertificateRecords(
    Store& store, const MerkleLog& log,
    const std::function<void(absl::string_view)>& progress) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> record_format,
                           store.Get(Column::kMeta, kMetaRecordFormat));
  if (!record_format.has_value()) {
    return Upgrade(store, log, [&progress](absl::string_view what) {
      if (progress) progress(what);
    });
  }
  if (*record_format != kRecordFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this data directory's certificate records are in format \"",
        *record_format, "\", which this registry does not read (it reads ",
        kRecordFormat, "; a newer certreg may have written them)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CertificateRecord> ReplayRecord(
    const MerkleLog& log, const std::vector<uint64_t>& indexes,
    std::vector<v1::SignedStatement>* loaded) {
  v1::CertificateRecord record;
  std::optional<CertificateChain> chain;
  for (uint64_t index : indexes) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(log, index));
    CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                             ParseSignedStatement(signed_statement));
    std::string hash = StatementHash(signed_statement);
    if (!chain.has_value()) {
      CERTREG_ASSIGN_OR_RETURN(CertificateChain started,
                               CertificateChain::Start(statement, hash));
      chain.emplace(std::move(started));
    } else {
      CERTREG_RETURN_IF_ERROR(chain->Apply(statement, hash));
    }
    *record.add_statements() = Recorded(statement, std::move(hash), index);
    if (loaded != nullptr) loaded->push_back(std::move(signed_statement));
  }
  if (!chain.has_value()) {
    return absl::DataLossError("a certificate record lists no statements");
  }
  *record.mutable_chain() = chain->State();
  return record;
}

}  // namespace certreg
