// End to end: the scheme rules as a certification body, a procurement officer
// and a customer meet them, through certctl and a real registry process.
// One test per problem the rules must answer correctly.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/certctl_fixture.h"
#include "verifier/rules/certificate_validation.h"

namespace certreg {
namespace {

constexpr char kBody[] = "CNCA-R-2002-901";
constexpr char kBodyName[] = "华信质量认证中心有限公司";

// A credit code registered in Qingdao (370212).
std::string QingdaoCreditCode() {
  const std::string first17 = "91370212MA3C0001X";
  return first17 + *UnifiedSocialCreditCodeCheckCharacter(first17);
}

class RulesEndToEndTest : public CertctlTest {
 protected:
  void SetUp() override {
    CertctlTest::SetUp();
    AccreditBody(kBody, kBodyName);
    key_ = "--key=" + dir_ + "/" + kBody + ".key";
  }

  // certctl issue of a management-system certificate of kBody.
  CommandResult Issue(const std::string& number, const std::string& issue,
                      const std::string& expiry,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"issue",
                                     key_,
                                     "--number=" + number,
                                     "--item_code=A01",
                                     "--item_name=质量管理体系认证（ISO 9001）",
                                     "--holder=青岛海岳电器有限公司",
                                     "--credit_code=" + QingdaoCreditCode(),
                                     "--address=山东省青岛市崂山区海岳路1号",
                                     "--scope=家用电器的生产",
                                     "--first_issue_date=" + issue,
                                     "--issue_date=" + issue,
                                     "--expiry_date=" + expiry,
                                     std::string("--body=") + kBody,
                                     std::string("--body_name=") + kBodyName};
    bool typed = false;
    for (const std::string& arg : extra) {
      typed = typed || absl::StartsWith(arg, "--type=");
      args.push_back(arg);
    }
    if (!typed) args.push_back("--type=management_system");
    bool based = false;
    for (const std::string& arg : extra) {
      based = based || absl::StartsWith(arg, "--basis=");
    }
    if (!based) args.push_back("--basis=GB/T 19001-2016/ISO 9001:2015");
    return Certctl(args);
  }

  void Event(std::vector<std::string> args) {
    args.push_back(key_);
    CommandResult result = Certctl(args);
    ASSERT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
  }

