#include "registry/core/status_calendar.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/certificate_chain.h"

namespace certreg {
namespace {

constexpr absl::string_view kCalendarCurrent = "1";

}  // namespace

absl::Status AddNextStatusChange(const ReadableStore& store,
                                 const std::string& number,
                                 const v1::ChainState& chain_state,
                                 absl::CivilDay today,
                                 const v1::SchemeRules& rules,
                                 WriteBatch& batch) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> old,
                           store.Get(Column::kNextStatusChange, number));
  if (old.has_value()) {
    // A day that has begun keeps its entry: it is history (or today's pass
    // still has to read it).
    std::optional<absl::CivilDay> day = DecodeDay(*old);
    if (day.has_value() && *day > today) {
      batch.Delete(Column::kStatusChanges, StatusChangeKey(*day, number));
    }
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> next,
                           NextStatusChangeOfState(chain_state, today, rules));
  if (next.has_value()) {
    batch.Put(Column::kStatusChanges, StatusChangeKey(*next, number), "");
    batch.Put(Column::kNextStatusChange, number, EncodeDay(*next));
  } else {
    batch.Delete(Column::kNextStatusChange, number);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<absl::CivilDay>> LastPassDay(
    const ReadableStore& store) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> value,
                           store.Get(Column::kMeta, kMetaStatusPassDay));
  if (!value.has_value()) return std::nullopt;
  std::optional<absl::CivilDay> day = DecodeDay(*value);
  if (!day.has_value()) {
    return absl::DataLossError("meta status_pass_day: not a day");
  }
  return day;
}

absl::StatusOr<std::vector<std::string>> ChangesOn(
    const ReadableStore& store, absl::CivilDay day,
    const std::string& after_number, size_t limit) {
  const std::string prefix = StatusChangePrefix(day);
  std::unique_ptr<Cursor> cursor =
      store.NewCursor(Column::kStatusChanges, StatusChangePrefix(day + 1));
  std::vector<std::string> numbers;
  CERTREG_ASSIGN_OR_RETURN(
      bool valid,
      cursor->Seek(after_number.empty() ? prefix
                                        : StatusChangeKey(day, after_number)));
  while (valid && numbers.size() < limit) {
    std::optional<std::pair<absl::CivilDay, std::string>> key =
        ParseStatusChangeKey(cursor->key());
    if (!key.has_value() || key->first != day) break;
    if (key->second != after_number) numbers.push_back(std::move(key->second));
    CERTREG_ASSIGN_OR_RETURN(valid, cursor->Next());
  }
  return numbers;
}

absl::StatusOr<PassStats> RunDailyPass(Store& store, absl::CivilDay today,
                                       const v1::SchemeRules& rules) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> last,
                           LastPassDay(store));
  if (!last.has_value()) last = today - 1;
  PassStats stats;
  for (absl::CivilDay day = *last + 1; day <= today; ++day, ++stats.days) {
    WriteBatch batch;
    std::string after;
    for (;;) {
      CERTREG_ASSIGN_OR_RETURN(std::vector<std::string> numbers,
                               ChangesOn(store, day, after, 1000));
      if (numbers.empty()) break;
      for (const std::string& number : numbers) {
        CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> next,
                                 store.Get(Column::kNextStatusChange, number));
        // Only the certificate's current entry moves on; an older one is
        // history kept for watchers.
        if (!next.has_value() || DecodeDay(*next) != day) continue;
        CERTREG_ASSIGN_OR_RETURN(v1::CertificateRecord record,
                                 RequireRecord(store, number));
        CERTREG_RETURN_IF_ERROR(AddNextStatusChange(
            store, number, record.chain(), day, rules, batch));
        ++stats.moved;
      }
      after = numbers.back();
    }
    batch.Put(Column::kMeta, kMetaStatusPassDay, EncodeDay(day));
    CERTREG_RETURN_IF_ERROR(store.Write(batch));
  }
  return stats;
}

absl::StatusOr<bool> CalendarIsCurrent(const ReadableStore& store) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> value,
                           store.Get(Column::kMeta, kMetaStatusIndex));
  return value.has_value() && *value == kCalendarCurrent;
}

absl::Status RebuildCalendar(Store& store, absl::CivilDay today,
                             const v1::SchemeRules& rules,
                             const std::function<void(uint64_t)>& progress) {
  std::unique_ptr<Cursor> cursor = store.NewCursor(Column::kCertificates, "");
  CERTREG_ASSIGN_OR_RETURN(bool valid, cursor->Seek(""));
  uint64_t done = 0;
  WriteBatch batch;
  while (valid) {
    v1::CertificateRecord record;
    if (!record.ParseFromArray(cursor->value().data(),
                               static_cast<int>(cursor->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "certificate record ", cursor->key(), ": does not parse"));
    }
    CERTREG_RETURN_IF_ERROR(
        AddNextStatusChange(store, std::string(cursor->key()), record.chain(),
                            today, rules, batch));
    if (++done % 10000 == 0) {
      CERTREG_RETURN_IF_ERROR(store.WriteUnsynced(batch));
      batch = WriteBatch();
      if (progress) progress(done);
    }
    CERTREG_ASSIGN_OR_RETURN(valid, cursor->Next());
  }
  batch.Put(Column::kMeta, kMetaStatusIndex, kCalendarCurrent);
  batch.Put(Column::kMeta, kMetaStatusPassDay, EncodeDay(today));
  return store.Write(batch);
}

void MarkCalendarStale(WriteBatch& batch) {
  batch.Delete(Column::kMeta, kMetaStatusIndex);
}

}  // namespace certreg
