#include "tools/cli/certctl_statements.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(RequiredDateTest, ADateNamingTheFlag) {
  absl::StatusOr<v1::Date> date = RequiredDate("2024-01-01", "valid_from");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(FormatDate(*date), "2024-01-01");

  EXPECT_EQ(Message(RequiredDate("", "valid_from").status()),
            "--valid_from: is required");
  absl::StatusOr<v1::Date> bad = RequiredDate("2024-02-30", "issue_date");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(bad.status()), StartsWith("--issue_date: "));
}

TEST(ServiceGradeFromFlagsTest, NoneWithoutAScore) {
  GradeFlags flags;
  flags.stars = "not read";
  flags.deductions = -1;
  absl::StatusOr<std::optional<v1::ServiceGrade>> grade =
      ServiceGradeFromFlags(flags);
  ASSERT_TRUE(grade.ok()) << grade.status();
  EXPECT_FALSE(grade->has_value());
}

TEST(ServiceGradeFromFlagsTest, ScoreDeductionsAndStars) {
  GradeFlags flags;
  flags.score = "92.5";
  flags.deductions = 1;
  flags.stars = "四星级";
  absl::StatusOr<std::optional<v1::ServiceGrade>> grade =
      ServiceGradeFromFlags(flags);
  ASSERT_TRUE(grade.ok()) << grade.status();
  ASSERT_TRUE(grade->has_value());
  EXPECT_EQ((*grade)->score(), 92.5);
  EXPECT_EQ((*grade)->special_deductions(), 1u);
  EXPECT_EQ((*grade)->star_level(), v1::STAR_LEVEL_FOUR);
}

TEST(ServiceGradeFromFlagsTest, UsageErrorsInOrder) {
  GradeFlags flags;
  flags.score = "ninety";
  flags.deductions = -1;
  EXPECT_EQ(Message(ServiceGradeFromFlags(flags).status()),
            "--score: not a number");
  flags.score = "90";
  EXPECT_EQ(Message(ServiceGradeFromFlags(flags).status()),
            "--deductions: must be 0 or more");
  flags.deductions = 0;
  EXPECT_THAT(Message(ServiceGradeFromFlags(flags).status()),
              StartsWith("--stars: "));
  flags.stars = "六星级";
  EXPECT_THAT(Message(ServiceGradeFromFlags(flags).status()),
              StartsWith("--stars: "));
}

TEST(AccreditStatementTest, TheBodyItsKeyAndItsWindow) {
  const std::string key(32, '\x07');
  absl::StatusOr<v1::Statement> statement = AccreditStatement(
      "CNCA-R-2002-001", "示例认证有限公司", key, "2024-01-01", "2029-12-31");
  ASSERT_TRUE(statement.ok()) << statement.status();
  const v1::AccreditBody& accredit = statement->accredit_body();
  EXPECT_EQ(accredit.approval_number(), "CNCA-R-2002-001");
  EXPECT_EQ(accredit.name(), "示例认证有限公司");
  EXPECT_EQ(accredit.public_key(), key);
  EXPECT_EQ(FormatDate(accredit.valid_from()), "2024-01-01");
  EXPECT_EQ(FormatDate(accredit.valid_until()), "2029-12-31");
  EXPECT_FALSE(statement->has_date());
  EXPECT_EQ(statement->certificate_number(), "");
}

TEST(AccreditStatementTest, BothDatesAreRequired) {
  EXPECT_EQ(Message(AccreditStatement("A", "N", "k", "", "").status()),
            "--valid_from: is required");
  EXPECT_EQ(
      Message(AccreditStatement("A", "N", "k", "2024-01-01", "").status()),
      "--valid_until: is required");
}

TEST(ParseSiteFlagsTest, OneSiteEachAndSemicolonLists) {
  absl::StatusOr<std::vector<v1::Site>> sites = ParseSiteFlags(
      {"黄岛工厂|山东省青岛市黄岛区前湾港路1号",
       " 研发中心 | 青岛市市南区香港中路8号|A座 ; 仓库|青岛市城阳区;"});
  ASSERT_TRUE(sites.ok()) << sites.status();
  ASSERT_EQ(sites->size(), 3u);
  EXPECT_EQ((*sites)[0].name(), "黄岛工厂");
  EXPECT_EQ((*sites)[0].address(), "山东省青岛市黄岛区前湾港路1号");
  // The name runs to the first "|"; the address keeps the rest.
  EXPECT_EQ((*sites)[1].name(), "研发中心");
  EXPECT_EQ((*sites)[1].address(), "青岛市市南区香港中路8号|A座");
  EXPECT_EQ((*sites)[2].name(), "仓库");
  EXPECT_EQ((*sites)[2].address(), "青岛市城阳区");
}

