#ifndef CERTREG_REGISTRY_CORE_STORED_RECORDS_H_
#define CERTREG_REGISTRY_CORE_STORED_RECORDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"
#include "verifier/rules/certificate_chain.h"

namespace certreg {

// The registry core's stored records, as every part reads them: a
// certificate's record (its chain's state and history, under its number in
// kCertificates), a body's record (kBodies) and the logged statements. Each
// function reads the store it is given: the writer the latest state, readers
// the durable view.

// Where readers read: a view of what is durable, taken afresh for each
// request (Store::DurableView), so that nothing a crash could still take
// away is shown.
using DurableViewSource = std::function<std::shared_ptr<const ReadableStore>()>;

// The holder name postings in kNameIndex are the n-grams of this length
// (bigrams) of the normalised name: the writer posts them, search reads them.
inline constexpr int kNameGramLength = 2;

// NOT_FOUND for certificate `number`.
absl::Status NotInRegistry(absl::string_view number);

// DATA_LOSS for certificate `number`'s record, which `problem` refused.
absl::Status CorruptRecord(absl::string_view number,
                           const absl::Status& problem);

// Certificate `number`'s record in `from`; nullopt when unknown, DATA_LOSS
// when corrupt.
absl::StatusOr<std::optional<v1::CertificateRecord>> LoadRecord(
    const ReadableStore& from, absl::string_view number);

// LoadRecord, NOT_FOUND when unknown.
absl::StatusOr<v1::CertificateRecord> RequireRecord(const ReadableStore& from,
                                                    absl::string_view number);

// The chain of a stored record (moved out of it); DATA_LOSS when the record
// is malformed.
absl::StatusOr<CertificateChain> RestoreChain(v1::CertificateRecord& record);

// The log indexes of `record`'s statements, in chain order: what replaying
// it reads.
std::vector<uint64_t> LeafIndexesOf(const v1::CertificateRecord& record);

// The history entry of `statement`, logged at `leaf_index`, for its
// certificate's record.
v1::RecordedStatement Recorded(const v1::Statement& statement,
                               std::string statement_hash, uint64_t leaf_index);

// Body `approval_number`'s record in `from`; nullopt when unknown, DATA_LOSS
// when corrupt.
absl::StatusOr<std::optional<v1::CertificationBody>> LoadBody(
    const ReadableStore& from, absl::string_view approval_number);

// The signed statement at leaf `index` of `log`.
absl::StatusOr<v1::SignedStatement> LoadStatement(const MerkleLog& log,
                                                  uint64_t index);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_STORED_RECORDS_H_
