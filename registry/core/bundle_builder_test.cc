// The log through the registry -- checkpoints, proofs, durable entries --
// and the verification bundles built from it, alone and in batches.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

TEST_F(RegistryTest, EveryStatementIsALogLeafWithProofs) {
  Seed();
  const uint64_t size = registry_->size();
  auto checkpoint = registry_->GetCheckpoint(v1::GetCheckpointRequest());
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  v1::Checkpoint head;
  ASSERT_TRUE(head.ParseFromString(checkpoint->checkpoint()));
  EXPECT_EQ(head.tree_size(), size);
  EXPECT_EQ(checkpoint->key_id(), log_key_->key_id());

  // Entries: bounded ranges, every leaf present.
  v1::GetEntriesRequest entries;
  entries.set_start(0);
  entries.set_end(size);
  auto all = registry_->GetEntries(entries);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->entries_size(), static_cast<int>(size));
  entries.set_end(size + 1);
  EXPECT_EQ(registry_->GetEntries(entries).status().code(),
            absl::StatusCode::kOutOfRange);
  entries.set_end(1001);
  EXPECT_EQ(registry_->GetEntries(entries).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Inclusion by leaf hash matches inclusion by index.
  const std::string leaf_hash =
      LeafHash(LeafData(all->entries(3).signed_statement()));
  v1::GetInclusionProofRequest by_hash;
  by_hash.set_leaf_hash(leaf_hash);
  auto proof = registry_->GetInclusionProof(by_hash);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(proof->leaf_index(), 3u);
  std::vector<std::string> hashes(proof->hashes().begin(),
                                  proof->hashes().end());
  EXPECT_TRUE(
      VerifyInclusion(3, size, leaf_hash, hashes, head.root_hash()).ok());

  // The bundle: the certificate's chain and its body's accreditation, each
  // proven to the bundle's checkpoint.
  v1::GetVerificationBundleRequest request;
  request.set_number("90119Q30555R1L");
  auto bundle = registry_->GetVerificationBundle(request);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->certificate_statements_size(), 5);
  ASSERT_EQ(bundle->authority_statements_size(), 1);
  v1::Checkpoint bundle_head;
  bundle_head.ParseFromString(bundle->checkpoint().checkpoint());
  for (const auto* list :
       {&bundle->certificate_statements(), &bundle->authority_statements()}) {
    for (const v1::ProvenStatement& proven : *list) {
      std::vector<std::string> path(proven.inclusion_proof().hashes().begin(),
                                    proven.inclusion_proof().hashes().end());
      EXPECT_TRUE(VerifyInclusion(proven.inclusion_proof().leaf_index(),
                                  bundle_head.tree_size(),
                                  LeafHash(LeafData(proven.signed_statement())),
                                  path, bundle_head.root_hash())
                      .ok());
    }
  }
  // Several bundles at once: in order, each number's own error, one
  // checkpoint, and one signature over every head.
  v1::GetVerificationBundlesRequest several;
  several.add_numbers("90119Q30555R1L");
  several.add_numbers("99999Q99999R9M");
  several.add_numbers("not a number");
  several.add_numbers("90119Q30555R1L");
  auto bundles = registry_->GetVerificationBundles(several);
  ASSERT_TRUE(bundles.ok()) << bundles.status();
  ASSERT_EQ(bundles->results_size(), 4);
  EXPECT_EQ(bundles->results(1).code(),
            static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_NE(bundles->results(1).message().find("99999Q99999R9M"),
            std::string::npos)
      << bundles->results(1).message();
  EXPECT_FALSE(bundles->results(1).has_bundle());
  EXPECT_EQ(bundles->results(2).code(),
            static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(bundles->results(2).message().find("numbers[2]"), std::string::npos)
      << bundles->results(2).message();
  for (int i : {0, 3}) {
    const v1::VerificationBundle& batched = bundles->results(i).bundle();
    EXPECT_EQ(bundles->results(i).code(), 0);
    EXPECT_EQ(batched.certificate_number(), "90119Q30555R1L");
    EXPECT_EQ(batched.certificate_statements_size(), 5);
    EXPECT_EQ(batched.checkpoint().SerializeAsString(),
              bundles->results(0).bundle().checkpoint().SerializeAsString());
    EXPECT_EQ(batched.head_in_tree().tree().signature(),
              bundles->results(0).bundle().head_in_tree().tree().signature());
    auto head = VerifyCertificateHeadInTree(batched.head_in_tree(),
                                            log_key_->public_key());
    ASSERT_TRUE(head.ok()) << head.status();
    EXPECT_EQ(head->certificate_number(), "90119Q30555R1L");
    EXPECT_EQ(head->certificate_statement_count(), 5u);
  }
  EXPECT_EQ(bundles->results(3).bundle().head_in_tree().index(), 1u);
  // Nothing to bundle: each number's error, or nothing at all.
  v1::GetVerificationBundlesRequest unknown;
  unknown.add_numbers("99999Q99999R9M");
  auto none = registry_->GetVerificationBundles(unknown);
  ASSERT_TRUE(none.ok()) << none.status();
  ASSERT_EQ(none->results_size(), 1);
  EXPECT_EQ(none->results(0).code(),
            static_cast<int>(absl::StatusCode::kNotFound));
  auto empty =
      registry_->GetVerificationBundles(v1::GetVerificationBundlesRequest());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->results_size(), 0);
  v1::GetVerificationBundlesRequest too_many;
  for (int i = 0; i <= Registry::kMaxBundles; ++i) {
    too_many.add_numbers("90119Q30555R1L");
  }
  absl::Status refused = registry_->GetVerificationBundles(too_many).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("numbers:"), std::string::npos) << refused;

  auto keys = registry_->GetRegistryKeys();
  EXPECT_EQ(keys.log_key_id(), log_key_->key_id());
  EXPECT_EQ(keys.operator_key_id(), operator_key_.key_id());
}

