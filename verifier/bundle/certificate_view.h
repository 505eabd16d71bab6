#ifndef CERTREG_VERIFIER_BUNDLE_CERTIFICATE_VIEW_H_
#define CERTREG_VERIFIER_BUNDLE_CERTIFICATE_VIEW_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/verifier.pb.h"

namespace certreg {

// The answer the registry's GetCertificate gives, rebuilt from a bundle that
// VerifyBundle found authentic, so that a front-end shows nothing it has not
// verified. `verified` is VerifyBundle's answer for the bundle as of `as_of`:
// its status and certificate (as of the date) are taken as they are; the
// history (the issue statement always, then every statement dated on or
// before `as_of`), surveillance count and last audit, head hash and later-event
// count come from the bundle's certificate statements, exactly as the registry
// derives them from its log. `full` adds each history entry's signed
// statement (CERTIFICATE_VIEW_FULL).
//
// FAILED_PRECONDITION when `verified` carries no certificate (the bundle was
// not authentic: nothing may be shown); INVALID_ARGUMENT when a statement
// does not parse (cannot happen for a bundle VerifyBundle accepted).
absl::StatusOr<v1::GetCertificateResponse> CertificateViewOf(
    const v1::VerificationBundle& bundle, const v1::VerifyResponse& verified,
    absl::CivilDay as_of, bool full);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_CERTIFICATE_VIEW_H_