TEST(ParseSiteFlagsTest, NoValuesNoSites) {
  absl::StatusOr<std::vector<v1::Site>> sites = ParseSiteFlags({});
  ASSERT_TRUE(sites.ok());
  EXPECT_TRUE(sites->empty());
}

TEST(ParseSiteFlagsTest, RefusesWhatIsNotNameBarAddress) {
  absl::StatusOr<std::vector<v1::Site>> sites =
      ParseSiteFlags({"a|b", "黄岛工厂 山东省青岛市"});
  ASSERT_FALSE(sites.ok());
  EXPECT_EQ(sites.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(sites.status()),
            "--site \"黄岛工厂 山东省青岛市\": expected name|address");

  EXPECT_EQ(Message(ParseSiteFlags({" |青岛"}).status()),
            "--site \"|青岛\": the site name is empty");
  EXPECT_EQ(Message(ParseSiteFlags({"工厂| "}).status()),
            "--site \"工厂|\": the site address is empty");
  EXPECT_EQ(Message(ParseSiteFlags({" ; "}).status()),
            "--site \" ; \": names no site (give name|address)");
  EXPECT_FALSE(ParseSiteFlags({""}).ok());
}

TEST(ChangeHolderFromFlagsTest, NameOnly) {
  absl::StatusOr<v1::ChangeHolder> change =
      ChangeHolderFromFlags("青岛海岳电器集团有限公司", "", {});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->new_name(), "青岛海岳电器集团有限公司");
  EXPECT_EQ(change->new_address(), "");
  EXPECT_EQ(change->new_sites_size(), 0);
}

TEST(ChangeHolderFromFlagsTest, AddressOnly) {
  absl::StatusOr<v1::ChangeHolder> change =
      ChangeHolderFromFlags("", "山东省青岛市崂山区海尔路1号", {});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->new_name(), "");
  EXPECT_EQ(change->new_address(), "山东省青岛市崂山区海尔路1号");
}

TEST(ChangeHolderFromFlagsTest, SitesOnlyReplaceTheList) {
  absl::StatusOr<v1::ChangeHolder> change = ChangeHolderFromFlags(
      "", "", {"黄岛工厂|青岛市黄岛区", "研发中心|青岛市市南区"});
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->new_sites_size(), 2);
  EXPECT_EQ(change->new_sites(1).name(), "研发中心");
  EXPECT_EQ(change->new_sites(1).address(), "青岛市市南区");
}

TEST(ChangeHolderFromFlagsTest, AllThree) {
  absl::StatusOr<v1::ChangeHolder> change =
      ChangeHolderFromFlags("新名称有限公司", "新地址", {"工厂|厂址"});
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->new_name(), "新名称有限公司");
  EXPECT_EQ(change->new_address(), "新地址");
  EXPECT_EQ(change->new_sites_size(), 1);
}

TEST(ChangeHolderFromFlagsTest, RefusesNoChange) {
  absl::StatusOr<v1::ChangeHolder> change = ChangeHolderFromFlags("", "", {});
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(change.status()),
            "give --name, --address or --site (at least one)");
}

TEST(ChangeHolderFromFlagsTest, RefusesABadSite) {
  EXPECT_EQ(Message(ChangeHolderFromFlags("新名称", "", {"工厂"}).status()),
            "--site \"工厂\": expected name|address");
}

TEST(SchemeRulesJsonTest, TheTemplateReadsBackAsTheBuiltInRules) {
  const std::string json = SchemeRulesToJson(DefaultSchemeRules());
  EXPECT_THAT(json, HasSubstr("\"version\": 1"));
  EXPECT_THAT(json, HasSubstr("\"max_validity_months\": 36"));
  EXPECT_THAT(json, HasSubstr("\"CERTIFICATION_TYPE_SERVICE\""));
  EXPECT_EQ(json.back(), '\n');
  absl::StatusOr<v1::SchemeRules> rules = SchemeRulesFromJson(json, "t.json");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->SerializeAsString(),
            DefaultSchemeRules().SerializeAsString());
}

TEST(SchemeRulesJsonTest, PrintsFieldsThatAreZero) {
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.mutable_rules(0)->set_surveillances_per_cycle(0);
  rules.mutable_rules(0)->set_audit_every_calendar_year(false);
  const std::string json = SchemeRulesToJson(rules);
  EXPECT_THAT(json, HasSubstr("\"surveillances_per_cycle\": 0"));
  EXPECT_THAT(json, HasSubstr("\"audit_every_calendar_year\": false"));
}

TEST(SchemeRulesJsonTest, CamelCaseAndNoVersion) {
  absl::StatusOr<v1::SchemeRules> rules = SchemeRulesFromJson(
      R"({"rules": [{"type": "CERTIFICATION_TYPE_PRODUCT",
                     "maxValidityMonths": 60}]})",
      "r.json");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->version(), 0u);
  ASSERT_EQ(rules->rules_size(), 1);
  EXPECT_EQ(rules->rules(0).type(), v1::CERTIFICATION_TYPE_PRODUCT);
  EXPECT_EQ(rules->rules(0).max_validity_months(), 60u);
}

