#include "registry/core/change_feed.h"

#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "registry/core/status_calendar.h"
#include "registry/core/stored_records.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/date.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

constexpr absl::string_view kCursorPrefix = "w1.";

// Log entries read at a time.
constexpr uint64_t kEntriesPerRead = 256;

// The STATEMENT change of a log entry, with the certificate it is about in
// `certificate.certificate` (for matching; cleared before it is sent).
absl::StatusOr<v1::CertificateChange> StatementChange(
    const v1::LogEntry& entry, const v1::Statement& statement,
    const v1::CertificateRecord& record, const v1::SignedCheckpoint& checkpoint,
    const v1::SchemeRules& rules) {
  const absl::CivilDay date = ToCivilDay(statement.date());
  v1::CertificateChange change;
  change.set_kind(v1::CHANGE_KIND_STATEMENT);
  change.set_certificate_number(statement.certificate_number());
  change.set_statement_kind(KindOf(statement));
  change.set_leaf_index(entry.index());
  *change.mutable_signed_statement() = entry.signed_statement();
  *change.mutable_checkpoint() = checkpoint;
  CERTREG_ASSIGN_OR_RETURN(*change.mutable_status(),
                           StatusOfState(record.chain(), date, rules));
  CERTREG_ASSIGN_OR_RETURN(*change.mutable_previous_status(),
                           StatusOfState(record.chain(), date - 1, rules));
  *change.mutable_certificate()->mutable_certificate() =
      record.chain().certificate();
  return change;
}

uint64_t TreeSizeOf(const v1::SignedCheckpoint& signed_checkpoint) {
  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(signed_checkpoint.checkpoint());
  return checkpoint.tree_size();
}

}  // namespace

void ChangeNotifier::Notify() {
  absl::MutexLock lock(&mu_);
  ++generation_;
}

uint64_t ChangeNotifier::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

uint64_t ChangeNotifier::WaitBeyond(uint64_t seen, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto moved = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return generation_ != seen;
  };
  mu_.AwaitWithDeadline(absl::Condition(&moved), deadline);
  return generation_;
}

WatchMatcher::WatchMatcher(v1::WatchFilter filter)
    : filter_(std::move(filter)) {
  numbers_.insert(filter_.certificate_numbers().begin(),
                  filter_.certificate_numbers().end());
  credit_codes_.insert(filter_.unified_social_credit_codes().begin(),
                       filter_.unified_social_credit_codes().end());
  bodies_.insert(filter_.body_approval_numbers().begin(),
                 filter_.body_approval_numbers().end());
}

absl::StatusOr<WatchMatcher> WatchMatcher::New(const v1::WatchFilter& filter) {
  const int terms = filter.certificate_numbers_size() +
                    filter.unified_social_credit_codes_size() +
                    filter.body_approval_numbers_size();
  if (terms == 0) {
    return absl::InvalidArgumentError(
        "filter: name at least one certificate number, credit code or body");
  }
  if (terms > kMaxWatchTerms) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filter: ", terms, " terms; a watch takes at most ", kMaxWatchTerms));
  }
  for (const auto* list :
       {&filter.certificate_numbers(), &filter.unified_social_credit_codes(),
        &filter.body_approval_numbers()}) {
    for (const std::string& term : *list) {
      if (term.empty() || term.size() > 64) {
        return absl::InvalidArgumentError(
            "filter: every term must be 1 to 64 characters");
      }
    }
  }
  return WatchMatcher(filter);
}

bool WatchMatcher::Matches(const v1::Certificate& certificate) const {
  return numbers_.contains(certificate.number()) ||
         credit_codes_.contains(
             certificate.holder().unified_social_credit_code()) ||
         bodies_.contains(certificate.body_approval_number());
}

std::string ChangeFeed::EncodeCursor(const v1::WatchCursor& position) {
  return absl::StrCat(kCursorPrefix,
                      absl::WebSafeBase64Escape(position.SerializeAsString()));
}

