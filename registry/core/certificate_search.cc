#include "registry/core/certificate_search.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "registry/core/paging.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/text_normalize.h"

namespace certreg {

// A request, checked and normalised.
struct CertificateSearch::Query {
  int page_size = 0;
  absl::CivilDay as_of;
  std::string resume_after;  // the last candidate the previous page examined
  std::string normalized;    // the query, normalised
  bool by_credit_code = false;
};

namespace {

// The certificate numbers under one term of a posting column (or, with the
// kCertificates column and an empty term, every number) in order, through
// one cursor. Asked for ever larger numbers, it steps and seeks forward.
class NumberStream {
 public:
  NumberStream(const ReadableStore& store, Column column,
               absl::string_view term)
      : prefix_(column == Column::kCertificates ? std::string()
                                                : PostingPrefix(term)),
        cursor_(store.NewCursor(column, PrefixEnd(prefix_))) {}

  // The first number >= `from`, or "" when there is none. `from` must not
  // be smaller than in the previous call.
  absl::StatusOr<std::string> AtOrAfter(const std::string& from) {
    if (exhausted_) return std::string();
    if (!current_.empty()) {
      if (current_ >= from) return current_;
      // The next few postings are cheaper to step through than a seek.
      for (int step = 0; step < kSteps; ++step) {
        CERTREG_ASSIGN_OR_RETURN(bool more, cursor_->Next());
        if (!Take(more)) return std::string();
        if (current_ >= from) return current_;
      }
    }
    CERTREG_ASSIGN_OR_RETURN(bool found,
                             cursor_->Seek(absl::StrCat(prefix_, from)));
    Take(found);
    return current_;
  }

 private:
  static constexpr int kSteps = 4;

  bool Take(bool found) {
    exhausted_ = !found;
    current_ = found ? std::string(cursor_->key().substr(prefix_.size()))
                     : std::string();
    return found;
  }

  const std::string prefix_;
  std::unique_ptr<Cursor> cursor_;
  // The number the cursor is at; empty before the first call and at the end.
  std::string current_;
  bool exhausted_ = false;
};

// The numbers in every one of its streams, in order: a leapfrog join.
class LeapfrogJoin {
 public:
  explicit LeapfrogJoin(std::vector<NumberStream> streams)
      : streams_(std::move(streams)) {}

  // The first number > `after` in every stream, or "".
  absl::StatusOr<std::string> NextAfter(const std::string& after) {
    std::string candidate = KeyAfter(after);
    while (true) {
      bool all_equal = true;
      for (NumberStream& stream : streams_) {
        CERTREG_ASSIGN_OR_RETURN(std::string hit, stream.AtOrAfter(candidate));
        if (hit.empty()) return std::string();
        if (hit != candidate) {
          all_equal = false;
          candidate = std::move(hit);
        }
      }
      if (all_equal) return candidate;
    }
  }

  // Up to `room` numbers after `after`; `exhausted` when there are no more.
  struct Candidates {
    std::vector<std::string> numbers;
    bool exhausted = false;
  };
  absl::StatusOr<Candidates> Next(const std::string& after, size_t room) {
    Candidates next;
    while (next.numbers.size() < room) {
      CERTREG_ASSIGN_OR_RETURN(
          std::string number,
          NextAfter(next.numbers.empty() ? after : next.numbers.back()));
      if (number.empty()) {
        next.exhausted = true;
        break;
      }
      next.numbers.push_back(std::move(number));
    }
    return next;
  }

