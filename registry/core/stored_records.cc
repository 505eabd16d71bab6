#include "registry/core/stored_records.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"

namespace certreg {

absl::Status NotInRegistry(absl::string_view number) {
  return absl::NotFoundError(
      absl::StrCat("certificate ", number, " is not in the registry"));
}

absl::Status CorruptRecord(absl::string_view number,
                           const absl::Status& problem) {
  return absl::DataLossError(absl::StrCat("certificate record ", number,
                                          " is corrupt: ", problem.message()));
}

absl::StatusOr<std::optional<v1::CertificateRecord>> LoadRecord(
    const ReadableStore& from, absl::string_view number) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           from.Get(Column::kCertificates, number));
  if (!bytes.has_value()) return std::nullopt;
  v1::CertificateRecord record;
  if (!record.ParseFromString(*bytes) || record.statements_size() == 0) {
    return absl::DataLossError(
        absl::StrCat("certificate record ", number, " is corrupt"));
  }
  return record;
}

absl::StatusOr<v1::CertificateRecord> RequireRecord(const ReadableStore& from,
                                                    absl::string_view number) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificateRecord> record,
                           LoadRecord(from, number));
  if (!record.has_value()) return NotInRegistry(number);
  return *std::move(record);
}

absl::StatusOr<CertificateChain> RestoreChain(v1::CertificateRecord& record) {
  const std::string number = record.chain().certificate().number();
  absl::StatusOr<CertificateChain> chain =
      CertificateChain::Restore(std::move(*record.mutable_chain()));
  if (!chain.ok()) return CorruptRecord(number, chain.status());
  return chain;
}

std::vector<uint64_t> LeafIndexesOf(const v1::CertificateRecord& record) {
  std::vector<uint64_t> indexes;
  indexes.reserve(record.statements_size());
  for (const v1::RecordedStatement& recorded : record.statements()) {
    indexes.push_back(recorded.leaf_index());
  }
  return indexes;
}

v1::RecordedStatement Recorded(const v1::Statement& statement,
                               std::string statement_hash,
                               uint64_t leaf_index) {
  v1::RecordedStatement recorded;
  recorded.set_kind(KindOf(statement));
  *recorded.mutable_date() = statement.date();
  recorded.set_details(DescribeStatement(statement));
  recorded.set_statement_hash(std::move(statement_hash));
  recorded.set_leaf_index(leaf_index);
  return recorded;
}

absl::StatusOr<std::optional<v1::CertificationBody>> LoadBody(
    const ReadableStore& from, absl::string_view approval_number) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           from.Get(Column::kBodies, approval_number));
  if (!bytes.has_value()) return std::nullopt;
  v1::CertificationBody body;
  if (!body.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("body record ", approval_number, " is corrupt"));
  }
  return body;
}

absl::StatusOr<v1::SignedStatement> LoadStatement(const MerkleLog& log,
                                                  uint64_t index) {
  CERTREG_ASSIGN_OR_RETURN(std::string data, log.LeafDataAt(index));
  return ParseLeafData(data);
}

}  // namespace certreg