absl::StatusOr<v1::WatchCursor> ChangeFeed::DecodeCursor(
    absl::string_view text) {
  std::string bytes;
  v1::WatchCursor position;
  if (!absl::ConsumePrefix(&text, kCursorPrefix) ||
      !absl::WebSafeBase64Unescape(text, &bytes) ||
      !position.ParseFromString(bytes) ||
      !ValidateDate(position.day(), "cursor.day").ok()) {
    return absl::InvalidArgumentError(
        "cursor: not a cursor of this registry's WatchCertificates");
  }
  return position;
}

absl::StatusOr<std::vector<v1::CertificateChange>> ChangeFeed::Start(
    const WatchMatcher& matcher, size_t limit, v1::WatchCursor& position) {
  CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint checkpoint,
                           log_.PublishCheckpoint());
  position.Clear();
  position.set_next_leaf_index(TreeSizeOf(checkpoint));
  *position.mutable_day() = ToProtoDate(TodayInChina(now_()) + 1);
  const std::string cursor = EncodeCursor(position);

  std::vector<std::string> numbers(
      matcher.filter().certificate_numbers().begin(),
      matcher.filter().certificate_numbers().end());
  auto add_search = [&](v1::SearchCertificatesRequest search) -> absl::Status {
    search.set_page_size(100);
    do {
      CERTREG_ASSIGN_OR_RETURN(v1::SearchCertificatesResponse page,
                               search_.SearchCertificates(search));
      for (const v1::CertificateSummary& hit : page.certificates()) {
        numbers.push_back(hit.number());
      }
      search.set_page_token(page.next_page_token());
    } while (!search.page_token().empty() && numbers.size() < limit);
    return absl::OkStatus();
  };
  for (const std::string& code :
       matcher.filter().unified_social_credit_codes()) {
    v1::SearchCertificatesRequest search;
    search.set_query(code);
    CERTREG_RETURN_IF_ERROR(add_search(search));
  }
  for (const std::string& body : matcher.filter().body_approval_numbers()) {
    v1::SearchCertificatesRequest search;
    search.set_body_approval_number(body);
    CERTREG_RETURN_IF_ERROR(add_search(search));
  }
  std::vector<v1::CertificateChange> changes;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& number : numbers) {
    if (changes.size() >= limit || !seen.insert(number).second) continue;
    v1::GetCertificateRequest request;
    request.set_number(number);
    request.set_view(v1::CERTIFICATE_VIEW_BASIC);
    absl::StatusOr<v1::GetCertificateResponse> found =
        reader_.GetCertificate(request);
    if (absl::IsNotFound(found.status()) ||
        absl::IsInvalidArgument(found.status())) {
      continue;  // not issued (yet): its issue statement will come
    }
    if (!found.ok()) return found.status();
    if (!matcher.Matches(found->certificate())) continue;  // a search hit
    v1::CertificateChange& change = changes.emplace_back();
    change.set_kind(v1::CHANGE_KIND_CURRENT_STATE);
    change.set_certificate_number(number);
    *change.mutable_status() = found->status();
    *change.mutable_certificate() = *std::move(found);
    change.set_cursor(cursor);
  }
  return changes;
}

absl::StatusOr<std::vector<v1::CertificateChange>> ChangeFeed::Next(
    const WatchMatcher& matcher, v1::WatchCursor& position, size_t max,
    const v1::SignedCheckpoint* checkpoint) {
  std::vector<Watch> watches(1);
  watches[0].matcher = &matcher;
  watches[0].position = std::move(position);
  if (checkpoint != nullptr) {
    CERTREG_RETURN_IF_ERROR(NextForEach(watches, *checkpoint, max));
  } else {
    CERTREG_ASSIGN_OR_RETURN(const v1::SignedCheckpoint latest,
                             LatestCheckpoint());
    CERTREG_RETURN_IF_ERROR(NextForEach(watches, latest, max));
  }
  position = std::move(watches[0].position);
  return std::move(watches[0].changes);
}

absl::Status ChangeFeed::NextForEach(std::vector<Watch>& watches,
                                     const v1::SignedCheckpoint& checkpoint,
                                     size_t max) {
  CERTREG_RETURN_IF_ERROR(AddStatements(watches, checkpoint, max));
  for (Watch& watch : watches) {
    if (watch.changes.size() >= max) continue;
    CERTREG_RETURN_IF_ERROR(
        AddStatusChanges(*watch.matcher, watch.position, max, watch.changes));
  }
  return absl::OkStatus();
}

