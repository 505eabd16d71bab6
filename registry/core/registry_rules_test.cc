// The scheme rules through the registry: admission of statements, the
// operator's published rules, and the certificate as it stood on a date.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/core/registry.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_data.h"
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

// Every test runs on 2026-12-07, noon in Beijing.
absl::Time Noon() {
  return absl::FromCivil(absl::CivilSecond(2026, 12, 7, 12, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

absl::CivilDay C(int y, int m, int d) { return absl::CivilDay(y, m, d); }
v1::Date D(int y, int m, int d) { return ToProtoDate(C(y, m, d)); }

// A credit code registered in Qingdao (370212), valid.
std::string QingdaoCreditCode() {
  const std::string first17 = "91370212MA3C0001X";
  return first17 + *UnifiedSocialCreditCodeCheckCharacter(first17);
}

class RegistryRulesTest : public testing::Test {
 protected:
  void SetUp() override {
    registry_ = Open();
    ASSERT_NE(registry_, nullptr);
    const DemoBody& body = DemoBodies()[0];
    ASSERT_TRUE(Submit(DemoAccreditation(body, body_key_.public_key(),
                                         TodayInChina(Noon())),
                       operator_key_)
                    .ok());
  }

  std::unique_ptr<Registry> Open() {
    RegistryOptions options;
    options.operator_key =
        std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
    options.log_key = log_key_;
    options.now = [] { return Noon(); };
    auto registry = Registry::Open(&store_, options);
    EXPECT_TRUE(registry.ok()) << registry.status();
    return registry.ok() ? *std::move(registry) : nullptr;
  }

  absl::StatusOr<v1::StatementReceipt> Submit(const v1::Statement& statement,
                                              const Signer& signer) {
    absl::StatusOr<v1::SignedStatement> signed_statement =
        SignStatement(statement, signer);
    if (!signed_statement.ok()) return signed_statement.status();
    absl::StatusOr<v1::StatementReceipt> receipt =
        registry_->Submit(KindOf(statement), *signed_statement);
    if (receipt.ok() && !statement.certificate_number().empty()) {
      heads_[statement.certificate_number()] = receipt->statement_hash();
    }
    return receipt;
  }

  // A management-system certificate of the first demo body, numbered as the
  // scheme numbers them.
  v1::Certificate Certificate(absl::CivilDay issue, absl::CivilDay expiry,
                              const std::string& serial = "10001") {
    const DemoBody& body = DemoBodies()[0];
    v1::Certificate c;
    c.set_number(
        absl::StrCat(body.approval_number.substr(12), "23Q", serial, "R0M"));
    c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
    c.mutable_item()->set_code("A01");
    c.mutable_item()->set_name("质量管理体系认证（ISO 9001）");
    c.add_basis("GB/T 19001-2016/ISO 9001:2015");
    c.mutable_holder()->set_name("青岛海岳电器有限公司");
    c.mutable_holder()->set_unified_social_credit_code(QingdaoCreditCode());
    c.mutable_holder()->set_address("山东省青岛市崂山区海岳路1号");
    c.set_scope("家用电器的生产");
    *c.mutable_first_issue_date() = ToProtoDate(issue);
    *c.mutable_issue_date() = ToProtoDate(issue);
    *c.mutable_expiry_date() = ToProtoDate(expiry);
    c.set_body_approval_number(body.approval_number);
    c.set_body_name(body.name);
    return c;
  }

  absl::StatusOr<v1::StatementReceipt> Issue(const v1::Certificate& c) {
    v1::Statement s;
    s.set_certificate_number(c.number());
    *s.mutable_date() = c.issue_date();
    *s.mutable_issue()->mutable_certificate() = c;
    return Submit(s, body_key_);
  }

  v1::Statement Event(const std::string& number, absl::CivilDay date) {
    v1::Statement s;
    s.set_certificate_number(number);
    *s.mutable_date() = ToProtoDate(date);
    s.set_previous_event_hash(heads_[number]);
    return s;
  }

  absl::StatusOr<v1::StatementReceipt> Surveil(const std::string& number,
                                               absl::CivilDay date) {
    v1::Statement s = Event(number, date);
    s.mutable_surveillance()->set_note("监督审核");
    return Submit(s, body_key_);
  }

  v1::GetCertificateResponse Get(const std::string& number,
                                 std::optional<absl::CivilDay> as_of = {}) {
    v1::GetCertificateRequest request;
    request.set_number(number);
    if (as_of) *request.mutable_as_of() = ToProtoDate(*as_of);
    absl::StatusOr<v1::GetCertificateResponse> response =
        registry_->GetCertificate(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::GetCertificateResponse();
  }

  v1::Statement Rules(uint32_t version, uint32_t first_surveillance_months) {
    v1::Statement s;
    *s.mutable_date() = ToProtoDate(TodayInChina(Noon()));
    *s.mutable_publish_rules() = DefaultSchemeRules();
    s.mutable_publish_rules()->set_version(version);
    for (v1::CertificationRules& entry :
         *s.mutable_publish_rules()->mutable_rules()) {
      entry.set_first_surveillance_months(first_surveillance_months);
    }
    return s;
  }

  MemoryStore store_;
  Ed25519PrivateKey operator_key_ = *Ed25519PrivateKey::Generate();
  Ed25519PrivateKey body_key_ = *Ed25519PrivateKey::Generate();
  std::shared_ptr<const Ed25519PrivateKey> log_key_ =
      std::make_shared<const Ed25519PrivateKey>(*Ed25519PrivateKey::Generate());
  std::unique_ptr<Registry> registry_;
  std::map<std::string, std::string> heads_;
};

TEST_F(RegistryRulesTest, RecertificationYearNeedsNoThirdAudit) {
  const v1::Certificate c = Certificate(C(2023, 12, 20), C(2026, 12, 19));
  ASSERT_TRUE(Issue(c).ok());
  ASSERT_TRUE(Surveil(c.number(), C(2024, 12, 10)).ok());
  ASSERT_TRUE(Surveil(c.number(), C(2025, 12, 1)).ok());
  for (absl::CivilDay day : {C(2026, 12, 1), C(2026, 12, 2), C(2026, 12, 7)}) {
    const v1::EffectiveStatus status = Get(c.number(), day).status();
    EXPECT_EQ(status.status(), v1::CERTIFICATE_STATUS_VALID) << day;
    EXPECT_EQ(status.status_name_zh(), "有效");
    EXPECT_EQ(status.status_name_en(), "valid");
    EXPECT_EQ(status.rules_version(), 1u);
  }
  EXPECT_EQ(Get(c.number(), C(2026, 12, 20)).status().status(),
            v1::CERTIFICATE_STATUS_EXPIRED);
}

TEST_F(RegistryRulesTest, ValidityLongerThanThreeYearsIsRefused) {
  const uint64_t before = registry_->size();
  const absl::Status refused =
      Issue(Certificate(C(2026, 1, 10), C(2036, 1, 9))).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("certificate.expiry_date: 2036-01-09 is more than 36 "
                        "months after 2026-01-10"));
  EXPECT_EQ(registry_->size(), before);
}

TEST_F(RegistryRulesTest, RenewalAfterExpiryIsRefused) {
  const v1::Certificate c = Certificate(C(2022, 1, 10), C(2025, 1, 9));
  ASSERT_TRUE(Issue(c).ok());
  ASSERT_TRUE(Surveil(c.number(), C(2022, 12, 1)).ok());
  v1::Statement renew = Event(c.number(), C(2026, 11, 1));
  *renew.mutable_renew()->mutable_new_issue_date() = D(2026, 11, 1);
  *renew.mutable_renew()->mutable_new_expiry_date() = D(2046, 10, 31);
  const uint64_t before = registry_->size();
  const absl::Status refused = Submit(renew, body_key_).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("new certification"));
  EXPECT_EQ(registry_->size(), before);
  EXPECT_EQ(Get(c.number()).status().status(), v1::CERTIFICATE_STATUS_EXPIRED);
}

TEST_F(RegistryRulesTest, IssueStatementMustBeDatedOnItsIssueDate) {
  const v1::Certificate c = Certificate(C(2023, 12, 20), C(2026, 12, 19));
  v1::Statement s;
  s.set_certificate_number(c.number());
  *s.mutable_date() = D(2026, 12, 7);
  *s.mutable_issue()->mutable_certificate() = c;
  const absl::Status refused = Submit(s, body_key_).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("statement.date: 2026-12-07 differs from "
                        "certificate.issue_date 2023-12-20"));
  // Issued properly, an audit dated before the issue date is refused.
  ASSERT_TRUE(Issue(c).ok());
  EXPECT_EQ(Surveil(c.number(), C(2023, 12, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(RegistryRulesTest, AsOfShowsTheCertificateAsItStood) {
  const v1::Certificate c = Certificate(C(2023, 12, 20), C(2026, 12, 19));
  ASSERT_TRUE(Issue(c).ok());
  ASSERT_TRUE(Surveil(c.number(), C(2024, 12, 10)).ok());
  v1::Statement rename = Event(c.number(), C(2025, 3, 1));
  rename.mutable_change_holder()->set_new_name("青岛海岳智能家电有限公司");
  rename.mutable_change_holder()->set_new_address("山东省青岛市李沧区新路8号");
  ASSERT_TRUE(Submit(rename, body_key_).ok());
  v1::Statement scope = Event(c.number(), C(2025, 6, 1));
  scope.mutable_change_scope()->set_new_scope("家用电器的设计和生产");
  ASSERT_TRUE(Submit(scope, body_key_).ok());
  ASSERT_TRUE(Surveil(c.number(), C(2025, 12, 1)).ok());
  v1::Statement renew = Event(c.number(), C(2026, 11, 20));
  *renew.mutable_renew()->mutable_new_issue_date() = D(2026, 12, 20);
  *renew.mutable_renew()->mutable_new_expiry_date() = D(2029, 12, 19);
  ASSERT_TRUE(Submit(renew, body_key_).ok());

  const v1::GetCertificateResponse before = Get(c.number(), C(2025, 2, 28));
  EXPECT_EQ(before.certificate().holder().name(), "青岛海岳电器有限公司");
  EXPECT_EQ(before.certificate().holder().address(),
            "山东省青岛市崂山区海岳路1号");
  EXPECT_EQ(before.certificate().scope(), "家用电器的生产");
  EXPECT_EQ(FormatDate(before.certificate().expiry_date()), "2026-12-19");
  EXPECT_EQ(before.history_size(), 2);
  EXPECT_EQ(before.later_event_count(), 4u);
  EXPECT_EQ(before.surveillance_count(), 1u);

  const v1::GetCertificateResponse between = Get(c.number(), C(2025, 6, 1));
  EXPECT_EQ(between.certificate().holder().name(), "青岛海岳智能家电有限公司");
  EXPECT_EQ(between.certificate().scope(), "家用电器的设计和生产");
  EXPECT_EQ(between.history_size(), 4);
  EXPECT_EQ(between.later_event_count(), 2u);
  EXPECT_EQ(between.certificate().recertification_count(), 0u);

  const v1::GetCertificateResponse now = Get(c.number());
  EXPECT_EQ(now.history_size(), 6);
  EXPECT_EQ(now.later_event_count(), 0u);
  EXPECT_EQ(FormatDate(now.certificate().expiry_date()), "2029-12-19");
  EXPECT_EQ(now.certificate().recertification_count(), 1u);
  EXPECT_EQ(now.history(2).details(),
            "组织名称变更 name changed to: 青岛海岳智能家电有限公司; 地址变更 "
            "address changed to: 山东省青岛市李沧区新路8号");
  // The basic view of a past date reads statements back; it shows the same.
  v1::GetCertificateRequest basic;
  basic.set_number(c.number());
  *basic.mutable_as_of() = D(2025, 2, 28);
  basic.set_view(v1::CERTIFICATE_VIEW_BASIC);
  absl::StatusOr<v1::GetCertificateResponse> basic_before =
      registry_->GetCertificate(basic);
  ASSERT_TRUE(basic_before.ok());
  EXPECT_EQ(basic_before->certificate().SerializeAsString(),
            before.certificate().SerializeAsString());
  EXPECT_FALSE(basic_before->history(0).has_signed_statement());
}

TEST_F(RegistryRulesTest, RenamedHolderIsFoundByItsNewName) {
  const v1::Certificate c = Certificate(C(2025, 1, 10), C(2028, 1, 9));
  ASSERT_TRUE(Issue(c).ok());
  v1::Statement rename = Event(c.number(), C(2025, 3, 1));
  rename.mutable_change_holder()->set_new_name("青岛蓝湾电器有限公司");
  ASSERT_TRUE(Submit(rename, body_key_).ok());
  v1::SearchCertificatesRequest search;
  search.set_query("蓝湾");
  absl::StatusOr<v1::SearchCertificatesResponse> found =
      registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->certificates_size(), 1);
  EXPECT_EQ(found->certificates(0).holder_name(), "青岛蓝湾电器有限公司");

  // As of a day before the change, search finds the name it had then.
  search.set_query("海岳");
  *search.mutable_as_of() = D(2025, 2, 28);
  found = registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->certificates_size(), 1);
  EXPECT_EQ(found->certificates(0).holder_name(), "青岛海岳电器有限公司");
  search.clear_as_of();
  found = registry_->SearchCertificates(search);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->certificates_size(), 0);

  v1::Statement empty = Event(c.number(), C(2025, 4, 1));
  empty.mutable_change_holder();
  EXPECT_EQ(Submit(empty, body_key_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RegistryRulesTest, PublishedRulesApplyEverywhereAndSurviveReopening) {
  const v1::Certificate c = Certificate(C(2026, 3, 1), C(2029, 2, 28));
  ASSERT_TRUE(Issue(c).ok());
  // Built-in rules: first audit due 2027-03-01.
  EXPECT_EQ(Get(c.number()).status().status(), v1::CERTIFICATE_STATUS_VALID);

  // Only the operator publishes rules, only valid ones, only newer ones.
  EXPECT_EQ(Submit(Rules(2, 6), body_key_).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::Statement invalid = Rules(2, 0);
  EXPECT_EQ(Submit(invalid, operator_key_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Submit(Rules(1, 6), operator_key_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Submit(Rules(2, 6), operator_key_).ok());
  EXPECT_EQ(Submit(Rules(2, 6), operator_key_).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Version 2: first audit due within 6 months, i.e. by 2026-09-01.
  const v1::EffectiveStatus status = Get(c.number()).status();
  EXPECT_EQ(status.status(), v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(status.rules_version(), 2u);

  // The bundle carries the rules, and the verifier judges under them.
  v1::GetVerificationBundleRequest request;
  request.set_number(c.number());
  absl::StatusOr<v1::VerificationBundle> bundle =
      registry_->GetVerificationBundle(request);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  ASSERT_TRUE(bundle->has_rules_statement());
  PinnedKeys keys;
  keys.operator_key =
      std::make_shared<const Ed25519PublicKey>(operator_key_.public_key());
  keys.log_key =
      std::make_shared<const Ed25519PublicKey>(log_key_->public_key());
  v1::Claim claim;
  claim.set_certificate_number(c.number());
  const v1::VerifyResponse verified =
      VerifyBundle(*bundle, claim, keys, VerifyPolicy(), Noon(), nullptr);
  EXPECT_EQ(verified.status().status(), v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(verified.status().rules_version(), 2u);
  bool rules_checked = false;
  for (const v1::Check& check : verified.checks()) {
    if (check.name() != "scheme_rules") continue;
    rules_checked = true;
    EXPECT_EQ(check.outcome(), v1::CHECK_OUTCOME_PASSED) << check.detail();
  }
  EXPECT_TRUE(rules_checked);

  // A bundle stripped of its rules statement is not authentic.
  v1::VerificationBundle stripped = *bundle;
  stripped.clear_rules_statement();
  EXPECT_EQ(VerifyBundle(stripped, claim, keys, VerifyPolicy(), Noon(), nullptr)
                .verdict(),
            v1::VERDICT_FAIL);

  registry_.reset();
  registry_ = Open();
  ASSERT_NE(registry_, nullptr);
  EXPECT_EQ(Get(c.number()).status().rules_version(), 2u);
}

}  // namespace
}  // namespace certreg
