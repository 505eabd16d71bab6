#ifndef CERTREG_VERIFIER_SERVICE_REGISTRY_BUNDLE_SOURCE_H_
#define CERTREG_VERIFIER_SERVICE_REGISTRY_BUNDLE_SOURCE_H_

#include <string>
#include <vector>

#include "verifier/bundle/claim_verifier.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

// The bundle of one GetVerificationBundles result (in place), or its error.
absl::StatusOr<const v1::VerificationBundle*> BundleOf(
    const v1::VerificationBundleResult& result);

// Bundles and consistency proofs from a registry (or any mirror serving
// certreg.v1.RegistryService) over gRPC. Nothing it returns is trusted: the
// verifier checks it all. Thread-safe.
class RegistryBundleSource : public BundleSource {
 public:
  explicit RegistryBundleSource(RegistryClient* client) : client_(client) {}

  absl::StatusOr<v1::VerificationBundle> FetchBundle(
      const std::string& certificate_number) override {
    return client_->GetVerificationBundle(certificate_number);
  }
  // One GetVerificationBundles call (one signature over all the heads), and
  // another for the numbers its answer had no room for (RESOURCE_EXHAUSTED
  // in their results), until each has its bundle or error. A registry or
  // mirror without the method, or a group whose answer exceeds the channel's
  // message limit, is asked one bundle at a time.
  std::vector<absl::StatusOr<const v1::VerificationBundle*>> FetchBundles(
      const std::vector<std::string>& certificate_numbers,
      google::protobuf::Arena& arena) override;
  absl::StatusOr<v1::ConsistencyProof> FetchConsistencyProof(
      uint64_t from_size, uint64_t to_size) override {
    return client_->GetConsistencyProof(from_size, to_size);
  }

 private:
  RegistryClient* const client_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_SERVICE_REGISTRY_BUNDLE_SOURCE_H_