absl::Status ChangeFeed::AddStatements(std::vector<Watch>& watches,
                                       const v1::SignedCheckpoint& checkpoint,
                                       size_t max) {
  const uint64_t end = TreeSizeOf(checkpoint);
  // The log is read once, from the watch furthest behind.
  uint64_t next = end;
  for (const Watch& watch : watches) {
    next = std::min(next, watch.position.next_leaf_index());
  }
  const std::shared_ptr<const ReadableStore> durable = durable_();
  const v1::SchemeRules& rules = rules_.current()->rules;
  auto open = [&](const Watch& watch, uint64_t index) {
    return watch.changes.size() < max &&
           watch.position.next_leaf_index() <= index;
  };
  while (next < end) {
    v1::GetEntriesRequest request;
    request.set_start(next);
    request.set_end(std::min(end, next + kEntriesPerRead));
    CERTREG_ASSIGN_OR_RETURN(v1::GetEntriesResponse entries,
                             log_.GetEntries(request));
    for (v1::LogEntry& entry : *entries.mutable_entries()) {
      const uint64_t index = entry.index();
      next = index + 1;
      if (std::none_of(watches.begin(), watches.end(),
                       [&](const Watch& w) { return open(w, index); })) {
        return absl::OkStatus();  // every watch is full
      }
      CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                               ParseSignedStatement(entry.signed_statement()));
      std::optional<v1::CertificateChange> change;  // made once, if matched
      for (Watch& watch : watches) {
        if (!open(watch, index)) continue;
        watch.position.set_next_leaf_index(index + 1);
        if (statement.certificate_number().empty()) continue;  // authority
        if (!change.has_value()) {
          CERTREG_ASSIGN_OR_RETURN(
              v1::CertificateRecord record,
              RequireRecord(*durable, statement.certificate_number()));
          CERTREG_ASSIGN_OR_RETURN(
              change,
              StatementChange(entry, statement, record, checkpoint, rules));
        }
        if (!watch.matcher->Matches(change->certificate().certificate())) {
          continue;
        }
        v1::CertificateChange& added = watch.changes.emplace_back(*change);
        added.clear_certificate();
        added.set_cursor(EncodeCursor(watch.position));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ChangeFeed::AddStatusChanges(
    const WatchMatcher& matcher, v1::WatchCursor& position, size_t max,
    std::vector<v1::CertificateChange>& changes) {
  const std::shared_ptr<const ReadableStore> durable = durable_();
  CERTREG_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> passed,
                           LastPassDay(*durable));
  if (!passed.has_value()) return absl::OkStatus();
  const v1::SchemeRules& rules = rules_.current()->rules;
  absl::CivilDay day = ToCivilDay(position.day());
  while (day <= *passed && changes.size() < max) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<std::string> numbers,
        ChangesOn(*durable, day, position.last_number(), kEntriesPerRead));
    if (numbers.empty()) {
      day += 1;
      *position.mutable_day() = ToProtoDate(day);
      position.clear_last_number();
      continue;
    }
    for (const std::string& number : numbers) {
      if (changes.size() >= max) break;
      position.set_last_number(number);
      CERTREG_ASSIGN_OR_RETURN(v1::CertificateRecord record,
                               RequireRecord(*durable, number));
      if (!matcher.Matches(record.chain().certificate())) continue;
      CERTREG_ASSIGN_OR_RETURN(v1::EffectiveStatus now,
                               StatusOfState(record.chain(), day, rules));
      CERTREG_ASSIGN_OR_RETURN(v1::EffectiveStatus before,
                               StatusOfState(record.chain(), day - 1, rules));
      // A later statement may have made the day an ordinary one.
      if (SameEffectiveStatus(now, before)) continue;
      v1::CertificateChange& change = changes.emplace_back();
      change.set_kind(v1::CHANGE_KIND_STATUS_CHANGE);
      change.set_certificate_number(number);
      *change.mutable_effective_date() = ToProtoDate(day);
      *change.mutable_status() = std::move(now);
      *change.mutable_previous_status() = std::move(before);
      change.set_cursor(EncodeCursor(position));
    }
  }
  return absl::OkStatus();
}

}  // namespace certreg
