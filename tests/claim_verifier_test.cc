#include "verifier/bundle/claim_verifier.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "registry/core/registry.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_registry.h"
#include "verifier/rules/date.h"
#include "verifier/service/registry_bundle_source.h"

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
  std::vector<absl::StatusOr<const v1::VerificationBundle*>> FetchBundles(
      const std::vector<std::string>& numbers,
      google::protobuf::Arena& arena) override {
    {
      absl::MutexLock lock(&mu_);
      group_sizes_.push_back(numbers.size());
      most_in_flight_ = std::max(most_in_flight_, ++in_flight_);
    }
    // Long enough for other workers to be fetching at the same time.
    absl::SleepFor(absl::Milliseconds(2));
    v1::GetVerificationBundlesRequest request;
    for (const std::string& number : numbers) request.add_numbers(number);
    auto* response = google::protobuf::Arena::CreateMessage<
        v1::GetVerificationBundlesResponse>(&arena);
    *response = *registry_->GetVerificationBundles(request);
    std::vector<absl::StatusOr<const v1::VerificationBundle*>> bundles;
    for (const v1::VerificationBundleResult& result : response->results()) {
      bundles.push_back(BundleOf(result));
    }
    absl::MutexLock lock(&mu_);
    --in_flight_;
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
  // The most FetchBundles calls that were running at once.
  int most_in_flight() {
    absl::MutexLock lock(&mu_);
    return most_in_flight_;
  }

 private:
  Registry* const registry_;
  absl::Mutex mu_;
  int single_fetches_ = 0;
  std::vector<size_t> group_sizes_;
  int in_flight_ = 0;
  int most_in_flight_ = 0;
};

const std::string kValid = "90126Q21540R2M";
const std::string kRevoked = "90119Q11234R0M";

// A registry with the demo data on a MemoryStore, and a ClaimVerifier with
// two workers fetching from it through a CountingSource.
class ClaimVerifierTest : public testing::Test {
 protected:
  void SetUp() override {
    RegistryOptions options;
    options.now = Noon;
    auto demo =
        OpenDemoRegistry(&store_, options, absl::CivilDay(2026, 11, 22));
    ASSERT_TRUE(demo.ok()) << demo.status();
    registry_ = std::move(demo->registry);

    source_ = std::make_unique<CountingSource>(registry_.get());
    ClaimVerifierOptions verifier_options;
    verifier_options.keys.operator_key = demo->operator_key;
    verifier_options.keys.log_key =
        std::make_shared<const Ed25519PublicKey>(demo->log_key->public_key());
    verifier_options.state_path =
        std::string(getenv("TEST_TMPDIR")) + "/trusted_checkpoint";
    std::remove(verifier_options.state_path.c_str());
    verifier_options.threads = 2;
    verifier_options.now = Noon;
    auto verifier = ClaimVerifier::New(source_.get(), verifier_options);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  MemoryStore store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<CountingSource> source_;
  std::unique_ptr<ClaimVerifier> verifier_;
};

TEST_F(ClaimVerifierTest, BatchVerifyFetchesBundlesInGroupsAndAnswersInOrder) {
  // 250 claims: valid ones, one unknown number, one without a number.
  v1::BatchVerifyRequest request;
  for (int i = 0; i < 250; ++i) {
    v1::Claim* claim = request.add_claims();
    claim->set_certificate_number(i % 2 == 0 ? kValid : kRevoked);
  }
  request.mutable_claims(17)->set_certificate_number("99999Q99999R9M");
  request.mutable_claims(201)->clear_certificate_number();
  auto response = verifier_->BatchVerify(request);
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
  EXPECT_EQ(source_->single_fetches(), 0);
  std::vector<size_t> groups = source_->group_sizes();
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
  EXPECT_EQ(verifier_->Verify(alone).verdict(), v1::VERDICT_PASS);
}

TEST_F(ClaimVerifierTest, AnAnswerIsKeptOnlyForAClaimThatComesAgain) {
  v1::Claim valid;
  valid.set_certificate_number(kValid);
  v1::Claim revoked;
  revoked.set_certificate_number(kRevoked);
  const v1::VerifyResponse first = verifier_->Verify(valid);
  EXPECT_EQ(first.verdict(), v1::VERDICT_PASS);
  EXPECT_EQ(verifier_->Verify(revoked).verdict(), v1::VERDICT_FAIL);
  EXPECT_EQ(verifier_->kept_answers(), 0u);  // each answered once

  // The second time the claim comes, its answer is kept; the third time it
  // is the kept answer, the same as the first.
  EXPECT_EQ(verifier_->Verify(valid).verdict(), v1::VERDICT_PASS);
  EXPECT_EQ(verifier_->kept_answers(), 1u);
  const v1::VerifyResponse third = verifier_->Verify(valid);
  EXPECT_EQ(third.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(verifier_->kept_answers(), 1u);

  // Another question about the same certificate is another claim.
  v1::Claim named = valid;
  named.set_holder_name("somebody else");
  EXPECT_EQ(verifier_->Verify(named).verdict(), v1::VERDICT_FAIL);
  EXPECT_EQ(verifier_->kept_answers(), 1u);
}

TEST_F(ClaimVerifierTest, ConcurrentCallsShareTheWorkersAndAllAreAnswered) {
  // Ten batches and ten single claims at once, as many procurement systems
  // would send them: still no more than two fetches at a time.
  constexpr int kBatches = 10;
  std::vector<v1::BatchVerifyRequest> requests(kBatches);
  for (int b = 0; b < kBatches; ++b) {
    for (int i = 0; i < 30; ++i) {
      requests[b].add_claims()->set_certificate_number(
          (b + i) % 2 == 0 ? kValid : kRevoked);
    }
  }
  absl::Mutex mu;
  int answered = 0;
  std::vector<absl::StatusOr<v1::BatchVerifyResponse>> batches(kBatches);
  std::vector<v1::Verdict> singles(kBatches, v1::VERDICT_UNSPECIFIED);
  v1::Claim single;
  single.set_certificate_number(kValid);
  for (int b = 0; b < kBatches; ++b) {
    verifier_->BatchVerifyAsync(
        requests[b], [&, b](absl::StatusOr<v1::BatchVerifyResponse> answer) {
          absl::MutexLock lock(&mu);
          batches[b] = std::move(answer);
          ++answered;
        });
    verifier_->VerifyAsync(single, [&, b](v1::VerifyResponse answer) {
      absl::MutexLock lock(&mu);
      singles[b] = answer.verdict();
      ++answered;
    });
  }
  {
    absl::MutexLock lock(&mu);
    auto all = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return answered == 2 * kBatches;
    };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&all), absl::Minutes(1)));
  }
  for (int b = 0; b < kBatches; ++b) {
    ASSERT_TRUE(batches[b].ok()) << batches[b].status();
    ASSERT_EQ(batches[b]->results_size(), 30);
    for (int i = 0; i < 30; ++i) {
      EXPECT_EQ(batches[b]->results(i).verdict(),
                (b + i) % 2 == 0 ? v1::VERDICT_PASS : v1::VERDICT_FAIL)
          << b << "/" << i;
    }
    EXPECT_EQ(singles[b], v1::VERDICT_PASS);
  }
  EXPECT_EQ(source_->most_in_flight(), 2);
}

