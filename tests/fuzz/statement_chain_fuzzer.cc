// Signed statements as the log stores them, replayed as a certificate chain.
//
// Input: leaf data records (ParseLeafData's format: statement, signature and
// key id, each a 4-byte big-endian length and the bytes), one after another.
// Each record goes through ParseLeafData and ParseSignedStatement; the first
// certificate statement starts a CertificateChain, the later ones are applied
// to it; a valid publish-rules statement supplies the scheme rules.
//
// Properties checked: LeafData gives back the record's bytes; a refused
// Apply leaves the chain as it was; Restore(State()) and StatusOfState give
// the same status as the chain on every date of interest.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/statement.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using google::protobuf::util::MessageDifferencer;

// Records beyond this many are ignored (a chain of a few dozen events is
// long; the limit keeps each input fast).
constexpr int kMaxRecords = 64;

// The first leaf data record of `in` (its three length-prefixed fields), or
// nullopt when the rest is too short; `in` moves past it.
std::optional<absl::string_view> NextRecord(absl::string_view& in) {
  size_t at = 0;
  for (int field = 0; field < 3; ++field) {
    if (in.size() - at < 4) return std::nullopt;
    const auto byte = [&](size_t i) {
      return uint32_t{static_cast<uint8_t>(in[at + i])};
    };
    const uint32_t n =
        (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
    at += 4;
    if (in.size() - at < n) return std::nullopt;
    at += n;
  }
  const absl::string_view record = in.substr(0, at);
  in.remove_prefix(at);
  return record;
}

void CheckSameStatus(const CertificateChain& chain,
                     const v1::SchemeRules& rules) {
  const v1::ChainState state = chain.State();
  absl::StatusOr<CertificateChain> restored = CertificateChain::Restore(state);
  FUZZ_CHECK(restored.ok(), absl::StrCat("Restore(State()) failed: ",
                                         restored.status().ToString()));
  FUZZ_CHECK(MessageDifferencer::Equals(restored->State(), state),
             state.DebugString());

  std::vector<absl::CivilDay> days;
  const IssuedValidity window = chain.CurrentWindow();
  for (const absl::CivilDay day : {window.issue_date, window.expiry_date}) {
    days.push_back(day - 1);
    days.push_back(day);
    days.push_back(day + 1);
  }
  for (const v1::ChainEvent& event : state.events()) {
    if (ValidateDate(event.date(), "date").ok()) {
      days.push_back(ToCivilDay(event.date()));
    }
  }
  days.push_back(window.expiry_date + 3650);
  for (const absl::CivilDay day : days) {
    const v1::EffectiveStatus status = chain.StatusAsOf(day, rules);
    FUZZ_CHECK(
        MessageDifferencer::Equals(restored->StatusAsOf(day, rules), status),
        absl::StrCat("restored chain differs on ", absl::FormatCivilTime(day)));
    absl::StatusOr<v1::EffectiveStatus> of_state =
        StatusOfState(state, day, rules);
    FUZZ_CHECK(of_state.ok(), of_state.status().ToString());
    FUZZ_CHECK(
        MessageDifferencer::Equals(*of_state, status),
        absl::StrCat("StatusOfState differs on ", absl::FormatCivilTime(day),
                     ":\n", of_state->DebugString(), "\nvs\n",
                     status.DebugString()));
    chain.SurveillanceCount(day);
    chain.LastSurveillance(day);
  }
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  absl::string_view in(reinterpret_cast<const char*>(data), size);
  std::optional<CertificateChain> chain;
  v1::Certificate folded;
  v1::SchemeRules rules = DefaultSchemeRules();
  for (int n = 0; n < kMaxRecords; ++n) {
    const std::optional<absl::string_view> record = NextRecord(in);
    if (!record.has_value()) break;
    absl::StatusOr<v1::SignedStatement> signed_statement =
        ParseLeafData(*record);
    FUZZ_CHECK(signed_statement.ok(), "a whole record must parse");
    FUZZ_CHECK(LeafData(*signed_statement) == *record,
               "LeafData(ParseLeafData(x)) != x");

    absl::StatusOr<v1::Statement> statement =
        ParseSignedStatement(*signed_statement);
    if (!statement.ok()) continue;
    const v1::StatementKind kind = KindOf(*statement);
    KindName(kind);
    DescribeStatement(*statement);
    FoldIntoCertificate(*statement, folded);
    if (kind == v1::STATEMENT_KIND_PUBLISH_RULES) {
      if (ValidateSchemeRules(statement->publish_rules()).ok()) {
        rules = statement->publish_rules();
      }
      continue;
    }
    const std::string hash = StatementHash(*signed_statement);
    if (!chain.has_value()) {
      absl::StatusOr<CertificateChain> started =
          CertificateChain::Start(*statement, hash);
      if (started.ok()) chain = *std::move(started);
      continue;
    }
    const v1::ChainState before = chain->State();
    const absl::Status applied = chain->Apply(*statement, hash);
    if (!applied.ok()) {
      FUZZ_CHECK(MessageDifferencer::Equals(chain->State(), before),
                 absl::StrCat("a refused Apply changed the chain: ",
                              applied.ToString()));
    }
  }
  if (chain.has_value()) CheckSameStatus(*chain, rules);
  // A record parsed from the rest, whatever it is.
  ParseLeafData(in).IgnoreError();
  return 0;
}
