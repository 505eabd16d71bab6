#ifndef CERTREG_REGISTRY_CORE_RECORD_UPGRADE_H_
#define CERTREG_REGISTRY_CORE_RECORD_UPGRADE_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/record.pb.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"

namespace certreg {

// Brings `store`'s certificate records to the current format
// (kRecordFormat) before anything reads them: a data directory from before
// certificate records kept only each certificate's leaf indexes, and every
// chain is replayed from `log` once to write its record. The upgrade is
// durable and resumable, page by page (a crash resumes after the last page
// written); `progress` (may be empty) is told how it goes.
//
// OK at once when the records are current. FAILED_PRECONDITION for a format
// this registry does not read (a newer certreg's); DATA_LOSS naming a
// certificate whose chain no longer replays.
absl::Status UpgradeCertificateRecords(
    Store& store, const MerkleLog& log,
    const std::function<void(absl::string_view)>& progress);

// The record of the certificate whose statements are at `indexes` of `log`,
// by replaying them; the signed statements read, in order, into `*loaded`
// when given.
absl::StatusOr<v1::CertificateRecord> ReplayRecord(
    const MerkleLog& log, const std::vector<uint64_t>& indexes,
    std::vector<v1::SignedStatement>* loaded = nullptr);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_RECORD_UPGRADE_H_
