#include "registry/core/registry.h"

#include <filesystem>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "registry/storage/memory_store.h"
#include "registry/storage/rocksdb_store.h"
#include "registry/storage/store_keys.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Every test runs on 2026-11-22, noon in Beijing.
const absl::CivilDay kToday(2026, 11, 22);

absl::Time Noon() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

v1::Date D(int y, int m, int d) { return ToProtoDate(absl::CivilDay(y, m, d)); }

class RegistryTest : public testing::Test {
 protected:
  void SetUp() override {
    operator_key_ = *Ed25519PrivateKey::Generate();
    for (size_t i = 0; i < DemoBodies().size(); ++i) {
      body_keys_.push_back(*Ed25519PrivateKey::Generate());
    }
    registry_ = OpenRegistry(&store_);
  }

  absl::StatusOr<std::unique_ptr<Registry>> TryOpen(Store* store) {
    RegistryOptions options;
    options.operator_key =
        std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
    options.log_key = log_key_;
    options.now = [this] { return now_; };
    options.progress = progress_;
    options.max_bundles_bytes = max_bundles_bytes_;
    return Registry::Open(store, options);
  }

  std::unique_ptr<Registry> OpenRegistry(Store* store) {
    auto registry = TryOpen(store);
    EXPECT_TRUE(registry.ok()) << registry.status();
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  SubmitStatementFn Submitter() {
    return [this](v1::StatementKind kind, const v1::SignedStatement& s) {
      return registry_->Submit(kind, s);
    };
  }

  std::vector<DemoCertificate> Seed() {
    auto seeded = SeedDemo(operator_key_, body_keys_, kToday, Submitter());
    EXPECT_TRUE(seeded.ok()) << seeded.status();
    return seeded.ok() ? *seeded : std::vector<DemoCertificate>{};
  }

  v1::GetCertificateResponse Get(const std::string& number,
                                 std::optional<absl::CivilDay> as_of = {}) {
    v1::GetCertificateRequest request;
    request.set_number(number);
    if (as_of) *request.mutable_as_of() = ToProtoDate(*as_of);
    auto response = registry_->GetCertificate(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::GetCertificateResponse();
  }

  // An event for `number` naming the registry's current head.
  v1::Statement NextEvent(const std::string& number, absl::CivilDay date) {
    v1::Statement s;
    s.set_certificate_number(number);
    *s.mutable_date() = ToProtoDate(date);
    s.set_previous_event_hash(Get(number).head_event_hash());
    return s;
  }

  absl::StatusOr<v1::StatementReceipt> SignAndSubmit(
      const v1::Statement& statement, const Signer& signer) {
    auto signed_statement = SignStatement(statement, signer);
    EXPECT_TRUE(signed_statement.ok());
    return registry_->Submit(KindOf(statement), *signed_statement);
  }

  // Expects `statement` refused with `code` and a message containing `text`,
  // and nothing stored.
  void ExpectRefused(const v1::Statement& statement, const Signer& signer,
                     absl::StatusCode code, const std::string& text) {
    uint64_t size_before = registry_->size();
    auto receipt = SignAndSubmit(statement, signer);
    EXPECT_EQ(receipt.status().code(), code) << receipt.status();
    EXPECT_NE(receipt.status().message().find(text), std::string::npos)
        << receipt.status();
    EXPECT_EQ(registry_->size(), size_before);
  }

  v1::Certificate NewCertificate(const std::string& number,
                                 const std::string& holder, uint64_t seed) {
    v1::Certificate c;
    c.set_number(number);
    c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
    c.mutable_item()->set_code("A01");
    c.mutable_item()->set_name("质量管理体系认证（ISO 9001）");
    c.add_basis("GB/T 19001-2016/ISO 9001:2015");
    c.mutable_holder()->set_name(holder);
    c.mutable_holder()->set_unified_social_credit_code(DemoCreditCode(seed));
    c.mutable_holder()->set_address("山东省青岛市崂山区");
    c.set_scope("家用电器的生产");
    *c.mutable_first_issue_date() = D(2026, 1, 10);
    *c.mutable_issue_date() = D(2026, 1, 10);
    *c.mutable_expiry_date() = D(2029, 1, 9);
    c.set_body_approval_number(DemoBodies()[0].approval_number);
    c.set_body_name(DemoBodies()[0].name);
    return c;
  }

  v1::Statement IssueOf(const v1::Certificate& c) {
    v1::Statement s;
    s.set_certificate_number(c.number());
    *s.mutable_date() = c.issue_date();
    *s.mutable_issue()->mutable_certificate() = c;
    return s;
  }

  // Rewrites every certificate record from the `from`-th on as the leaf
  // indexes that directories before records kept, and forgets the record
  // format; returns the certificate rows as they were.
  std::vector<KeyValue> ToPreRecordLayout(size_t from) {
    auto rows = store_.Scan(Column::kCertificates, "", "", 100000);
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
    EXPECT_TRUE(store_.Write(old_layout).ok());
    return *std::move(rows);
  }

  absl::Time now_ = Noon();
  std::function<void(absl::string_view)> progress_;
  MemoryStore store_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  std::shared_ptr<const Ed25519PrivateKey> log_key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys_;
  std::unique_ptr<Registry> registry_;
  size_t max_bundles_bytes_ = RegistryOptions().max_bundles_bytes;
};

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
  std::vector<KeyValue> rows = ToPreRecordLayout(2);
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
  ToPreRecordLayout(0);
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

TEST_F(RegistryTest, LifecycleIssueSurveilSuspendReinstateRevoke) {
  Seed();
  const Ed25519PrivateKey& body = body_keys_[0];
  v1::Certificate c =
      NewCertificate("90126Q99001R0M", "青岛测试电器有限公司", 42);
  auto issued = SignAndSubmit(IssueOf(c), body);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->leaf_index(), registry_->size() - 1);
  EXPECT_EQ(Get(c.number()).head_event_hash(), issued->statement_hash());

  v1::Statement audit = NextEvent(c.number(), absl::CivilDay(2026, 10, 1));
  audit.mutable_surveillance()->set_note("监督审核");
  ASSERT_TRUE(SignAndSubmit(audit, body).ok());
  v1::Statement suspend = NextEvent(c.number(), absl::CivilDay(2026, 11, 1));
  suspend.mutable_suspend()->set_reason("整改");
  ASSERT_TRUE(SignAndSubmit(suspend, body).ok());
  EXPECT_EQ(Get(c.number()).status().status(),
            v1::CERTIFICATE_STATUS_SUSPENDED);
  v1::Statement reinstate = NextEvent(c.number(), absl::CivilDay(2026, 11, 10));
  reinstate.mutable_reinstate();
  ASSERT_TRUE(SignAndSubmit(reinstate, body).ok());
  EXPECT_EQ(Get(c.number()).status().status(), v1::CERTIFICATE_STATUS_VALID);
  v1::Statement revoke = NextEvent(c.number(), kToday);
  revoke.mutable_revoke()->set_reason("违规使用证书");
  ASSERT_TRUE(SignAndSubmit(revoke, body).ok());
  EXPECT_EQ(Get(c.number()).status().status(), v1::CERTIFICATE_STATUS_REVOKED);
  EXPECT_EQ(Get(c.number()).history_size(), 5);
}

TEST_F(RegistryTest, RenewAndScopeChange) {
  Seed();
  const Ed25519PrivateKey& body = body_keys_[0];
  v1::Certificate c =
      NewCertificate("90126Q99002R0M", "青岛续证电器有限公司", 43);
  ASSERT_TRUE(SignAndSubmit(IssueOf(c), body).ok());
  v1::Statement renew = NextEvent(c.number(), kToday);
  *renew.mutable_renew()->mutable_new_issue_date() = D(2026, 11, 22);
  *renew.mutable_renew()->mutable_new_expiry_date() = D(2029, 11, 21);
  ASSERT_TRUE(SignAndSubmit(renew, body).ok());
  v1::GetCertificateResponse got = Get(c.number());
  EXPECT_EQ(FormatDate(got.certificate().expiry_date()), "2029-11-21");
  EXPECT_EQ(got.certificate().recertification_count(), 1u);
}

TEST_F(RegistryTest, ForgedSignatureIsRefusedAndNothingStored) {
  Seed();
  v1::Certificate c =
      NewCertificate("90126Q99003R0M", "青岛伪造电器有限公司", 44);
  auto signed_statement = SignStatement(IssueOf(c), body_keys_[0]);
  ASSERT_TRUE(signed_statement.ok());
  uint64_t size = registry_->size();
  for (size_t position :
       {size_t{0}, signed_statement->statement().size() / 2}) {
    v1::SignedStatement forged = *signed_statement;
    (*forged.mutable_statement())[position] ^= 0x01;
    auto receipt = registry_->Submit(v1::STATEMENT_KIND_ISSUE, forged);
    EXPECT_FALSE(receipt.ok());
  }
  v1::SignedStatement forged = *signed_statement;
  (*forged.mutable_signature())[5] ^= 0x01;
  auto receipt = registry_->Submit(v1::STATEMENT_KIND_ISSUE, forged);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(registry_->size(), size);
  v1::GetCertificateRequest get;
  get.set_number(c.number());
  EXPECT_EQ(registry_->GetCertificate(get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RegistryTest, WrongBodysKeyIsPermissionDenied) {
  Seed();
  // Body 1's key signs an event of a certificate of body 0.
  v1::Statement suspend = NextEvent("90126Q21540R2M", kToday);
  suspend.mutable_suspend()->set_reason("x");
  ExpectRefused(suspend, body_keys_[1], absl::StatusCode::kPermissionDenied,
                "belongs to CNCA-R-2011-902");
  // A key nobody registered.
  ExpectRefused(suspend, *Ed25519PrivateKey::Generate(),
                absl::StatusCode::kPermissionDenied, "not registered");
  // Issuing in another body's name.
  v1::Certificate c =
      NewCertificate("90126Q99004R0M", "青岛冒名电器有限公司", 45);
  ExpectRefused(IssueOf(c), body_keys_[1], absl::StatusCode::kPermissionDenied,
                "belongs to");
}

TEST_F(RegistryTest, ReplayedAndReorderedEventsAreRefused) {
  Seed();
  v1::Statement suspend = NextEvent("90126Q21540R2M", kToday);
  suspend.mutable_suspend()->set_reason("整改");
  auto signed_statement = SignStatement(suspend, body_keys_[0]);
  ASSERT_TRUE(
      registry_->Submit(v1::STATEMENT_KIND_SUSPEND, *signed_statement).ok());
  uint64_t size = registry_->size();
  auto replay =
      registry_->Submit(v1::STATEMENT_KIND_SUSPEND, *signed_statement);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(replay.status().message().find("previous_event_hash"),
            std::string::npos);
  EXPECT_EQ(registry_->size(), size);

  // An event dated before the latest one.
  v1::Statement reinstate = NextEvent("90126Q21540R2M", kToday - 30);
  reinstate.mutable_reinstate();
  ExpectRefused(reinstate, body_keys_[0], absl::StatusCode::kFailedPrecondition,
                "before the certificate's latest event");
}

TEST_F(RegistryTest, IllegalTransitionsAreFailedPrecondition) {
  Seed();
  v1::Statement reinstate = NextEvent("90126Q21540R2M", kToday);
  reinstate.mutable_reinstate();
  ExpectRefused(reinstate, body_keys_[0], absl::StatusCode::kFailedPrecondition,
                "not suspended");
  v1::Statement after_revoke = NextEvent("90119Q11234R0M", kToday);
  after_revoke.mutable_surveillance();
  ExpectRefused(after_revoke, body_keys_[0],
                absl::StatusCode::kFailedPrecondition, "revoked or withdrawn");
  v1::Statement suspend_twice = NextEvent("90115E30472R1S", kToday);
  suspend_twice.mutable_suspend()->set_reason("x");
  ExpectRefused(suspend_twice, body_keys_[0],
                absl::StatusCode::kFailedPrecondition, "already suspended");
}

TEST_F(RegistryTest, MalformedFieldsAreInvalidArgumentNamingTheField) {
  Seed();
  v1::Certificate bad_code =
      NewCertificate("90126Q99005R0M", "青岛坏码有限公司", 46);
  std::string code = bad_code.holder().unified_social_credit_code();
  code.back() = code.back() == '0' ? '1' : '0';
  bad_code.mutable_holder()->set_unified_social_credit_code(code);
  ExpectRefused(IssueOf(bad_code), body_keys_[0],
                absl::StatusCode::kInvalidArgument,
                "certificate.holder.unified_social_credit_code");

  v1::Certificate bad_dates =
      NewCertificate("90126Q99006R0M", "青岛日期有限公司", 47);
  *bad_dates.mutable_expiry_date() = bad_dates.issue_date();
  ExpectRefused(IssueOf(bad_dates), body_keys_[0],
                absl::StatusCode::kInvalidArgument, "expiry_date");

  v1::Statement future = NextEvent("90126Q21540R2M", kToday + 1);
  future.mutable_surveillance();
  ExpectRefused(future, body_keys_[0], absl::StatusCode::kInvalidArgument,
                "in the future");

  v1::Certificate star =
      NewCertificate("04524S99007R0L", "杭州星级服务有限公司", 48);
  star.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  star.set_basis(0, "GB/T 27922-2011");
  star.set_body_approval_number(DemoBodies()[1].approval_number);
  star.set_body_name(DemoBodies()[1].name);
  star.mutable_service_grade()->set_score(88);
  star.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  ExpectRefused(IssueOf(star), body_keys_[1],
                absl::StatusCode::kInvalidArgument, "star_level");

  v1::Certificate duplicate =
      NewCertificate("90126Q21540R2M", "重复有限公司", 49);
  ExpectRefused(IssueOf(duplicate), body_keys_[0],
                absl::StatusCode::kAlreadyExists, "already issued");

  v1::Statement unknown;
  unknown.set_certificate_number("00000Q00000R0M");
  *unknown.mutable_date() = ToProtoDate(kToday);
  unknown.mutable_surveillance();
  ExpectRefused(unknown, body_keys_[0], absl::StatusCode::kNotFound,
                "not in the registry");
}

TEST_F(RegistryTest, StatementKindMustMatchTheCall) {
  Seed();
  v1::Statement audit = NextEvent("90126Q21540R2M", kToday);
  audit.mutable_surveillance();
  auto signed_statement = SignStatement(audit, body_keys_[0]);
  auto receipt =
      registry_->Submit(v1::STATEMENT_KIND_REVOKE, *signed_statement);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(receipt.status().message().find("statement.kind"),
            std::string::npos);
}

TEST_F(RegistryTest, OnlyTheOperatorAccreditsAndKeysRotateAndRetire) {
  Seed();
  DemoBody rogue{"CNCA-R-2020-999", "冒名认证有限公司"};
  ExpectRefused(DemoAccreditation(rogue, body_keys_[0].public_key(), kToday),
                body_keys_[0], absl::StatusCode::kPermissionDenied, "operator");

  // Rotate body 0 to a new key, then retire the old one.
  Ed25519PrivateKey new_key = *Ed25519PrivateKey::Generate();
  v1::Statement rotate;
  *rotate.mutable_date() = ToProtoDate(kToday - 10);
  rotate.mutable_rotate_body_key()->set_approval_number(
      DemoBodies()[0].approval_number);
  rotate.mutable_rotate_body_key()->set_new_public_key(
      new_key.public_key().raw());
  ASSERT_TRUE(SignAndSubmit(rotate, operator_key_).ok());
  v1::Statement retire;
  *retire.mutable_date() = ToProtoDate(kToday - 5);
  retire.mutable_retire_body_key()->set_approval_number(
      DemoBodies()[0].approval_number);
  retire.mutable_retire_body_key()->set_key_id(body_keys_[0].key_id());
  ASSERT_TRUE(SignAndSubmit(retire, operator_key_).ok());

  v1::Statement audit = NextEvent("90126Q21540R2M", kToday);
  audit.mutable_surveillance();
  ExpectRefused(audit, body_keys_[0], absl::StatusCode::kPermissionDenied,
                "retired");
  // Dating the event back to before the retirement does not help.
  v1::Statement backdated = NextEvent("90126Q21540R2M", kToday - 6);
  backdated.mutable_surveillance();
  ExpectRefused(backdated, body_keys_[0], absl::StatusCode::kPermissionDenied,
                "the day the statement is submitted");
  EXPECT_TRUE(SignAndSubmit(audit, new_key).ok());

  // The new key is not usable before its rotation date.
  v1::Certificate early =
      NewCertificate("90126Q99008R0M", "青岛早签有限公司", 50);
  *early.mutable_first_issue_date() = ToProtoDate(kToday - 20);
  *early.mutable_issue_date() = ToProtoDate(kToday - 20);
  ExpectRefused(IssueOf(early), new_key, absl::StatusCode::kPermissionDenied,
                "usable only from");

  auto bodies = registry_->ListBodies(v1::ListBodiesRequest());
  ASSERT_TRUE(bodies.ok());
  ASSERT_EQ(bodies->bodies_size(), 2);
  const v1::CertificationBody& body = bodies->bodies(0);
  EXPECT_EQ(body.approval_number(), DemoBodies()[0].approval_number);
  EXPECT_TRUE(body.accredited());
  ASSERT_EQ(body.keys_size(), 2);
  EXPECT_EQ(body.keys(0).state(), v1::KEY_STATE_RETIRED);
  EXPECT_EQ(body.keys(1).state(), v1::KEY_STATE_ACTIVE);
}

TEST_F(RegistryTest, ReaccreditationKeepsEarlierStatementsAuthorised) {
  // In 2025, body 0 is accredited for five years from 2021-01-01 and issues
  // a certificate under that accreditation.
  now_ = absl::FromCivil(absl::CivilSecond(2025, 6, 1, 12, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
  const DemoBody& demo = DemoBodies()[0];
  v1::Statement first =
      DemoAccreditation(demo, body_keys_[0].public_key(), kToday);
  *first.mutable_date() = D(2021, 1, 1);
  *first.mutable_accredit_body()->mutable_valid_from() = D(2021, 1, 1);
  *first.mutable_accredit_body()->mutable_valid_until() = D(2025, 12, 31);
  ASSERT_TRUE(SignAndSubmit(first, operator_key_).ok());
  v1::Certificate c = NewCertificate("90126Q99010R0M", "青岛续期有限公司", 60);
  *c.mutable_first_issue_date() = D(2025, 6, 1);
  *c.mutable_issue_date() = D(2025, 6, 1);
  *c.mutable_expiry_date() = D(2028, 5, 31);
  ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
  now_ = Noon();

  // Before re-accreditation, nothing can be signed today: the window ended.
  v1::Statement audit = NextEvent(c.number(), kToday);
  audit.mutable_surveillance();
  ExpectRefused(audit, body_keys_[0], absl::StatusCode::kPermissionDenied,
                "is not accredited on 2026-11-22");

  // Re-accredited from 2026-01-01 with the same key.
  v1::Statement again = first;
  *again.mutable_date() = D(2026, 1, 5);
  *again.mutable_accredit_body()->mutable_valid_from() = D(2026, 1, 1);
  *again.mutable_accredit_body()->mutable_valid_until() = D(2030, 12, 31);
  ASSERT_TRUE(SignAndSubmit(again, operator_key_).ok());

  // The 2025 issue stays authorised; events dated under either window are
  // accepted.
  v1::Statement late_2025 = NextEvent(c.number(), absl::CivilDay(2025, 12, 31));
  late_2025.mutable_surveillance();
  EXPECT_TRUE(SignAndSubmit(late_2025, body_keys_[0]).ok());
  audit = NextEvent(c.number(), kToday);
  audit.mutable_surveillance();
  EXPECT_TRUE(SignAndSubmit(audit, body_keys_[0]).ok());
  v1::GetCertificateResponse got = Get(c.number());
  EXPECT_EQ(got.status().status(), v1::CERTIFICATE_STATUS_VALID)
      << got.status().DebugString();
  EXPECT_EQ(got.history_size(), 3);

  auto bodies = registry_->ListBodies(v1::ListBodiesRequest());
  ASSERT_TRUE(bodies.ok());
  ASSERT_EQ(bodies->bodies_size(), 1);
  const v1::CertificationBody& body = bodies->bodies(0);
  EXPECT_TRUE(body.accredited());
  EXPECT_EQ(FormatDate(body.accredited_from()), "2026-01-01");
  ASSERT_EQ(body.accreditation_history_size(), 2);
  EXPECT_EQ(FormatDate(body.accreditation_history(0).valid_until()),
            "2025-12-31");

  // Cutting the accreditation short ends it for later dates only.
  v1::Statement cut = again;
  *cut.mutable_date() = ToProtoDate(kToday);
  *cut.mutable_accredit_body()->mutable_valid_until() = D(2026, 11, 21);
  ASSERT_TRUE(SignAndSubmit(cut, operator_key_).ok());
  v1::Statement late = NextEvent(c.number(), kToday);
  late.mutable_suspend()->set_reason("整改");
  ExpectRefused(late, body_keys_[0], absl::StatusCode::kPermissionDenied,
                "not accredited");
}

std::vector<std::string> Numbers(const v1::SearchCertificatesResponse& r) {
  std::vector<std::string> out;
  for (const auto& c : r.certificates()) out.push_back(c.number());
  return out;
}

TEST_F(RegistryTest, SearchByChineseNameFragmentCreditCodeAndFilters) {
  Seed();
  v1::SearchCertificatesRequest request;
  request.set_query("海岳");
  auto found = registry_->SearchCertificates(request);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Numbers(*found), std::vector<std::string>{"90126Q21540R2M"});
  EXPECT_EQ(found->certificates(0).status().status(),
            v1::CERTIFICATE_STATUS_VALID);

  // Full-width, spaces and case fold together; "（）" matches "()".
  request.set_query("青岛 海岳电器股份");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)).size(), 1u);
  request.set_query("不存在的公司");
  EXPECT_TRUE(registry_->SearchCertificates(request)->certificates().empty());

  request.set_query(Get("90218S00876R0S")
                        .certificate()
                        .holder()
                        .unified_social_credit_code());
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90218S00876R0S"});

  // Filters alone: every suspended certificate.
  v1::SearchCertificatesRequest suspended;
  suspended.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(suspended)),
            (std::vector<std::string>{"90115E30472R1S", "90218S00876R0S"}));
  v1::SearchCertificatesRequest service;
  service.set_query("有限公司");
  service.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(service)),
            (std::vector<std::string>{"90218S00876R0S", "90224S00317R0L"}));
  v1::SearchCertificatesRequest by_body;
  by_body.set_body_approval_number("CNCA-R-2011-902");
  by_body.set_item_code("S03");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(by_body)),
            std::vector<std::string>{"90224S00317R0L"});
}

