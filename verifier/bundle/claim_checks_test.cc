#include "verifier/bundle/claim_checks.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "verifier/bundle/check_result.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

constexpr v1::CheckOutcome kPassed = v1::CHECK_OUTCOME_PASSED;
constexpr v1::CheckOutcome kFailed = v1::CHECK_OUTCOME_FAILED;
constexpr v1::CheckOutcome kSkipped = v1::CHECK_OUTCOME_SKIPPED;

const char kNumber[] = "90224S00317R0L";

// A four-star after-sales service certificate.
v1::Certificate ServiceCertificate() {
  v1::Certificate certificate;
  certificate.set_number(kNumber);
  certificate.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  certificate.mutable_item()->set_code("S0101");
  certificate.mutable_item()->set_name("家用电器售后服务");
  certificate.add_basis("GB/T 27922-2011");
  certificate.add_basis("RB/T 301-2016");
  certificate.mutable_holder()->set_name("上海浦江家电服务有限公司");
  certificate.mutable_holder()->set_address("上海市浦东新区张江路 88 号");
  certificate.set_scope("家用电器的安装、维修和回收服务");
  certificate.mutable_service_grade()->set_score(92);
  certificate.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  return certificate;
}

v1::Claim ClaimFor() {
  v1::Claim claim;
  claim.set_certificate_number(kNumber);
  return claim;
}

struct Case {
  std::string what;
  std::function<void(v1::Claim&)> claim;
  CheckResult (*check)(const v1::Claim&, const v1::Certificate&);
  v1::CheckOutcome want;
};

TEST(ClaimChecksTest, Outcomes) {
  const std::vector<Case> cases = {
      {"no name", [](v1::Claim&) {}, claim_checks::HolderName, kSkipped},
      {"same name",
       [](v1::Claim& c) { c.set_holder_name("上海浦江家电服务有限公司"); },
       claim_checks::HolderName, kPassed},
      {"name in full width with spaces",
       [](v1::Claim& c) { c.set_holder_name("上海浦江 家电服务有限公司　"); },
       claim_checks::HolderName, kPassed},
      {"another name",
       [](v1::Claim& c) { c.set_holder_name("上海浦江家电有限公司"); },
       claim_checks::HolderName, kFailed},
      {"no address", [](v1::Claim&) {}, claim_checks::HolderAddress, kSkipped},
      {"address without spaces",
       [](v1::Claim& c) { c.set_holder_address("上海市浦东新区张江路８８号"); },
       claim_checks::HolderAddress, kPassed},
      {"another address",
       [](v1::Claim& c) { c.set_holder_address("上海市浦东新区张江路 89 号"); },
       claim_checks::HolderAddress, kFailed},
      {"no scope", [](v1::Claim&) {}, claim_checks::Scope, kSkipped},
      {"scope terms within",
       [](v1::Claim& c) {
         c.add_scope_terms("维修");
         c.add_scope_terms("回收 服务");
       },
       claim_checks::Scope, kPassed},
      {"one scope term outside",
       [](v1::Claim& c) {
         c.add_scope_terms("维修");
         c.add_scope_terms("销售");
       },
       claim_checks::Scope, kFailed},
      {"no basis", [](v1::Claim&) {}, claim_checks::Basis, kSkipped},
      {"basis without year", [](v1::Claim& c) { c.set_basis("gb/t 27922"); },
       claim_checks::Basis, kPassed},
      {"second basis", [](v1::Claim& c) { c.set_basis("RB/T 301"); },
       claim_checks::Basis, kPassed},
      {"basis a number short", [](v1::Claim& c) { c.set_basis("GB/T 2792"); },
       claim_checks::Basis, kFailed},
      {"basis of another year",
       [](v1::Claim& c) { c.set_basis("GB/T 27922-2012"); },
       claim_checks::Basis, kFailed},
      {"no star level", [](v1::Claim&) {}, claim_checks::StarLevel, kSkipped},
      {"three stars claimed",
       [](v1::Claim& c) { c.set_min_star_level(v1::STAR_LEVEL_THREE); },
       claim_checks::StarLevel, kPassed},
      {"four stars claimed",
       [](v1::Claim& c) { c.set_min_star_level(v1::STAR_LEVEL_FOUR); },
       claim_checks::StarLevel, kPassed},
      {"five stars claimed",
       [](v1::Claim& c) { c.set_min_star_level(v1::STAR_LEVEL_FIVE); },
       claim_checks::StarLevel, kFailed},
      {"no type", [](v1::Claim&) {}, claim_checks::Type, kSkipped},
      {"service type",
       [](v1::Claim& c) { c.set_type(v1::CERTIFICATION_TYPE_SERVICE); },
       claim_checks::Type, kPassed},
      {"product type",
       [](v1::Claim& c) { c.set_type(v1::CERTIFICATION_TYPE_PRODUCT); },
       claim_checks::Type, kFailed},
      {"no item code", [](v1::Claim&) {}, claim_checks::ItemCode, kSkipped},
      {"item code prefix", [](v1::Claim& c) { c.set_item_code(" s01 "); },
       claim_checks::ItemCode, kPassed},
      {"whole item code", [](v1::Claim& c) { c.set_item_code("S0101"); },
       claim_checks::ItemCode, kPassed},
      {"another item code", [](v1::Claim& c) { c.set_item_code("S02"); },
       claim_checks::ItemCode, kFailed},
  };
  const v1::Certificate certificate = ServiceCertificate();
  for (const Case& c : cases) {
    v1::Claim claim = ClaimFor();
    c.claim(claim);
    const CheckResult result = c.check(claim, certificate);
    EXPECT_EQ(result.outcome, c.want) << c.what << ": " << result.text.en;
    EXPECT_FALSE(result.text.en.empty()) << c.what;
    EXPECT_FALSE(result.text.zh.empty()) << c.what;
  }
}

