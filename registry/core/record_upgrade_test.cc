// Opening data directories from before certificate records: the upgrade,
// its resumption and its refusals.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/memory_store.h"
#include "registry/storage/store_keys.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"

namespace certreg {
namespace {

// Rewrites every certificate record of `store` from the `from`-th on as the
// leaf indexes that directories before records kept, and forgets the record
// format; returns the certificate rows as they were.
std::vector<KeyValue> ToPreRecordLayout(MemoryStore& store, size_t from) {
  auto rows = store.Scan(Column::kCertificates, "", "", 100000);
  EXPECT_TRUE(rows.ok());
  WriteBatch old_layout;
  for (size_t i = from; i < rows->size(); ++i) {
    v1::CertificateRecord record;
    EXPECT_TRUE(record.ParseFromString((*rows)[i].second));
    std::vector<uint64_t> indexes;
    for (const auto& recorded : record.statements()) {
      indexes.push_back(recorded.leaf_index());
    }
    old_layout.Put(Column::kCertificates, (*rows)[i].first,
                   EncodeLeafIndexes(indexes));
  }
  old_layout.Delete(Column::kMeta, kMetaRecordFormat);
  EXPECT_TRUE(store.Write(old_layout).ok());
  return *std::move(rows);
}

// Directories written before certificate records kept only the statements'
// leaf indexes under each number; opening one rewrites them as records.
TEST_F(RegistryTest, UpgradesDirectoriesFromBeforeCertificateRecords) {
  std::vector<DemoCertificate> demo = Seed();
  const std::vector<absl::CivilDay> dates = {
      absl::CivilDay(2025, 9, 21), absl::CivilDay(2026, 8, 22),
      absl::CivilDay(2026, 9, 22), kToday};
  std::vector<std::string> before;
  for (const DemoCertificate& c : demo) {
    for (absl::CivilDay day : dates) {
      before.push_back(Get(c.number, day).SerializeAsString());
    }
  }
  registry_.reset();

  // Back to the old layout, as if an upgrade had stopped after two records.
  std::vector<KeyValue> rows = ToPreRecordLayout(store_, 2);
  ASSERT_EQ(rows.size(), demo.size());
  WriteBatch stopped;
  stopped.Put(Column::kMeta, kMetaRecordUpgradeAfter, rows[1].first);
  ASSERT_TRUE(store_.Write(stopped).ok());

  std::vector<std::string> told;
  progress_ = [&told](absl::string_view what) { told.emplace_back(what); };
  registry_ = OpenRegistry(&store_);
  ASSERT_NE(registry_, nullptr);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_NE(told[0].find("resuming"), std::string::npos) << told[0];
  EXPECT_EQ(told[1],
            absl::StrCat("certificate records upgraded: ", demo.size() - 2));
  std::vector<std::string> after;
  for (const DemoCertificate& c : demo) {
    for (absl::CivilDay day : dates) {
      after.push_back(Get(c.number, day).SerializeAsString());
    }
  }
  EXPECT_EQ(after, before);
  EXPECT_EQ(**store_.Get(Column::kMeta, kMetaRecordFormat), kRecordFormat);
  EXPECT_FALSE(store_.Get(Column::kMeta, kMetaRecordUpgradeAfter)->has_value());
  // An upgraded certificate (not one of the first two) takes its next event.
  ASSERT_GT("90126Q21540R2M", rows[1].first);
  v1::Statement audit = NextEvent("90126Q21540R2M", kToday);
  audit.mutable_surveillance();
  ASSERT_TRUE(SignAndSubmit(audit, body_keys_[0]).ok());
  EXPECT_EQ(Get("90126Q21540R2M").head_event_hash(),
            StatementHash(*SignStatement(audit, body_keys_[0])));
}

TEST_F(RegistryTest, AnUpgradeThatCannotReplayAChainNamesIt) {
  Seed();
  registry_.reset();
  ToPreRecordLayout(store_, 0);
  WriteBatch broken;
  // A leaf index past the end of the log.
  broken.Put(Column::kCertificates, "90126Q21540R2M",
             EncodeLeafIndexes({999999}));
  ASSERT_TRUE(store_.Write(broken).ok());
  absl::StatusOr<std::unique_ptr<Registry>> opened = TryOpen(&store_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(opened.status().message().find("90126Q21540R2M"), std::string::npos)
      << opened.status();
}

TEST_F(RegistryTest, RefusesRecordsOfANewerFormat) {
  Seed();
  registry_.reset();
  WriteBatch newer;
  newer.Put(Column::kMeta, kMetaRecordFormat, "3");
  ASSERT_TRUE(store_.Write(newer).ok());
  absl::StatusOr<std::unique_ptr<Registry>> opened = TryOpen(&store_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find("format \"3\""), std::string::npos)
      << opened.status();
}

}  // namespace
}  // namespace certreg
