#include "verifier/bundle/certificate_view.h"

#include <optional>
#include <string>

#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"

namespace certreg {
namespace {

// Appends the history entry of a statement dated on or before the date.
void AddHistoryEntry(const v1::ProvenStatement& proven,
                     const v1::Statement& statement, const std::string& hash,
                     bool full, v1::GetCertificateResponse& view) {
  v1::HistoryEntry* entry = view.add_history();
  entry->set_kind(KindOf(statement));
  *entry->mutable_date() = statement.date();
  entry->set_details(DescribeStatement(statement));
  entry->set_statement_hash(hash);
  entry->set_leaf_index(proven.inclusion_proof().leaf_index());
  if (full) *entry->mutable_signed_statement() = proven.signed_statement();
}

}  // namespace

absl::StatusOr<v1::GetCertificateResponse> CertificateViewOf(
    const v1::VerificationBundle& bundle, const v1::VerifyResponse& verified,
    absl::CivilDay as_of, bool full) {
  if (!verified.has_certificate() || bundle.certificate_statements().empty()) {
    return absl::FailedPreconditionError(
        "the bundle did not verify: there is nothing to show");
  }
  v1::GetCertificateResponse view;
  std::optional<CertificateChain> chain;
  for (const v1::ProvenStatement& proven : bundle.certificate_statements()) {
    CERTREG_ASSIGN_OR_RETURN(const v1::Statement statement,
                             ParseSignedStatement(proven.signed_statement()));
    const std::string hash = StatementHash(proven.signed_statement());
    if (!chain.has_value()) {
      CERTREG_ASSIGN_OR_RETURN(chain, CertificateChain::Start(statement, hash));
    } else {
      CERTREG_RETURN_IF_ERROR(chain->Apply(statement, hash));
    }
    // The issue statement is always shown, even before its date.
    if (view.history_size() > 0 && ToCivilDay(statement.date()) > as_of) {
      view.set_later_event_count(view.later_event_count() + 1);
      continue;
    }
    AddHistoryEntry(proven, statement, hash, full, view);
  }
  if (std::optional<absl::CivilDay> last = chain->LastSurveillance(as_of)) {
    *view.mutable_last_surveillance_date() = ToProtoDate(*last);
  }
  view.set_surveillance_count(chain->SurveillanceCount(as_of));
  view.set_head_event_hash(chain->head_hash());
  *view.mutable_status() = verified.status();
  *view.mutable_certificate() = verified.certificate();
  SetStarLevelNames(view.certificate().service_grade().star_level(),
                    view.mutable_star_level_name_zh(),
                    view.mutable_star_level_name_en());
  return view;
}

}  // namespace certreg
