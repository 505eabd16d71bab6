// Reading certificates through the registry: status and history as of any
// day, the views, refusals, what readers see before a write is durable, and
// a reopened RocksDB directory.
#include <filesystem>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "registry/core/record_tampering.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/rocksdb_store.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

TEST_F(RegistryTest, DemoCertificatesHaveTheirIntendedStatus) {
  std::vector<DemoCertificate> demo = Seed();
  ASSERT_EQ(demo.size(), 8u);
  for (const DemoCertificate& c : demo) {
    v1::GetCertificateResponse response = Get(c.number);
    EXPECT_EQ(response.status().status(), c.expected_status)
        << c.number << " (" << c.story
        << "): " << response.status().DebugString();
    EXPECT_EQ(response.certificate().holder().name(), c.holder_name);
    EXPECT_FALSE(response.status().reasons().empty());
    EXPECT_EQ(response.status().as_of().year(), 2026);
  }
}

TEST_F(RegistryTest, HistoryAndStatusAsOfAnyDate) {
  Seed();
  // 90119Q30555R1L: issued 2025-07-22, first audit overdue from 2026-07-23,
  // suspended 2026-08-22, audited and reinstated 2026-09-22, scope changed
  // 2026-10-22.
  v1::GetCertificateResponse now = Get("90119Q30555R1L");
  ASSERT_EQ(now.history_size(), 5);
  EXPECT_EQ(now.history(0).kind(), v1::STATEMENT_KIND_ISSUE);
  EXPECT_EQ(now.history(1).kind(), v1::STATEMENT_KIND_SUSPEND);
  EXPECT_NE(now.history(1).details().find("未按期接受监督审核"),
            std::string::npos);
  EXPECT_EQ(now.history(4).kind(), v1::STATEMENT_KIND_CHANGE_SCOPE);
  EXPECT_EQ(now.certificate().scope(), "应用软件的开发、系统集成和技术服务");
  EXPECT_EQ(now.surveillance_count(), 1u);
  EXPECT_EQ(FormatDate(now.last_surveillance_date()), "2026-09-22");
  EXPECT_EQ(now.head_event_hash(), now.history(4).statement_hash());

  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2026, 7, 22)).status().status(),
      v1::CERTIFICATE_STATUS_VALID);
  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2026, 7, 23)).status().status(),
      v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2026, 8, 22)).status().status(),
      v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2026, 9, 22)).status().status(),
      v1::CERTIFICATE_STATUS_VALID);
  // Before the audit, as of the suspension, nothing was audited yet.
  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2026, 9, 1)).surveillance_count(),
      0u);
  EXPECT_EQ(
      Get("90119Q30555R1L", absl::CivilDay(2025, 7, 21)).status().status(),
      v1::CERTIFICATE_STATUS_NOT_YET_VALID);
}

TEST_F(RegistryTest, BasicViewIsTheFullViewWithoutSignedStatements) {
  for (const DemoCertificate& c : Seed()) {
    v1::GetCertificateResponse full = Get(c.number);
    ASSERT_GT(full.history_size(), 0);
    for (const v1::HistoryEntry& entry : full.history()) {
      // The full view carries each statement as signed, matching its hash.
      EXPECT_EQ(StatementHash(entry.signed_statement()),
                entry.statement_hash());
    }
    v1::GetCertificateRequest request;
    request.set_number(c.number);
    request.set_view(v1::CERTIFICATE_VIEW_FULL);
    absl::StatusOr<v1::GetCertificateResponse> explicit_full =
        registry_->GetCertificate(request);
    ASSERT_TRUE(explicit_full.ok()) << explicit_full.status();
    EXPECT_EQ(explicit_full->SerializeAsString(), full.SerializeAsString());

    request.set_view(v1::CERTIFICATE_VIEW_BASIC);
    absl::StatusOr<v1::GetCertificateResponse> basic =
        registry_->GetCertificate(request);
    ASSERT_TRUE(basic.ok()) << basic.status();
    for (v1::HistoryEntry& entry : *full.mutable_history()) {
      entry.clear_signed_statement();
    }
    EXPECT_EQ(basic->SerializeAsString(), full.SerializeAsString()) << c.number;
  }
  v1::GetCertificateRequest bad;
  bad.set_number("90126Q21540R2M");
  bad.set_view(static_cast<v1::CertificateView>(99));
  absl::Status refused = registry_->GetCertificate(bad).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("view"), std::string::npos) << refused;
}