TEST_F(RegistryTest, ACorruptRecordIsDataLossInSearchAndLookup) {
  Seed();
  const std::string number = "90126Q21540R2M";
  v1::SearchCertificatesRequest request;
  request.set_query("海岳");
  ASSERT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{number});
  v1::GetCertificateRequest lookup;
  lookup.set_number(number);

  // Bytes that do not parse, then a record whose chain is missing.
  v1::CertificateRecord no_chain;
  no_chain.add_statements()->set_leaf_index(1);
  for (const std::string& bytes :
       {std::string("\xff\xff\xff"), no_chain.SerializeAsString()}) {
    WriteBatch batch;
    batch.Put(Column::kCertificates, number, bytes);
    ASSERT_TRUE(store_.Write(batch).ok());
    auto found = registry_->SearchCertificates(request);
    EXPECT_EQ(found.status().code(), absl::StatusCode::kDataLoss)
        << found.status();
    EXPECT_NE(found.status().message().find(number), std::string::npos)
        << found.status();
    EXPECT_EQ(registry_->GetCertificate(lookup).status().code(),
              absl::StatusCode::kDataLoss);
  }
}

TEST_F(RegistryTest, FullWidthBracketsFoldInSearch) {
  Seed();
  v1::Certificate c =
      NewCertificate("90126Q99009R0M", "青岛海尔（集团）电器有限公司", 51);
  ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
  v1::SearchCertificatesRequest request;
  request.set_query("海尔(集团)");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90126Q99009R0M"});
  request.set_query("海尔");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90126Q99009R0M"});
}