 private:
  std::vector<NumberStream> streams_;
};

// The credit code `query` spells, however its case and width are typed
// ("91370212ma3c0001xt", full-width "９１３７…"), or "" when it is none.
std::string CreditCodeOf(absl::string_view query) {
  const std::string folded = absl::AsciiStrToUpper(NormalizeText(query));
  if (folded.size() != 18 ||
      !ValidateUnifiedSocialCreditCode(folded, "query").ok()) {
    return "";
  }
  return folded;
}

// Where the candidates come from, in certificate-number order: the postings
// of the credit code, of every bigram of the name, or every certificate.
LeapfrogJoin OpenJoin(const ReadableStore& durable,
                      absl::string_view credit_code,
                      absl::string_view normalized, bool by_credit_code) {
  std::vector<NumberStream> streams;
  if (by_credit_code) {
    streams.emplace_back(durable, Column::kCreditCodeIndex, credit_code);
  } else if (!normalized.empty() && SplitCodePoints(normalized).size() >= 2) {
    for (const std::string& gram :
         CharacterNGrams(normalized, kNameGramLength)) {
      streams.emplace_back(durable, Column::kNameIndex, gram);
    }
  } else {
    // A one-character query, filters only or nothing (list everything):
    // walk every certificate.
    streams.emplace_back(durable, Column::kCertificates, "");
  }
  return LeapfrogJoin(std::move(streams));
}

// What a search shows of certificate `c` with `status`.
v1::CertificateSummary SummaryOf(const v1::Certificate& c,
                                 v1::EffectiveStatus status) {
  v1::CertificateSummary summary;
  summary.set_number(c.number());
  summary.set_holder_name(c.holder().name());
  summary.set_unified_social_credit_code(
      c.holder().unified_social_credit_code());
  summary.set_type(c.type());
  *summary.mutable_item() = c.item();
  summary.set_body_approval_number(c.body_approval_number());
  summary.set_body_name(c.body_name());
  *summary.mutable_issue_date() = c.issue_date();
  *summary.mutable_expiry_date() = c.expiry_date();
  summary.set_star_level(c.service_grade().star_level());
  SetStarLevelNames(c.service_grade().star_level(),
                    summary.mutable_star_level_name_zh(),
                    summary.mutable_star_level_name_en());
  *summary.mutable_status() = std::move(status);
  return summary;
}

// Whether certificate `c` with `summary` passes the request's filters.
bool PassesFilters(const v1::SearchCertificatesRequest& filters,
                   const v1::Certificate& c,
                   const v1::CertificateSummary& summary) {
  return (filters.type() == v1::CERTIFICATION_TYPE_UNSPECIFIED ||
          filters.type() == c.type()) &&
         (filters.item_code().empty() ||
          c.item().code().rfind(filters.item_code(), 0) == 0) &&
         (filters.body_approval_number().empty() ||
          filters.body_approval_number() == c.body_approval_number()) &&
         (filters.status() == v1::CERTIFICATE_STATUS_UNSPECIFIED ||
          filters.status() == summary.status().status());
}

}  // namespace

absl::StatusOr<v1::SearchCertificatesResponse>
CertificateSearch::SearchCertificates(
    const v1::SearchCertificatesRequest& request) const {
  Query query;
  CERTREG_ASSIGN_OR_RETURN(query.page_size,
                           PageSize(request.page_size(), kDefaultPageSize,
                                    kMaxPageSize, "page_size"));
  CERTREG_RETURN_IF_ERROR(
      ValidateText(request.query(), "query", kMaxHolderNameChars, false));
  if (!request.item_code().empty()) {
    CERTREG_RETURN_IF_ERROR(ValidateItemCode(request.item_code(), "item_code"));
  }
  if (!request.body_approval_number().empty()) {
    CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
        request.body_approval_number(), "body_approval_number"));
  }
  query.as_of = TodayInChina(now_());
  if (request.has_as_of()) {
    CERTREG_RETURN_IF_ERROR(ValidateDate(request.as_of(), "as_of"));
    query.as_of = ToCivilDay(request.as_of());
  }
  CERTREG_ASSIGN_OR_RETURN(query.resume_after,
                           DecodePageToken("search", request.page_token()));
  query.normalized = NormalizeText(request.query());
  const std::string credit_code = CreditCodeOf(request.query());
  query.by_credit_code = !credit_code.empty();

  // Postings and records as made durable: no result a crash could take
  // away, none half written.
  const std::shared_ptr<const ReadableStore> durable = durable_();
  LeapfrogJoin join =
      OpenJoin(*durable, credit_code, query.normalized, query.by_credit_code);
  v1::SearchCertificatesResponse response;
  std::string cursor = query.resume_after;  // the last candidate examined
  int examined = 0;
  while (response.certificates_size() < query.page_size) {
    if (examined == kMaxCandidates) {
      response.set_next_page_token(EncodePageToken("search", cursor));
      return response;
    }
    // As many candidates as the page has room for (most of them match),
    // their records read in one batch. The page can only fill on the last.
    const int room = std::min(query.page_size - response.certificates_size(),
                              kMaxCandidates - examined);
    CERTREG_ASSIGN_OR_RETURN(LeapfrogJoin::Candidates next,
                             join.Next(cursor, static_cast<size_t>(room)));
    CERTREG_RETURN_IF_ERROR(
        AddMatches(*durable, next.numbers, query, request, response));
    examined += next.numbers.size();
    if (!next.numbers.empty()) cursor = next.numbers.back();
    if (next.exhausted) return response;
  }
  // A full page: there may be more.
  CERTREG_ASSIGN_OR_RETURN(std::string more, join.NextAfter(cursor));
  if (!more.empty())
    response.set_next_page_token(EncodePageToken("search", cursor));
  return response;
}

