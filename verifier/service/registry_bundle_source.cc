#include "verifier/service/registry_bundle_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "verifier/base/status_answer.h"

namespace certreg {

absl::StatusOr<const v1::VerificationBundle*> BundleOf(
    const v1::VerificationBundleResult& result) {
  if (result.code() != 0) {
    return AnswerStatus(result.code(), result.message());
  }
  return &result.bundle();
}

std::vector<absl::StatusOr<const v1::VerificationBundle*>>
RegistryBundleSource::FetchBundles(
    const std::vector<std::string>& certificate_numbers,
    google::protobuf::Arena& arena) {
  std::vector<absl::StatusOr<const v1::VerificationBundle*>> bundles(
      certificate_numbers.size(), absl::UnknownError("not fetched"));
  // Indexes still to fetch: all of them, then those an answer had no room
  // for (each answer carries at least one bundle, so this ends).
  std::vector<size_t> pending(certificate_numbers.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  while (!pending.empty()) {
    std::vector<std::string> numbers;
    numbers.reserve(pending.size());
    for (size_t i : pending) numbers.push_back(certificate_numbers[i]);
    absl::StatusOr<v1::GetVerificationBundlesResponse*> response =
        client_->GetVerificationBundles(numbers, arena);
    // A registry or mirror without the method, or a group too large for
    // one response (from a registry that does not cap its answers): one
    // bundle per call.
    if (absl::IsUnimplemented(response.status()) ||
        absl::IsResourceExhausted(response.status())) {
      std::vector<absl::StatusOr<const v1::VerificationBundle*>> singles =
          BundleSource::FetchBundles(numbers, arena);
      for (size_t k = 0; k < pending.size(); ++k) {
        bundles[pending[k]] = std::move(singles[k]);
      }
      return bundles;
    }
    if (response.ok() &&
        (*response)->results_size() != static_cast<int>(numbers.size())) {
      response = absl::InternalError(
          absl::StrCat("the registry answered ", (*response)->results_size(),
                       " bundle requests of ", numbers.size()));
    }
    if (!response.ok()) {
      for (size_t i : pending) bundles[i] = response.status();
      return bundles;
    }
    std::vector<size_t> no_room;
    for (size_t k = 0; k < pending.size(); ++k) {
      absl::StatusOr<const v1::VerificationBundle*> bundle =
          BundleOf((*response)->results(static_cast<int>(k)));
      // The first result is never refused for room; a registry that does
      // is not asked again.
      if (absl::IsResourceExhausted(bundle.status()) && k > 0) {
        no_room.push_back(pending[k]);
      } else {
        bundles[pending[k]] = std::move(bundle);
      }
    }
    pending = std::move(no_room);
  }
  return bundles;
}

}  // namespace certreg
