#ifndef CERTREG_VERIFIER_WEB_BODY_LOOKUP_H_
#define CERTREG_VERIFIER_WEB_BODY_LOOKUP_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/registry.pb.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

// The registry's record of the certification body `approval_number`, read
// page by page from ListBodies. NOT_FOUND "approval_number: ..." when the
// registry has none; the registry's error when it cannot be asked.
absl::StatusOr<v1::CertificationBody> FindBody(
    RegistryClient& registry, absl::string_view approval_number);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_BODY_LOOKUP_H_