absl::Status CertificateSearch::AddMatches(
    const ReadableStore& durable, const std::vector<std::string>& candidates,
    const Query& query, const v1::SearchCertificatesRequest& request,
    v1::SearchCertificatesResponse& response) const {
  CERTREG_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> records,
                           durable.MultiGet(Column::kCertificates, candidates));
  for (size_t i = 0; i < candidates.size(); ++i) {
    bool matches = false;
    CERTREG_ASSIGN_OR_RETURN(
        v1::CertificateSummary summary,
        Summarize(candidates[i], records[i], query.as_of, request, &matches));
    // The n-grams narrow the candidates; the name must really contain the
    // query (bigrams can occur apart).
    if (!query.by_credit_code && !query.normalized.empty() &&
        NormalizeText(summary.holder_name()).find(query.normalized) ==
            std::string::npos) {
      matches = false;
    }
    if (matches) *response.add_certificates() = std::move(summary);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CertificateSummary> CertificateSearch::Summarize(
    absl::string_view number, const std::optional<std::string>& stored,
    absl::CivilDay as_of, const v1::SearchCertificatesRequest& filters,
    bool* matches) const {
  // Parsed on an arena that starts on the stack, the record costs (nearly)
  // no allocations; only what the summary shows is copied out of it.
  alignas(8) char initial_block[8192];
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = initial_block;
  arena_options.initial_block_size = sizeof(initial_block);
  google::protobuf::Arena arena(arena_options);
  auto* record =
      google::protobuf::Arena::CreateMessage<v1::CertificateRecordChain>(
          &arena);
  if (!stored.has_value()) return NotInRegistry(number);
  if (!record->ParseFromString(*stored) || !record->has_chain()) {
    return CorruptRecord(
        number, absl::DataLossError("not a CertificateRecord with a chain"));
  }
  absl::StatusOr<v1::EffectiveStatus> status =
      StatusOfState(record->chain(), as_of, rules_.current()->rules);
  if (!status.ok()) return CorruptRecord(number, status.status());
  const v1::Certificate* current = &record->chain().certificate();
  // As of a day before its latest statement, the certificate as it stood.
  std::optional<v1::Certificate> then;
  if (as_of < ToCivilDay(record->chain().last_event_date())) {
    v1::CertificateRecord full;
    if (!full.ParseFromString(*stored)) {
      return CorruptRecord(number, absl::DataLossError("unreadable"));
    }
    CERTREG_ASSIGN_OR_RETURN(then, reader_.CertificateAsOf(full, as_of));
    current = &*then;
  }
  v1::CertificateSummary summary = SummaryOf(*current, *std::move(status));
  *matches = PassesFilters(filters, *current, summary);
  return summary;
}

}  // namespace certreg
