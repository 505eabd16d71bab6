#ifndef CERTREG_VERIFIER_RULES_CERTIFICATE_CHAIN_H_
#define CERTREG_VERIFIER_RULES_CERTIFICATE_CHAIN_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "certreg/v1/status.pb.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/status_engine.h"

namespace certreg {

// A certificate's event chain: its issue statement and every later event,
// replayed under the statement rules. The registry uses it to decide whether
// a new event is legal; the verifier to check that a bundle's chain is
// complete and in order. Not thread-safe; cheap to copy.
//
// Rules, beyond each field's validation:
// - every event names the statement hash of the chain's previous statement
//   (stale or replayed events are refused: FAILED_PRECONDITION);
// - event dates never go backwards and are not before the issue date;
// - nothing follows a revocation or a withdrawal;
// - reinstate only a suspended certificate; suspend only one not suspended;
// - surveillance dates lie inside the current validity period;
// - a renewal moves the issue date forward and needs a later expiry date.
// The scheme's admission rules (validity limits, renewal before expiry, an
// issue statement dated on its issue date) are checked by the writer on top
// of these, see admission_rules.h.
class CertificateChain {
 public:
  // Starts a chain from an issue statement; validates the certificate.
  // INVALID_ARGUMENT naming the field on any malformed input.
  static absl::StatusOr<CertificateChain> Start(
      const v1::Statement& issue, absl::string_view statement_hash);

  // Applies a later event. INVALID_ARGUMENT for malformed fields,
  // FAILED_PRECONDITION for an illegal transition or a stale
  // previous_event_hash. On error the chain is unchanged.
  absl::Status Apply(const v1::Statement& event,
                     absl::string_view statement_hash);

  // The chain's state, to store and later Restore instead of replaying
  // every statement.
  v1::ChainState State() const;
  // A chain from a State(). INVALID_ARGUMENT when the state is malformed
  // (a date out of range, an unknown event kind, no certificate number).
  static absl::StatusOr<CertificateChain> Restore(v1::ChainState state);

  // The certificate as it stands after every applied event (renewals and
  // scope changes folded in).
  const v1::Certificate& certificate() const { return certificate_; }
  // The same, moved out of a chain that is not used afterwards.
  v1::Certificate TakeCertificate() && { return std::move(certificate_); }
  // Statement hash of the latest statement.
  const std::string& head_hash() const { return head_hash_; }

  // Effective status as of `as_of`, from the events dated on or before it,
  // under the rules of the certificate's type in `rules`.
  v1::EffectiveStatus StatusAsOf(absl::CivilDay as_of,
                                 const v1::SchemeRules& rules) const;

  // The first day after `after` on which StatusAsOf changes without a
  // further event (see NextStatusChange in status_engine.h); nullopt when it
  // never does.
  std::optional<absl::CivilDay> NextStatusChange(
      absl::CivilDay after, const v1::SchemeRules& rules) const;

  // The current validity window: the latest renewal's or the issue's.
  IssuedValidity CurrentWindow() const;

  // Surveillance audits dated on or before `as_of`: the count and the last.
  int SurveillanceCount(absl::CivilDay as_of) const;
  std::optional<absl::CivilDay> LastSurveillance(absl::CivilDay as_of) const;

  bool terminal() const { return terminal_; }
  bool suspended() const { return suspended_; }

 private:
  CertificateChain() = default;

  v1::Certificate certificate_;
  IssuedValidity issued_;
  std::vector<CertificateEvent> events_;
  std::string head_hash_;
  absl::CivilDay last_event_date_;
  bool suspended_ = false;
  bool terminal_ = false;
};

// The status as of `as_of` of a chain stored as `state` (what
// CertificateChain::Restore(state).StatusAsOf would say, without copying the
// certificate). INVALID_ARGUMENT when the state is malformed.
absl::StatusOr<v1::EffectiveStatus> StatusOfState(const v1::ChainState& state,
                                                  absl::CivilDay as_of,
                                                  const v1::SchemeRules& rules);

// CertificateChain::Restore(state).NextStatusChange(after, rules), without
// copying the certificate. INVALID_ARGUMENT when the state is malformed.
absl::StatusOr<std::optional<absl::CivilDay>> NextStatusChangeOfState(
    const v1::ChainState& state, absl::CivilDay after,
    const v1::SchemeRules& rules);

// Folds what an accepted statement changes into `certificate`: a renewal's
// window, grade and recertification count, a scope change's scope and sites,
// a holder change's name, address and sites. Other kinds change nothing.
// Used for the certificate as it stood on a date (replaying statements that
// were checked when written).
void FoldIntoCertificate(const v1::Statement& statement,
                         v1::Certificate& certificate);

// One line of the change history (证书变化历史轨迹) for a statement.
std::string DescribeStatement(const v1::Statement& statement);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_CERTIFICATE_CHAIN_H_
