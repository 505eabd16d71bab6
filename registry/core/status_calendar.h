#ifndef CERTREG_REGISTRY_CORE_STATUS_CALENDAR_H_
#define CERTREG_REGISTRY_CORE_STATUS_CALENDAR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/statement.pb.h"
#include "registry/storage/store.h"

namespace certreg {

// The calendar of date-driven status changes: for every certificate, the
// next day its status changes without anyone writing a statement (coming
// into force, an audit overdue, revocation due, expiry), kept in
// kStatusChanges (day \0 number) with kNextStatusChange (number -> day) so
// that an entry can be moved. Entries of days that have begun stay: they are
// the history a watcher catches up from.
//
// The writer moves a certificate's entry in the same batch as its
// statement (AddNextStatusChange); the daily pass (RunDailyPass), at the
// start of each day in China Standard Time, reads only that day's entries
// and enters each of those certificates' following change. New rules change
// every entry: the calendar is then rebuilt (Rebuild, at open).

// Moves `number`'s future entry to the next change of `chain_state` after
// `today` under `rules` (or removes it when none will come), into `batch`.
// `store` is read for the entry to move.
absl::Status AddNextStatusChange(const ReadableStore& store,
                                 const std::string& number,
                                 const v1::ChainState& chain_state,
                                 absl::CivilDay today,
                                 const v1::SchemeRules& rules,
                                 WriteBatch& batch);

// What a pass did: days passed, certificates whose entry it moved on.
struct PassStats {
  int days = 0;
  uint64_t moved = 0;
};

// Enters the changes of every day after the last pass up to `today`: for
// each certificate with an entry on such a day, its following change. One
// batch a day, with the day it completes (kMetaStatusPassDay).
absl::StatusOr<PassStats> RunDailyPass(Store& store, absl::CivilDay today,
                                       const v1::SchemeRules& rules);

// The last day passed (kMetaStatusPassDay); nullopt before the first pass.
absl::StatusOr<std::optional<absl::CivilDay>> LastPassDay(
    const ReadableStore& store);

// The numbers with an entry on `day`, after `after_number` (exclusive; empty
// for all), in order, at most `limit`.
absl::StatusOr<std::vector<std::string>> ChangesOn(
    const ReadableStore& store, absl::CivilDay day,
    const std::string& after_number, size_t limit);

// Whether the calendar is built for the rules in force (kMetaStatusIndex).
absl::StatusOr<bool> CalendarIsCurrent(const ReadableStore& store);

// Builds the calendar afresh from every certificate record: each
// certificate's next change after `today` under `rules` (entries of passed
// days stay). Marks it current and the pass done through `today`.
// `progress` (may be empty) hears how far it got.
absl::Status RebuildCalendar(Store& store, absl::CivilDay today,
                             const v1::SchemeRules& rules,
                             const std::function<void(uint64_t)>& progress);

// Marks the calendar stale (new rules were published): written in the
// rules statement's batch, rebuilt at the next open.
void MarkCalendarStale(WriteBatch& batch);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_STATUS_CALENDAR_H_