TEST(SchemeRulesJsonTest, RefusesWhatIsNotSchemeRules) {
  for (const char* json :
       {"not json", R"({"version": 2, "typo_field": 1})",
        R"({"rules": [{"type": "CERTIFICATION_TYPE_NONE"}]})"}) {
    absl::StatusOr<v1::SchemeRules> rules =
        SchemeRulesFromJson(json, "rules.json");
    ASSERT_FALSE(rules.ok()) << json;
    EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(rules.status()),
                StartsWith("rules.json: not a certreg.v1.SchemeRules in JSON "
                           "form: "));
  }
}

absl::StatusOr<uint32_t> Unasked() {
  ADD_FAILURE() << "the version in force was asked for";
  return absl::InternalError("asked");
}

TEST(RulesVersionToPublishTest, FlagWins) {
  v1::SchemeRules rules = DefaultSchemeRules();
  absl::StatusOr<uint32_t> version =
      RulesVersionToPublish(rules, int64_t{7}, Unasked);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 7u);
}

TEST(RulesVersionToPublishTest, ThenTheFilesVersion) {
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.set_version(4);
  absl::StatusOr<uint32_t> version =
      RulesVersionToPublish(rules, std::nullopt, Unasked);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 4u);
}

TEST(RulesVersionToPublishTest, ThenTheOneAfterTheVersionInForce) {
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.clear_version();
  int asked = 0;
  absl::StatusOr<uint32_t> version =
      RulesVersionToPublish(rules, std::nullopt, [&] {
        ++asked;
        return absl::StatusOr<uint32_t>(3);
      });
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 4u);
  EXPECT_EQ(asked, 1);
}

TEST(RulesVersionToPublishTest, PassesOnTheRegistrysError) {
  v1::SchemeRules rules;
  absl::StatusOr<uint32_t> version =
      RulesVersionToPublish(rules, std::nullopt, [] {
        return absl::StatusOr<uint32_t>(
            absl::UnavailableError("registry at x is unreachable"));
      });
  EXPECT_EQ(version.status().code(), absl::StatusCode::kUnavailable);
}

TEST(RulesVersionToPublishTest, RefusesAFlagOutOfRange) {
  v1::SchemeRules rules;
  for (int64_t flag : {int64_t{0}, int64_t{-1}, int64_t{4294967296}}) {
    absl::StatusOr<uint32_t> version =
        RulesVersionToPublish(rules, flag, Unasked);
    ASSERT_FALSE(version.ok()) << flag;
    EXPECT_EQ(Message(version.status()),
              "--rules_version: must be 1 to 4294967295");
  }
  EXPECT_TRUE(RulesVersionToPublish(rules, int64_t{4294967295}, Unasked).ok());
}

TEST(RulesVersionToPublishTest, NoVersionAfterTheHighest) {
  v1::SchemeRules rules;
  absl::StatusOr<uint32_t> version = RulesVersionToPublish(
      rules, std::nullopt, [] { return absl::StatusOr<uint32_t>(UINT32_MAX); });
  EXPECT_EQ(version.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(PublishRulesStatementTest, NumbersDatesAndNamesNoCertificate) {
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.clear_version();
  rules.mutable_rules(1)->set_max_suspension_months(3);
  const v1::Date date = ToProtoDate(absl::CivilDay(2026, 12, 7));
  absl::StatusOr<v1::Statement> statement =
      PublishRulesStatement(rules, 2, date);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(statement->certificate_number(), "");
  EXPECT_EQ(statement->previous_event_hash(), "");
  EXPECT_EQ(FormatDate(statement->date()), "2026-12-07");
  ASSERT_TRUE(statement->has_publish_rules());
  EXPECT_EQ(statement->publish_rules().version(), 2u);
  EXPECT_EQ(statement->publish_rules().rules(1).max_suspension_months(), 3u);
}

TEST(PublishRulesStatementTest, RefusesRulesThatDoNotValidate) {
  const v1::Date date = ToProtoDate(absl::CivilDay(2026, 12, 7));
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.mutable_rules(1)->set_max_validity_months(0);
  absl::StatusOr<v1::Statement> statement =
      PublishRulesStatement(rules, 2, date);
  ASSERT_FALSE(statement.ok());
  EXPECT_EQ(statement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(statement.status()),
              StartsWith("publish_rules.rules[1].max_validity_months: "));

  rules = DefaultSchemeRules();
  rules.mutable_rules()->RemoveLast();
  EXPECT_THAT(Message(PublishRulesStatement(rules, 2, date).status()),
              StartsWith("publish_rules.rules: no rules for "));
}

}  // namespace
}  // namespace certreg