TEST_F(RegistryTest, GetRefusesBadNumbersAndUnknownOnes) {
  v1::GetCertificateRequest request;
  request.set_number("has space");
  EXPECT_EQ(registry_->GetCertificate(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_number("00000Q00000R0M");
  EXPECT_EQ(registry_->GetCertificate(request).status().code(),
            absl::StatusCode::kNotFound);
  request.mutable_as_of()->set_year(2026);
  request.mutable_as_of()->set_month(2);
  request.mutable_as_of()->set_day(30);
  auto bad_date = registry_->GetCertificate(request);
  EXPECT_EQ(bad_date.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_date.status().message().find("as_of"), std::string::npos);
}

TEST_F(RegistryDurableReadsTest, ReadersSeeAWriteOnceItIsDurable) {
  Seed();
  v1::Certificate c = NewCertificate("90126Q99023R0M", "青岛慢盘有限公司", 73);
  auto signed_statement = SignStatement(IssueOf(c), body_keys_[0]);
  ASSERT_TRUE(signed_statement.ok());
  v1::GetCertificateRequest lookup;
  lookup.set_number(c.number());
  v1::SearchCertificatesRequest search;
  search.set_query("慢盘");

  gated_.Hold();
  absl::Notification acknowledged;
  absl::StatusOr<v1::StatementReceipt> receipt;
  registry_->SubmitAsync(v1::STATEMENT_KIND_ISSUE, *signed_statement,
                         [&](absl::StatusOr<v1::StatementReceipt> result) {
                           receipt = std::move(result);
                           acknowledged.Notify();
                         });
  // Applied but not yet durable: a crash could still take it away, so no
  // reader is shown it...
  EXPECT_FALSE(acknowledged.HasBeenNotified());
  EXPECT_EQ(registry_->GetCertificate(lookup).status().code(),
            absl::StatusCode::kNotFound);
  auto found = registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->certificates_size(), 0);
  // ...while writers check against it: issuing it again is refused.
  EXPECT_EQ(registry_->Submit(v1::STATEMENT_KIND_ISSUE, *signed_statement)
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);

  gated_.Release();
  acknowledged.WaitForNotification();
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  // Once acknowledged, it is shown.
  EXPECT_EQ(Get(c.number()).certificate().holder().name(), "青岛慢盘有限公司");
  found = registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->certificates_size(), 1);
  EXPECT_EQ(found->certificates(0).number(), c.number());
}

// A record rewritten inside the database with a valid encoding (block
// checksums and all), as someone with the files could: lookups refuse it in
// every view instead of showing the altered holder as valid.
TEST_F(RegistryTest, GetRefusesARecordThatDiffersFromItsStatements) {
  Seed();
  ASSERT_TRUE(
      RenameHolderInRecord(store_, "90126Q21540R2M", "青岛冒名电器有限公司")
          .ok());

  for (v1::CertificateView view :
       {v1::CERTIFICATE_VIEW_BASIC, v1::CERTIFICATE_VIEW_FULL}) {
    v1::GetCertificateRequest request;
    request.set_number("90126Q21540R2M");
    request.set_view(view);
    absl::StatusOr<v1::GetCertificateResponse> got =
        registry_->GetCertificate(request);
    ASSERT_FALSE(got.ok()) << got->certificate().holder().name();
    EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(got.status().message().find("90126Q21540R2M"), std::string::npos);
    EXPECT_NE(got.status().message().find("differs from the signed "
                                          "statements"),
              std::string::npos)
        << got.status();
  }
  // The other certificates are still served.
  EXPECT_EQ(Get("90119Q30555R1L").history_size(), 5);
}

TEST(RegistryRocksDbTest, EverythingSurvivesReopen) {
  std::string dir = testing::TempDir() + "/registry_reopen";
  std::filesystem::remove_all(dir);
  Ed25519PrivateKey operator_key = *Ed25519PrivateKey::Generate();
  std::vector<Ed25519PrivateKey> body_keys = {*Ed25519PrivateKey::Generate(),
                                              *Ed25519PrivateKey::Generate()};
  RegistryOptions options;
  options.operator_key =
      std::make_shared<const Ed25519PublicKey>(operator_key.public_key());
  options.log_key =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  options.now = RegistryTest::Noon;
  uint64_t size = 0;
  {
    auto store = RocksDbStore::Open(dir);
    ASSERT_TRUE(store.ok());
    auto registry = Registry::Open(store->get(), options);
    ASSERT_TRUE(registry.ok());
    auto seeded =
        SeedDemo(operator_key, body_keys, RegistryTest::kToday,
                 [&](v1::StatementKind kind, const v1::SignedStatement& s) {
                   return (*registry)->Submit(kind, s);
                 });
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    size = (*registry)->size();
  }
  auto store = RocksDbStore::Open(dir);
  ASSERT_TRUE(store.ok());
  auto registry = Registry::Open(store->get(), options);
  ASSERT_TRUE(registry.ok());
  EXPECT_EQ((*registry)->size(), size);
  v1::GetCertificateRequest get;
  get.set_number("90119Q30555R1L");
  auto got = (*registry)->GetCertificate(get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->history_size(), 5);
  v1::SearchCertificatesRequest search;
  search.set_query("锦城");
  EXPECT_EQ((*registry)->SearchCertificates(search)->certificates_size(), 1);
  EXPECT_EQ((*registry)->ListBodies(v1::ListBodiesRequest())->bodies_size(), 2);
}

}  // namespace
}  // namespace certreg
