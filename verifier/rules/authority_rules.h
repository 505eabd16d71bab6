#ifndef CERTREG_VERIFIER_RULES_AUTHORITY_RULES_H_
#define CERTREG_VERIFIER_RULES_AUTHORITY_RULES_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {

// The rules of the registry operator's statements (accredit a body, rotate or
// retire a body's key) and of who may sign for a body. Pure functions: the
// registry applies them to records in its store, the verifier to the
// authority statements inside a bundle.
//
// A body's record is a v1::CertificationBody (its `accredited` field is left
// false here; it depends on the day it is shown).
//
// Key validity: a key registered by AccreditBody is usable from the
// accreditation's valid_from; one registered by RotateBodyKey from the
// rotation statement's date. A retired key is unusable from the retirement
// statement's date on.

// The approval number an authority statement concerns ("" for other kinds).
absl::string_view AuthoritySubject(const v1::Statement& statement);

// Applies an authority statement (already authenticated as the operator's)
// to `current`, the body's record before it (nullopt when unknown), and
// returns the record after it.
// Errors: INVALID_ARGUMENT for malformed fields (named); NOT_FOUND when
// rotating or retiring for an unknown body; FAILED_PRECONDITION when the key
// is already registered for the body, or retiring an unknown or retired key.
absl::StatusOr<v1::CertificationBody> ApplyAuthorityStatement(
    const std::optional<v1::CertificationBody>& current,
    const v1::Statement& statement);

// True when `day` lies in one of the body's accreditation windows.
bool AccreditedOn(const v1::CertificationBody& body, absl::CivilDay day);

// OK when `key_id` is a key of `body` usable on `date` and `date` is inside
// one of the body's accreditation windows; PERMISSION_DENIED saying why
// otherwise.
absl::Status CheckSignerAccredited(const v1::CertificationBody& body,
                                   absl::string_view key_id,
                                   absl::CivilDay date);

// OK when `key_id`'s holder may sign, on `date`, a statement about
// `certificate` (as the statement leaves it): `body` -- the key's body as
// it stands when the statement is written -- must be the certificate's body
// under the name the certificate gives it, and the key usable on `date`
// (CheckSignerAccredited). PERMISSION_DENIED when the certificate is
// another body's or the key is not usable; INVALID_ARGUMENT when
// certificate.body_name differs from the body's accredited name.
//
// The name is the body's at the time of writing: a later re-accreditation
// may rename the body, so check a statement against the body's record as it
// stood at that statement, not a later one.
absl::Status CheckSignerMayWriteFor(const v1::CertificationBody& body,
                                    const v1::Certificate& certificate,
                                    absl::string_view key_id,
                                    absl::CivilDay date);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_AUTHORITY_RULES_H_