TEST(ClaimChecksTest, AGradeIsNeededForAStarLevel) {
  v1::Certificate ungraded = ServiceCertificate();
  ungraded.clear_service_grade();
  v1::Claim claim = ClaimFor();
  claim.set_min_star_level(v1::STAR_LEVEL_COMPLIANT);
  const CheckResult result = claim_checks::StarLevel(claim, ungraded);
  EXPECT_EQ(result.outcome, kFailed);
  EXPECT_EQ(result.text.en,
            "the certificate has no GB/T 27922 star level; at least compliant "
            "was claimed");
  EXPECT_EQ(result.text.zh, "证书没有售后服务评价星级，声明要求至少达标级");
}

TEST(ClaimChecksTest, TextsNameBothSides) {
  const v1::Certificate certificate = ServiceCertificate();
  v1::Claim claim = ClaimFor();
  claim.set_min_star_level(v1::STAR_LEVEL_THREE);
  CheckResult result = claim_checks::StarLevel(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the certificate is four-star, at least three-star, as claimed");
  EXPECT_EQ(result.text.zh, "证书星级为四星级，满足至少三星级的要求");

  claim.set_holder_name("浦江家电");
  result = claim_checks::HolderName(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the claimed holder name \"浦江家电\" differs from the "
            "certificate's \"上海浦江家电服务有限公司\"");
  EXPECT_EQ(result.text.zh,
            "持证组织名称与证书不符：声明为“浦江家电”，证书为"
            "“上海浦江家电服务有限公司”");

  claim.add_scope_terms("销售");
  claim.add_scope_terms("维修");
  claim.add_scope_terms("租赁");
  result = claim_checks::Scope(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the certified scope \"家用电器的安装、维修和回收服务\" does not "
            "contain \"销售\", \"租赁\"");
  EXPECT_EQ(result.text.zh,
            "认证范围“家用电器的安装、维修和回收服务”不包含“销售”、“租赁”");

  claim.set_basis("GB/T 19001");
  result = claim_checks::Basis(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the certification basis (GB/T 27922-2011; RB/T 301-2016) does "
            "not include \"GB/T 19001\"");

  claim.set_item_code("s01");
  result = claim_checks::ItemCode(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the certification item S0101 (家用电器售后服务) is within S01");
  EXPECT_EQ(result.text.zh, "认证项目S0101（家用电器售后服务）属于声明的S01");

  claim.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  result = claim_checks::Type(claim, certificate);
  EXPECT_EQ(result.text.en,
            "the certificate is a service certification, not a management "
            "system certification");
  EXPECT_EQ(result.text.zh, "认证类型为服务认证，不是声明的管理体系认证");
}

TEST(ClaimChecksTest, AddClaimChecksAddsEachInOrder) {
  v1::Claim claim = ClaimFor();
  claim.set_holder_name("上海浦江家电服务有限公司");
  claim.set_type(v1::CERTIFICATION_TYPE_PRODUCT);
  v1::VerifyResponse response;
  AddClaimChecks(claim, ServiceCertificate(), response);
  const std::vector<std::string> names = {
      "holder_name", "holder_address", "scope",    "basis",
      "star_level",  "type",           "item_code"};
  ASSERT_EQ(response.checks_size(), static_cast<int>(names.size()));
  for (size_t i = 0; i < names.size(); ++i) {
    const v1::Check& check = response.checks(static_cast<int>(i));
    EXPECT_EQ(check.name(), names[i]);
    EXPECT_EQ(check.outcome(), check.name() == "holder_name" ? kPassed
                               : check.name() == "type"      ? kFailed
                                                             : kSkipped)
        << check.name();
  }
}

TEST(ClaimChecksTest, ClaimProblem) {
  EXPECT_FALSE(ClaimProblem(ClaimFor()).has_value());

  std::optional<CheckResult> problem = ClaimProblem(v1::Claim());
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->outcome, kFailed);
  EXPECT_NE(problem->text.en.find("claim.certificate_number"),
            std::string::npos);
  EXPECT_EQ(problem->text.zh, "核查请求缺少证书编号");

  v1::Claim claim = ClaimFor();
  claim.set_certificate_number("not a number!");
  problem = ClaimProblem(claim);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->text.zh, "核查请求中的证书编号格式无效");

  claim = ClaimFor();
  *claim.mutable_as_of() = ToProtoDate(absl::CivilDay(2026, 3, 1));
  EXPECT_FALSE(ClaimProblem(claim).has_value());
  claim.mutable_as_of()->set_day(32);
  problem = ClaimProblem(claim);
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->text.en.find("claim.as_of"), std::string::npos);
  EXPECT_EQ(problem->text.zh, "核查日期不是有效的日期");

  claim = ClaimFor();
  claim.set_min_star_level(static_cast<v1::StarLevel>(2));
  problem = ClaimProblem(claim);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->text.en, "claim.min_star_level: unknown value 2");
  EXPECT_EQ(problem->text.zh, "声明的最低星级无效");

  claim = ClaimFor();
  claim.set_type(static_cast<v1::CertificationType>(99));
  problem = ClaimProblem(claim);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->text.en, "claim.type: unknown value 99");
  EXPECT_EQ(problem->text.zh, "声明的认证类型无效");
}

TEST(ClaimChecksTest, ABlankClaimedTextIsAProblemNotAMatch) {
  const std::vector<std::pair<std::string, void (*)(v1::Claim&)>> cases = {
      {"claim.basis", [](v1::Claim& c) { c.set_basis(" "); }},
      {"claim.holder_name", [](v1::Claim& c) { c.set_holder_name("\t 　"); }},
      {"claim.holder_address", [](v1::Claim& c) { c.set_holder_address(" "); }},
      {"claim.item_code", [](v1::Claim& c) { c.set_item_code("  "); }},
      {"claim.scope_terms", [](v1::Claim& c) { c.add_scope_terms(" "); }},
  };
  for (const auto& [field, blank] : cases) {
    v1::Claim claim = ClaimFor();
    blank(claim);
    std::optional<CheckResult> problem = ClaimProblem(claim);
    ASSERT_TRUE(problem.has_value()) << field;
    EXPECT_EQ(problem->outcome, kFailed);
    EXPECT_EQ(problem->text.en.rfind(field + ": is blank", 0), 0u)
        << problem->text.en;
  }
}

}  // namespace
}  // namespace certreg
