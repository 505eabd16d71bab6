// Scrub: every leaf and every certificate record checked against what is
// signed, damage named, nothing changed.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/core/record_tampering.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/store.h"
#include "registry/storage/store_keys.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

TEST_F(RegistryTest, ScrubOfAnIntactRegistryFindsNothing) {
  Seed();
  ASSERT_TRUE(registry_->PublishCheckpoint().ok());
  absl::StatusOr<v1::ScrubReport> report = registry_->Scrub();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->problems().empty()) << report->DebugString();
  EXPECT_TRUE(report->log_root_matches());
  EXPECT_EQ(report->certificates_checked(), 8u);
  EXPECT_EQ(report->leaves_checked(), registry_->size());
  EXPECT_EQ(report->checkpoint_tree_size(), registry_->size());
}

TEST_F(RegistryTest, ScrubFindsARecordRewrittenWhole) {
  Seed();
  ASSERT_TRUE(registry_->PublishCheckpoint().ok());
  // Rewritten with a valid encoding, as someone with the database could.
  ASSERT_TRUE(
      RenameHolderInRecord(store_, "90126Q21540R2M", "青岛冒名电器有限公司")
          .ok());

  absl::StatusOr<v1::ScrubReport> report = registry_->Scrub();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->problems_size(), 1) << report->DebugString();
  EXPECT_THAT(report->problems(0), HasSubstr("certificate 90126Q21540R2M"));
  EXPECT_THAT(report->problems(0), HasSubstr("differs from what its signed"));
  EXPECT_TRUE(report->log_root_matches());
}

// A record that no longer lists its latest statement (a suspension dropped,
// say): the log shows what is missing.
TEST_F(RegistryTest, ScrubFindsARecordThatOmitsAStatementOfTheLog) {
  Seed();
  ASSERT_TRUE(registry_->PublishCheckpoint().ok());
  auto bytes = store_.Get(Column::kCertificates, "90119Q30555R1L");
  ASSERT_TRUE(bytes.ok() && bytes->has_value());
  v1::CertificateRecord record;
  ASSERT_TRUE(record.ParseFromString(**bytes));
  ASSERT_EQ(record.statements_size(), 5);
  record.mutable_statements()->RemoveLast();
  WriteBatch batch;
  batch.Put(Column::kCertificates, "90119Q30555R1L",
            record.SerializeAsString());
  ASSERT_TRUE(store_.Write(batch).ok());

  absl::StatusOr<v1::ScrubReport> report = registry_->Scrub();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->problems_size(), 1) << report->DebugString();
  EXPECT_THAT(report->problems(0),
              HasSubstr("certificate 90119Q30555R1L: the record lists 4 of "
                        "its statements but the log has 5"));
}

TEST_F(RegistryTest, ScrubFindsALeafThatNoLongerHashesToThePublishedRoot) {
  Seed();
  ASSERT_TRUE(registry_->PublishCheckpoint().ok());
  auto rows = store_.Scan(Column::kStatements, "", "", 1);
  ASSERT_TRUE(rows.ok() && !rows->empty());
  std::string altered = (*rows)[0].second;
  altered.back() ^= 1;
  WriteBatch batch;
  batch.Put(Column::kStatements, (*rows)[0].first, altered);
  ASSERT_TRUE(store_.Write(batch).ok());

  absl::StatusOr<v1::ScrubReport> report = registry_->Scrub();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->log_root_matches());
  ASSERT_FALSE(report->problems().empty());
  EXPECT_THAT(report->problems(0), HasSubstr("but the published checkpoint"));
}

}  // namespace
}  // namespace certreg
