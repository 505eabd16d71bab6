// The write path through the registry: statements accepted and refused
// (signatures, signers, chains, fields), authority statements, and storage
// failures.
#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

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

TEST_F(RegistryTest, ANearlyFullDiskRefusesWritesNotReads) {
  Seed();
  const uint64_t size = registry_->size();
  free_bytes_ = uint64_t{100} << 20;
  v1::Statement audit = NextEvent("90126Q21540R2M", kToday);
  audit.mutable_surveillance();
  auto refused = SignAndSubmit(audit, body_keys_[0]);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("nearly full"), std::string::npos)
      << refused.status();
  EXPECT_EQ(registry_->size(), size);
  // Reads and bundles go on.
  EXPECT_EQ(Get("90126Q21540R2M").certificate().number(), "90126Q21540R2M");
  v1::GetVerificationBundleRequest bundle;
  bundle.set_number("90126Q21540R2M");
  EXPECT_TRUE(registry_->GetVerificationBundle(bundle).ok());
  // Space freed: writes resume by themselves.
  free_bytes_ = uint64_t{1} << 30;
  EXPECT_TRUE(SignAndSubmit(audit, body_keys_[0]).ok());
  EXPECT_EQ(registry_->size(), size + 1);
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

// The certificate names the signer's body under its accredited name
// (CheckSignerMayWriteFor, authority_rules.h; the other body's key is
// WrongBodysKeyIsPermissionDenied), and a refused issue leaves no postings.
TEST_F(RegistryTest, TheCertificateNamesTheSignersBodyAsAccredited) {
  Seed();
  v1::Certificate renamed =
      NewCertificate("90126Q99011R0M", "青岛改名电器有限公司", 52);
  renamed.set_body_name("另一个名称认证有限公司");
  ExpectRefused(IssueOf(renamed), body_keys_[0],
                absl::StatusCode::kInvalidArgument, "certificate.body_name");
  v1::SearchCertificatesRequest search;
  search.set_query("改名电器");
  auto found = registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->certificates_size(), 0);
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

}  // namespace
}  // namespace certreg
