#include "verifier/claim_verifier.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "registry/memory_store.h"
#include "registry/registry.h"
#include "tools/demo_data.h"
#include "verifier/registry_bundle_source.h"

namespace certreg {
namespace {

absl::Time Noon() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

// Serves bundles straight from a registry, the way the registry's
// GetVerificationBundle(s) RPCs do, and counts what it was asked for.
class CountingSource : public BundleSource {
 public:
  explicit CountingSource(Registry* registry) : registry_(registry) {}

  absl::StatusOr<v1::VerificationBundle> FetchBundle(
      const std::string& number) override {
    absl::MutexLock lock(&mu_);
    ++single_fetches_;
    v1::GetVerificationBundleRequest request;
    request.set_number(number);
    return registry_->GetVerificationBundle(request);
  }
  std::vector<absl::StatusOr<v1::VerificationBundle>> FetchBundles(
      const std::vector<std::string>& numbers) override {
    {
      absl::MutexLock lock(&mu_);
      group_sizes_.push_back(numbers.size());
    }
    v1::GetVerificationBundlesRequest request;
    for (const std::string& number : numbers) request.add_numbers(number);
    auto response = registry_->GetVerificationBundles(request);
    std::vector<absl::StatusOr<v1::VerificationBundle>> bundles;
    for (v1::VerificationBundleResult& result : *response->mutable_results()) {
      bundles.push_back(TakeBundle(result));
    }
    return bundles;
  }
  absl::StatusOr<v1::ConsistencyProof> FetchConsistencyProof(
      uint64_t from_size, uint64_t to_size) override {
    v1::GetConsistencyProofRequest request;
    request.set_from_size(from_size);
    request.set_to_size(to_size);
    return registry_->GetConsistencyProof(request);
  }

  int single_fetches() {
    absl::MutexLock lock(&mu_);
    return single_fetches_;
  }
  std::vector<size_t> group_sizes() {
    absl::MutexLock lock(&mu_);
    return group_sizes_;
  }

 private:
  Registry* const registry_;
  absl::Mutex mu_;
  int single_fetches_ = 0;
  std::vector<size_t> group_sizes_;
};

TEST(ClaimVerifierTest, BatchVerifyFetchesBundlesInGroupsAndAnswersInOrder) {
  const Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  auto log_key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys;
  for (size_t i = 0; i < DemoBodies().size(); ++i) {
    body_keys.push_back(*Ed25519PrivateKey::Generate());
  }
  MemoryStore store;
  RegistryOptions options;
  options.operator_key =
      std::make_shared<const Ed25519PublicKey>(operator_key.public_key());
  options.log_key = log_key;
  options.now = Noon;
  auto registry = Registry::Open(&store, options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  ASSERT_TRUE(
      SeedDemo(operator_key, body_keys, absl::CivilDay(2026, 11, 22),
               [&](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return (*registry)->Submit(kind, s);
               })
          .ok());

  CountingSource source(registry->get());
  ClaimVerifierOptions verifier_options;
  verifier_options.keys.operator_key = options.operator_key;
  verifier_options.keys.log_key =
      std::make_shared<const Ed25519PublicKey>(log_key->public_key());
  verifier_options.state_path =
      std::string(getenv("TEST_TMPDIR")) + "/trusted_checkpoint";
  verifier_options.threads = 2;
  verifier_options.now = Noon;
  auto verifier = ClaimVerifier::New(&source, verifier_options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  // 250 claims: valid ones, one unknown number, one without a number.
  const std::string kValid = "00226Q21540R2M";
  const std::string kRevoked = "01019Q11234R0M";
  v1::BatchVerifyRequest request;
  for (int i = 0; i < 250; ++i) {
    v1::Claim* claim = request.add_claims();
    claim->set_certificate_number(i % 2 == 0 ? kValid : kRevoked);
  }
  request.mutable_claims(17)->set_certificate_number("99999Q99999R9M");
  request.mutable_claims(201)->clear_certificate_number();
  auto response = (*verifier)->BatchVerify(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->results_size(), 250);
  for (int i = 0; i < 250; ++i) {
    const v1::VerifyResponse& result = response->results(i);
    v1::Verdict expected = i % 2 == 0 ? v1::VERDICT_PASS : v1::VERDICT_FAIL;
    if (i == 201) expected = v1::VERDICT_UNKNOWN;
    EXPECT_EQ(result.verdict(), expected) << i << ": " << result.DebugString();
    EXPECT_EQ(result.certificate_number(),
              request.claims(i).certificate_number());
  }
  EXPECT_EQ(response->results(17).checks(0).name(), "registry");
  EXPECT_EQ(response->results(1).status().status(),
            v1::CERTIFICATE_STATUS_REVOKED);

  // Every bundle came from a group fetch of at most the registry's limit;
  // the claim without a number was never asked for.
  EXPECT_EQ(source.single_fetches(), 0);
  std::vector<size_t> groups = source.group_sizes();
  size_t asked = 0;
  for (size_t size : groups) {
    EXPECT_LE(size, static_cast<size_t>(ClaimVerifier::kBundlesPerFetch));
    asked += size;
  }
  EXPECT_EQ(asked, 249u);
  EXPECT_GE(groups.size(), 3u);

  // One claim alone goes the same way and gives the same answer.
  v1::Claim alone;
  alone.set_certificate_number(kValid);
  EXPECT_EQ((*verifier)->Verify(alone).verdict(), v1::VERDICT_PASS);
}

}  // namespace
}  // namespace certreg
