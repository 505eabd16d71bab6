#include "verifier/web/body_lookup.h"

#include "absl/strings/str_cat.h"

namespace certreg {

absl::StatusOr<v1::CertificationBody> FindBody(
    RegistryClient& registry, absl::string_view approval_number) {
  v1::ListBodiesRequest request;
  request.set_page_size(100);
  // A thousand pages of bodies is far beyond CNCA's few hundred.
  for (int page = 0; page < 1000; ++page) {
    absl::StatusOr<v1::ListBodiesResponse> bodies =
        registry.ListBodies(request);
    if (!bodies.ok()) return bodies.status();
    for (v1::CertificationBody& body : *bodies->mutable_bodies()) {
      if (body.approval_number() == approval_number) return std::move(body);
    }
    if (bodies->next_page_token().empty()) break;
    request.set_page_token(bodies->next_page_token());
  }
  return absl::NotFoundError(
      absl::StrCat("approval_number: the registry has no certification body \"",
                   approval_number.substr(0, 64), "\""));
}

}  // namespace certreg
