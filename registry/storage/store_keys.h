#ifndef CERTREG_REGISTRY_STORAGE_STORE_KEYS_H_
#define CERTREG_REGISTRY_STORAGE_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace certreg {

// Key and value layouts of the registry's columns (see store.h).

// 8-byte big-endian, so keys sort in numeric order.
std::string EncodeUint64(uint64_t value);
std::optional<uint64_t> DecodeUint64(absl::string_view bytes);

// kNameIndex / kCreditCodeIndex key: term \0 certificate number. Terms never
// contain \0 (normalised text and credit codes are printable).
std::string PostingKey(absl::string_view term, absl::string_view number);
// The prefix shared by every posting of `term`.
std::string PostingPrefix(absl::string_view term);

// kBodyStatements value (and kCertificates value in data directories from
// before kMetaRecordFormat): log indexes in log order, 8 bytes each.
std::string EncodeLeafIndexes(const std::vector<uint64_t>& indexes);
std::optional<std::vector<uint64_t>> DecodeLeafIndexes(absl::string_view bytes);

// kStatusChanges key: the day (days since 1970-01-01, 8 bytes big-endian)
// \0 the certificate number; the prefix of a day's keys; and the parts of
// a key (nullopt when malformed).
std::string StatusChangeKey(absl::CivilDay day, absl::string_view number);
std::string StatusChangePrefix(absl::CivilDay day);
std::optional<std::pair<absl::CivilDay, std::string>> ParseStatusChangeKey(
    absl::string_view key);
// kNextStatusChange value: the day as in StatusChangeKey.
std::string EncodeDay(absl::CivilDay day);
std::optional<absl::CivilDay> DecodeDay(absl::string_view bytes);

// kMerkleNodes key: level (1 byte) + index (8 bytes big-endian).
std::string MerkleNodeKey(int level, uint64_t index);

// kMeta names.
inline constexpr absl::string_view kMetaTreeSize = "tree_size";
inline constexpr absl::string_view kMetaOperatorKeyId = "operator_key_id";
inline constexpr absl::string_view kMetaLogKeyId = "log_key_id";
inline constexpr absl::string_view kMetaLatestCheckpoint = "latest_checkpoint";
// The log index (8 bytes, big-endian) of the latest scheme rules statement;
// absent until the operator publishes one.
inline constexpr absl::string_view kMetaRulesLeaf = "rules_leaf";
// Present (value kRecordFormat) once kCertificates holds CertificateRecord
// protos; older directories are upgraded when opened.
inline constexpr absl::string_view kMetaRecordFormat = "record_format";
inline constexpr absl::string_view kRecordFormat = "2";
// Present (value kStatusIndexFormat) once kStatusChanges and
// kNextStatusChange hold every certificate's next change under the current
// rules; absent in older directories and after new rules are published (the
// index is then built again when the registry opens).
inline constexpr absl::string_view kMetaStatusIndex = "status_index";
// The last day (EncodeDay) whose date-driven changes were entered.
inline constexpr absl::string_view kMetaStatusPassDay = "status_pass_day";
// While upgrading: the last certificate number already rewritten.
inline constexpr absl::string_view kMetaRecordUpgradeAfter =
    "record_upgrade_after";

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_STORE_KEYS_H_