TEST_F(RegistryTest, SearchPagesAreStableAndComplete) {
  Seed();
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    std::string number = absl::StrCat("90126Q8", 1000 + i, "R0M");
    v1::Certificate c = NewCertificate(
        number, absl::StrCat("青岛分页电器第", i, "分公司"), 100 + i);
    ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
    expected.push_back(number);
  }
  v1::SearchCertificatesRequest request;
  request.set_query("分页电器");
  request.set_page_size(10);
  std::vector<std::string> all;
  int pages = 0;
  do {
    auto page = registry_->SearchCertificates(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->certificates_size(), 10);
    for (const auto& n : Numbers(*page)) all.push_back(n);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(all, expected);

  request.set_page_size(101);
  EXPECT_EQ(registry_->SearchCertificates(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_page_size(10);
  request.set_page_token("!!!not a token");
  EXPECT_EQ(registry_->SearchCertificates(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  // No query and no filter: every certificate, in number order.
  auto everything =
      registry_->SearchCertificates(v1::SearchCertificatesRequest());
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->certificates_size(), 20);
  EXPECT_FALSE(everything->next_page_token().empty());
}

// A search examines at most 5,000 candidates per call; with none of them
// matching it answers an empty page and a token that resumes after them.
TEST_F(RegistryTest, SearchStopsAfterItsCandidateLimitWithAToken) {
  Seed();
  constexpr int kCertificates = 5010;
  for (int i = 0; i < kCertificates; ++i) {
    v1::Certificate c =
        NewCertificate(absl::StrCat("90126Q8", 10000 + i, "R0M"),
                       absl::StrCat("青岛上限电器第", i, "分公司"), 1000 + i);
    ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok()) << i;
  }
  v1::SearchCertificatesRequest request;
  request.set_query("上限电器");
  // Every candidate is of the first body: none passes this filter.
  request.set_body_approval_number(DemoBodies()[1].approval_number);
  auto first = registry_->SearchCertificates(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->certificates_size(), 0);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  auto rest = registry_->SearchCertificates(request);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->certificates_size(), 0);
  EXPECT_TRUE(rest->next_page_token().empty());
  // Without the filter, the last page resumes where the first left off.
  request.clear_body_approval_number();
  request.set_page_size(20);
  auto last = registry_->SearchCertificates(request);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->certificates_size(), kCertificates - 5000);
  EXPECT_TRUE(last->next_page_token().empty());
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

// A MemoryStore whose writes or syncs fail on demand, as a full or broken
// disk would make them.
class FailingStore : public MemoryStore {
 public:
  absl::Status Write(const WriteBatch& batch) override {
    if (fail_writes) return absl::UnavailableError("disk full");
    return MemoryStore::Write(batch);
  }
  absl::Status WriteUnsynced(const WriteBatch& batch) override {
    if (fail_writes) return absl::UnavailableError("disk full");
    return MemoryStore::WriteUnsynced(batch);
  }
  absl::Status Sync() override {
    if (fail_syncs) return absl::UnavailableError("fsync: I/O error");
    return MemoryStore::Sync();
  }
  bool fail_writes = false;
  bool fail_syncs = false;
};

class RegistryStorageFailureTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    registry_ = OpenRegistry(&failing_);
  }
  // The registry uses the store until it is gone: close it first.
  void TearDown() override { registry_.reset(); }
  FailingStore failing_;
};