  std::string key_;
};

// 1. No false suspension in the recertification year.
TEST_F(RulesEndToEndTest, RecertificationYearIsValid) {
  ASSERT_EQ(Issue("90123Q10001R0M", "2023-12-20", "2026-12-19").exit_code, 0);
  Event({"surveil", "90123Q10001R0M", "--date=2024-12-10"});
  Event({"surveil", "90123Q10001R0M", "--date=2025-12-01"});
  CommandResult get = Certctl({"get", "90123Q10001R0M", "--as_of=2026-12-02"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_TRUE(absl::StrContains(get.out, "有效 valid")) << get.out;
  EXPECT_FALSE(absl::StrContains(get.out, "暂停")) << get.out;
  CommandResult after =
      Certctl({"get", "90123Q10001R0M", "--as_of=2026-12-20"});
  EXPECT_TRUE(absl::StrContains(after.out, "过期 expired")) << after.out;
}

// 2. Validity at most three years; no renewal after expiry.
TEST_F(RulesEndToEndTest, ValidityLimits) {
  CommandResult ten = Issue("90125Q10002R0M", "2025-01-10", "2035-01-09");
  EXPECT_NE(ten.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(ten.err, "at most 36 months")) << ten.err;
  ASSERT_EQ(Issue("90122Q10003R0M", "2022-01-10", "2025-01-09").exit_code, 0);
  CommandResult renew = Certctl({"renew", "90122Q10003R0M", "--date=2026-11-01",
                                 "--new_issue_date=2026-11-01",
                                 "--new_expiry_date=2046-10-31", key_});
  EXPECT_EQ(renew.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(renew.err, "new certification")) << renew.err;
  CommandResult get = Certctl({"get", "90122Q10003R0M"});
  EXPECT_TRUE(absl::StrContains(get.out, "过期 expired")) << get.out;
}

// 3. GB/T 27922 however spelled; only on service certificates.
TEST_F(RulesEndToEndTest, AfterSalesServiceStandardHoweverSpelled) {
  CommandResult service =
      Issue("90126S10004R0M", "2026-06-01", "2029-05-31",
            {"--type=service", "--item_code=S01",
             "--item_name=商品售后服务评价认证", "--basis=GB/T27922-2011",
             "--score=92.5", "--deductions=1", "--stars=四星级"});
  ASSERT_EQ(service.exit_code, 0) << service.err;
  CommandResult get = Certctl({"get", "90126S10004R0M"});
  EXPECT_TRUE(absl::StrContains(get.out, "四星级")) << get.out;
  EXPECT_TRUE(absl::StrContains(get.out, "1 special deduction)")) << get.out;
  CommandResult verify =
      Certctl({"verify", "90126S10004R0M", "--basis=ＧＢ／Ｔ　２７９２２",
               "--min_stars=4"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  CommandResult system =
      Issue("90125Q10005R0M", "2025-06-01", "2028-05-31",
            {"--basis=GB/T 27922-2011", "--score=92.5", "--stars=4"});
  EXPECT_NE(system.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(system.err, "certificate.basis")) << system.err;
}

// 4. As of a date: the certificate as it stood then.
TEST_F(RulesEndToEndTest, AsOfShowsTheCertificateAsItStood) {
  ASSERT_EQ(Issue("90123Q10006R0M", "2023-12-20", "2026-12-19").exit_code, 0);
  Event({"surveil", "90123Q10006R0M", "--date=2024-12-10"});
  Event({"change-scope", "90123Q10006R0M", "--date=2025-06-01",
         "--scope=家用电器的设计和生产"});
  Event({"renew", "90123Q10006R0M", "--date=2025-11-20",
         "--new_issue_date=2025-11-20", "--new_expiry_date=2028-11-19"});
  CommandResult then = Certctl({"get", "90123Q10006R0M", "--as_of=2025-01-01"});
  ASSERT_EQ(then.exit_code, 0) << then.err;
  EXPECT_TRUE(absl::StrContains(then.out, "家用电器的生产")) << then.out;
  EXPECT_FALSE(absl::StrContains(then.out, "设计")) << then.out;
  EXPECT_TRUE(absl::StrContains(then.out, "2026-12-19")) << then.out;
  EXPECT_FALSE(absl::StrContains(then.out, "2028-11-19")) << then.out;
  EXPECT_FALSE(absl::StrContains(then.out, "再认证 renewed")) << then.out;
  EXPECT_TRUE(absl::StrContains(then.out, "再认证次数 recertifications     0"))
      << then.out;
  CommandResult json =
      Certctl({"get", "90123Q10006R0M", "--as_of=2025-01-01", "--json"});
  EXPECT_TRUE(absl::StrContains(json.out, "\"later_event_count\": 2"))
      << json.out;
}

// 5. Identifiers are checked.
TEST_F(RulesEndToEndTest, IdentifiersAreChecked) {
  CommandResult abcd = Issue("ABCD", "2025-06-01", "2028-05-31");
  EXPECT_NE(abcd.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(abcd.err, "certificate.number")) << abcd.err;
  CommandResult other_body =
      Issue("00225Q10007R0M", "2025-06-01", "2028-05-31");
  EXPECT_NE(other_body.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(other_body.err, "body code")) << other_body.err;
  CommandResult credit = Certctl(
      {"issue", key_, "--number=90125Q10008R0M", "--type=management_system",
       "--item_code=A01", "--item_name=质量管理体系认证（ISO 9001）",
       "--basis=GB/T 19001-2016/ISO 9001:2015", "--holder=青岛海岳电器有限公司",
       "--credit_code=000000000000000000", "--address=山东省青岛市",
       "--scope=家用电器的生产", "--first_issue_date=2025-06-01",
       "--issue_date=2025-06-01", "--expiry_date=2028-05-31",
       std::string("--body=") + kBody,
       std::string("--body_name=") + kBodyName});
  EXPECT_NE(credit.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(credit.err, "character 1")) << credit.err;
}

// 6. One rule set, published by the operator, used by registry and verifier.
TEST_F(RulesEndToEndTest, PublishedRulesAreUsedByRegistryAndVerifier) {
  ASSERT_EQ(Issue("90126Q10011R0M", "2026-03-01", "2029-02-28").exit_code, 0);
  CommandResult before = Certctl({"get", "90126Q10011R0M"});
  EXPECT_TRUE(absl::StrContains(before.out, "有效 valid")) << before.out;
  EXPECT_TRUE(absl::StrContains(before.out, "rules v1")) << before.out;

  CommandResult print = Certctl({"publish-rules", "--print_default"});
  ASSERT_EQ(print.exit_code, 0) << print.err;
  std::string rules = print.out;
  const std::string twelve = "\"first_surveillance_months\": 12";
  size_t at;
  while ((at = rules.find(twelve)) != std::string::npos) {
    rules.replace(at, twelve.size(), "\"first_surveillance_months\": 6");
  }
  const std::string path = dir_ + "/rules.json";
  std::ofstream(path) << rules;
  CommandResult publish =
      Certctl({"publish-rules", "--file=" + path, "--rules_version=2"});
  ASSERT_EQ(publish.exit_code, 0) << publish.err;
  CommandResult again =
      Certctl({"publish-rules", "--file=" + path, "--rules_version=2"});
  EXPECT_EQ(again.exit_code, 1);

  // First audit now due by 2026-09-01: overdue today on both sides.
  CommandResult after = Certctl({"get", "90126Q10011R0M"});
  EXPECT_TRUE(absl::StrContains(after.out, "暂停 suspended")) << after.out;
  EXPECT_TRUE(absl::StrContains(after.out, "rules v2")) << after.out;
  CommandResult verify = Certctl({"verify", "90126Q10011R0M"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(verify.out, "scheme_rules")) << verify.out;
  EXPECT_TRUE(absl::StrContains(verify.out, "version 2")) << verify.out;
  EXPECT_TRUE(absl::StrContains(verify.out, "suspended")) << verify.out;
}

// 7. A holder's new name and address are recorded and dated.
TEST_F(RulesEndToEndTest, HolderChangesAreRecorded) {
  ASSERT_EQ(Issue("90125Q10012R0M", "2025-06-01", "2028-05-31").exit_code, 0);
  Event({"surveil", "90125Q10012R0M", "--date=2026-05-20"});
  Event({"change-holder", "90125Q10012R0M", "--date=2026-06-01",
         "--name=青岛海岳智能家电有限公司",
         "--address=山东省青岛市李沧区新路8号"});
  CommandResult now = Certctl({"get", "90125Q10012R0M"});
  EXPECT_TRUE(absl::StrContains(now.out, "青岛海岳智能家电有限公司"))
      << now.out;
  EXPECT_TRUE(absl::StrContains(now.out, "组织名称变更")) << now.out;
  CommandResult then = Certctl({"get", "90125Q10012R0M", "--as_of=2026-05-31"});
  EXPECT_TRUE(absl::StrContains(then.out, "青岛海岳电器有限公司")) << then.out;
  EXPECT_FALSE(absl::StrContains(then.out, "智能家电")) << then.out;
  CommandResult search = Certctl({"search", "智能家电"});
  EXPECT_TRUE(absl::StrContains(search.out, "90125Q10012R0M")) << search.out;
  CommandResult nothing = Certctl({"change-holder", "90125Q10012R0M", key_});
  EXPECT_EQ(nothing.exit_code, 2);
}

// 7. The issue statement is dated on its issue date; dates never run back.
TEST_F(RulesEndToEndTest, IssueStatementIsDatedOnTheIssueDate) {
  ASSERT_EQ(Issue("90123Q10009R0M", "2023-12-20", "2026-12-19").exit_code, 0);
  CommandResult get = Certctl({"get", "90123Q10009R0M"});
  EXPECT_TRUE(absl::StrContains(get.out, "2023-12-20")) << get.out;
  CommandResult early =
      Certctl({"surveil", "90123Q10009R0M", "--date=2023-12-01", key_});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(early.err, "statement.date")) << early.err;
}

// 8. Chinese names wherever a status is typed; names next to enums in JSON;
// the six-month day says "reached", not "exceeded".
TEST_F(RulesEndToEndTest, WordingAndNames) {
  ASSERT_EQ(Issue("90125Q10010R0M", "2025-06-01", "2028-05-31").exit_code, 0);
  Event({"surveil", "90125Q10010R0M", "--date=2026-01-10"});
  Event({"suspend", "90125Q10010R0M", "--date=2026-01-31", "--reason=整改"});
  CommandResult search = Certctl({"search", "海岳", "--status=暂停"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_TRUE(absl::StrContains(search.out, "90125Q10010R0M")) << search.out;
  CommandResult json = Certctl({"get", "90125Q10010R0M", "--json"});
  EXPECT_TRUE(absl::StrContains(json.out, "\"status_name_zh\": \"暂停\""))
      << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"status_name_en\": \"suspended\""));
  CommandResult six = Certctl({"get", "90125Q10010R0M", "--as_of=2026-07-31"});
  EXPECT_TRUE(absl::StrContains(six.out, "revocation is due from 2026-07-31"))
      << six.out;
  EXPECT_FALSE(absl::StrContains(six.out, "more than")) << six.out;
}

}  // namespace
}  // namespace certreg