TEST_F(ClaimVerifierTest, AnOverLongBatchIsRefusedAtOnce) {
  v1::BatchVerifyRequest request;
  for (int i = 0; i <= ClaimVerifier::kMaxBatch; ++i) {
    request.add_claims()->set_certificate_number(kValid);
  }
  auto response = verifier_->BatchVerify(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(response.status().message().find("claims: 1001"), std::string::npos)
      << response.status();
  EXPECT_TRUE(source_->group_sizes().empty());
  // An empty batch has an empty answer.
  auto empty = verifier_->BatchVerify(v1::BatchVerifyRequest());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->results_size(), 0);
}

// The certificate view a front-end builds from a verified bundle is the
// registry's own GetCertificate answer, field for field, for every demo
// certificate, today and as of earlier dates, in both views.
TEST_F(ClaimVerifierTest, LookupBuildsTheRegistrysViewFromTheVerifiedBundle) {
  v1::SearchCertificatesRequest search;
  search.set_page_size(100);
  auto all = registry_->SearchCertificates(search);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GE(all->certificates_size(), 5);
  int compared = 0;
  for (const v1::CertificateSummary& summary : all->certificates()) {
    for (const v1::Date& as_of :
         {v1::Date(), ToProtoDate(absl::CivilDay(2025, 6, 1)),
          ToProtoDate(absl::CivilDay(2026, 3, 1))}) {
      for (v1::CertificateView view :
           {v1::CERTIFICATE_VIEW_BASIC, v1::CERTIFICATE_VIEW_FULL}) {
        v1::GetCertificateRequest request;
        request.set_number(summary.number());
        request.set_view(view);
        v1::Claim claim;
        claim.set_certificate_number(summary.number());
        if (as_of.year() != 0) {
          *request.mutable_as_of() = as_of;
          *claim.mutable_as_of() = as_of;
        }
        absl::StatusOr<v1::GetCertificateResponse> expected =
            registry_->GetCertificate(request);
        VerifiedCertificate found =
            verifier_->Lookup(claim, view == v1::CERTIFICATE_VIEW_FULL);
        if (!expected.ok()) {  // not yet issued on the date
          EXPECT_FALSE(found.view.has_value()) << summary.number();
          continue;
        }
        ASSERT_TRUE(found.fetch_status.ok()) << found.fetch_status;
        ASSERT_TRUE(found.view.has_value())
            << summary.number() << found.verification.DebugString();
        EXPECT_EQ(found.view->DebugString(), expected->DebugString())
            << summary.number() << " as of " << as_of.DebugString();
        EXPECT_EQ(found.bundle.certificate_number(), summary.number());
        ++compared;
      }
    }
  }
  EXPECT_GE(compared, 20);

  v1::Claim unknown;
  unknown.set_certificate_number("99999Q99999R9M");
  VerifiedCertificate missing = verifier_->Lookup(unknown);
  EXPECT_TRUE(absl::IsNotFound(missing.fetch_status)) << missing.fetch_status;
  EXPECT_FALSE(missing.view.has_value());
  EXPECT_EQ(missing.verification.verdict(), v1::VERDICT_FAIL);
}

}  // namespace
}  // namespace certreg