TEST_F(RegistryStorageFailureTest, AFailedWriteIsUnavailableAndStoresNothing) {
  Seed();
  const uint64_t size = registry_->size();
  failing_.fail_writes = true;
  v1::Certificate c = NewCertificate("90126Q99020R0M", "青岛磁盘有限公司", 70);
  auto receipt = SignAndSubmit(IssueOf(c), body_keys_[0]);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kUnavailable)
      << receipt.status();
  EXPECT_EQ(registry_->size(), size);
  v1::GetCertificateRequest request;
  request.set_number(c.number());
  EXPECT_EQ(registry_->GetCertificate(request).status().code(),
            absl::StatusCode::kNotFound);
  // The disk recovers: the same statement goes through.
  failing_.fail_writes = false;
  EXPECT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
}

TEST_F(RegistryStorageFailureTest, AFailedSyncStopsWritesButNotReads) {
  std::vector<DemoCertificate> demo = Seed();
  failing_.fail_syncs = true;
  v1::Certificate c = NewCertificate("90126Q99021R0M", "青岛同步有限公司", 71);
  auto receipt = SignAndSubmit(IssueOf(c), body_keys_[0]);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kUnavailable)
      << receipt.status();
  EXPECT_NE(receipt.status().message().find("fsync: I/O error"),
            std::string::npos)
      << receipt.status();
  // What the failed sync covered may be lost: it is not shown.
  v1::GetCertificateRequest lookup;
  lookup.set_number(c.number());
  EXPECT_EQ(registry_->GetCertificate(lookup).status().code(),
            absl::StatusCode::kNotFound);
  // Even once syncs work again, this registry takes no more writes: it
  // cannot know what the disk kept. Reads go on.
  failing_.fail_syncs = false;
  v1::Certificate d = NewCertificate("90126Q99022R0M", "青岛其后有限公司", 72);
  receipt = SignAndSubmit(IssueOf(d), body_keys_[0]);
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(receipt.status().message().find("restart"), std::string::npos);
  EXPECT_EQ(Get(demo[0].number).certificate().number(), demo[0].number);
  // No checkpoint may vouch for what the failed sync covered.
  EXPECT_EQ(registry_->PublishCheckpoint().status().code(),
            absl::StatusCode::kUnavailable);
  // A reopened registry takes writes again.
  registry_ = OpenRegistry(&failing_);
  EXPECT_TRUE(SignAndSubmit(IssueOf(d), body_keys_[0]).ok());
}

// A MemoryStore whose syncs wait while the test holds them back, as a slow
// disk would.
class GatedStore : public MemoryStore {
 public:
  absl::Status Sync() override {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&open_));
    return MemoryStore::Sync();
  }
  void Hold() {
    absl::MutexLock lock(&mu_);
    open_ = false;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = true;
};

class RegistryDurableReadsTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    registry_ = OpenRegistry(&gated_);
  }
  void TearDown() override {
    gated_.Release();
    registry_.reset();  // it uses the store until it is gone
  }
  GatedStore gated_;
};

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
  options.now = Noon;
  uint64_t size = 0;
  {
    auto store = RocksDbStore::Open(dir);
    ASSERT_TRUE(store.ok());
    auto registry = Registry::Open(store->get(), options);
    ASSERT_TRUE(registry.ok());
    auto seeded =
        SeedDemo(operator_key, body_keys, kToday,
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
