#include "verifier/registry_bundle_source.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace certreg {

absl::StatusOr<v1::VerificationBundle> TakeBundle(
    v1::VerificationBundleResult& result) {
  if (result.code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(result.code()),
                        result.message());
  }
  return std::move(*result.mutable_bundle());
}

std::vector<absl::StatusOr<v1::VerificationBundle>>
RegistryBundleSource::FetchBundles(
    const std::vector<std::string>& certificate_numbers) {
  absl::StatusOr<v1::GetVerificationBundlesResponse> response =
      client_->GetVerificationBundles(certificate_numbers);
  // A registry or mirror without the method, or a group too large for one
  // response (a body with a long authority record repeats it in each
  // bundle): one bundle per call.
  if (absl::IsUnimplemented(response.status()) ||
      absl::IsResourceExhausted(response.status())) {
    return BundleSource::FetchBundles(certificate_numbers);
  }
  std::vector<absl::StatusOr<v1::VerificationBundle>> bundles;
  if (response.ok() && response->results_size() !=
                           static_cast<int>(certificate_numbers.size())) {
    response = absl::InternalError(
        absl::StrCat("the registry answered ", response->results_size(),
                     " bundle requests of ", certificate_numbers.size()));
  }
  for (size_t i = 0; i < certificate_numbers.size(); ++i) {
    if (!response.ok()) {
      bundles.push_back(response.status());
      continue;
    }
    bundles.push_back(TakeBundle(*response->mutable_results(i)));
  }
  return bundles;
}

}  // namespace certreg