// Bundles of one request whose certificates come from different bodies:
// each carries its own body's accreditation, as when asked for alone.
TEST_F(RegistryTest, VerificationBundlesCarryEachCertificatesOwnBody) {
  Seed();
  const std::vector<std::string> numbers = {"90126Q21540R2M", "90224S00317R0L",
                                            "90119Q30555R1L", "90224S00317R0L"};
  v1::GetVerificationBundlesRequest several;
  for (const std::string& number : numbers) several.add_numbers(number);
  auto bundles = registry_->GetVerificationBundles(several);
  ASSERT_TRUE(bundles.ok()) << bundles.status();
  ASSERT_EQ(bundles->results_size(), 4);
  auto authority_of = [](const v1::VerificationBundle& bundle) {
    std::vector<uint64_t> indexes;
    for (const v1::ProvenStatement& s : bundle.authority_statements()) {
      indexes.push_back(s.inclusion_proof().leaf_index());
    }
    return indexes;
  };
  for (size_t i = 0; i < numbers.size(); ++i) {
    SCOPED_TRACE(numbers[i]);
    ASSERT_EQ(bundles->results(i).code(), 0) << bundles->results(i).message();
    v1::GetVerificationBundleRequest alone;
    alone.set_number(numbers[i]);
    auto single = registry_->GetVerificationBundle(alone);
    ASSERT_TRUE(single.ok()) << single.status();
    EXPECT_EQ(authority_of(bundles->results(i).bundle()),
              authority_of(*single));
    EXPECT_EQ(bundles->results(i).bundle().certificate_statements_size(),
              single->certificate_statements_size());
  }
  EXPECT_NE(authority_of(bundles->results(0).bundle()),
            authority_of(bundles->results(1).bundle()));
}

// An answer stops taking bundles at options.max_bundles_bytes (always
// taking the first): the numbers left out get RESOURCE_EXHAUSTED, naming
// them, and other errors stay their own.
TEST_F(RegistryTest, VerificationBundlesStopAtTheAnswerSizeLimit) {
  Seed();
  registry_.reset();
  max_bundles_bytes_ = 1;
  registry_ = OpenRegistry(&store_);
  ASSERT_NE(registry_, nullptr);
  v1::GetVerificationBundlesRequest request;
  request.add_numbers("99999Q99999R9M");
  request.add_numbers("90119Q30555R1L");
  request.add_numbers("90126Q21540R2M");
  request.add_numbers("bad number");
  request.add_numbers("90119Q30555R1L");
  auto bundles = registry_->GetVerificationBundles(request);
  ASSERT_TRUE(bundles.ok()) << bundles.status();
  ASSERT_EQ(bundles->results_size(), 5);
  EXPECT_EQ(bundles->results(0).code(),
            static_cast<int>(absl::StatusCode::kNotFound));
  ASSERT_EQ(bundles->results(1).code(), 0) << bundles->results(1).message();
  const v1::VerificationBundle& first = bundles->results(1).bundle();
  auto head =
      VerifyCertificateHeadInTree(first.head_in_tree(), log_key_->public_key());
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->certificate_number(), "90119Q30555R1L");
  for (int i : {2, 4}) {
    EXPECT_EQ(bundles->results(i).code(),
              static_cast<int>(absl::StatusCode::kResourceExhausted));
    EXPECT_FALSE(bundles->results(i).has_bundle());
    EXPECT_NE(
        bundles->results(i).message().find(absl::StrCat("numbers[", i, "]")),
        std::string::npos)
        << bundles->results(i).message();
  }
  EXPECT_EQ(bundles->results(3).code(),
            static_cast<int>(absl::StatusCode::kInvalidArgument));

  // With the default limit the same request carries every bundle.
  registry_.reset();
  max_bundles_bytes_ = RegistryOptions().max_bundles_bytes;
  registry_ = OpenRegistry(&store_);
  ASSERT_NE(registry_, nullptr);
  auto all = registry_->GetVerificationBundles(request);
  ASSERT_TRUE(all.ok()) << all.status();
  for (int i : {1, 2, 4}) {
    EXPECT_EQ(all->results(i).code(), 0) << all->results(i).message();
  }
}

TEST_F(RegistryDurableReadsTest, LogEntriesAreServedOnceDurable) {
  Seed();
  v1::Certificate c = NewCertificate("90126Q99024R0M", "青岛日志有限公司", 74);
  auto signed_statement = SignStatement(IssueOf(c), body_keys_[0]);
  ASSERT_TRUE(signed_statement.ok());
  gated_.Hold();
  absl::Notification acknowledged;
  registry_->SubmitAsync(
      v1::STATEMENT_KIND_ISSUE, *signed_statement,
      [&](absl::StatusOr<v1::StatementReceipt>) { acknowledged.Notify(); });
  // The log counts the new entry; asking for it waits for its sync.
  const uint64_t size = registry_->size();
  v1::GetEntriesRequest request;
  request.set_start(size - 1);
  request.set_end(size);
  absl::Notification served;
  absl::StatusOr<v1::GetEntriesResponse> entries;
  std::thread mirror([&] {
    entries = registry_->GetEntries(request);
    served.Notify();
  });
  EXPECT_FALSE(served.WaitForNotificationWithTimeout(absl::Milliseconds(200)));
  gated_.Release();
  mirror.join();
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->entries_size(), 1);
  EXPECT_EQ(entries->entries(0).signed_statement().SerializeAsString(),
            signed_statement->SerializeAsString());
  acknowledged.WaitForNotification();
}

}  // namespace
}  // namespace certreg
