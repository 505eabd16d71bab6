#include "tools/cli/certctl_claim.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ClaimFromFlagsTest, EveryFlagClaimsSomething) {
  ClaimFlags flags;
  flags.holder = "杭州云帆家电服务有限公司";
  flags.address = "浙江省杭州市西湖区";
  flags.scope = "家用电器;;售后服务;";
  flags.basis = "GB/T 27922-2011";
  flags.min_stars = "四星级";
  flags.as_of = "2026-12-31";
  absl::StatusOr<v1::Claim> claim = ClaimFromFlags("90224S00317R0L", flags);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->certificate_number(), "90224S00317R0L");
  EXPECT_EQ(claim->holder_name(), "杭州云帆家电服务有限公司");
  EXPECT_EQ(claim->holder_address(), "浙江省杭州市西湖区");
  EXPECT_THAT(claim->scope_terms(), ElementsAre("家用电器", "售后服务"));
  EXPECT_EQ(claim->basis(), "GB/T 27922-2011");
  EXPECT_EQ(claim->min_star_level(), v1::STAR_LEVEL_FOUR);
  EXPECT_EQ(FormatDate(claim->as_of()), "2026-12-31");
}

TEST(ClaimFromFlagsTest, NoFlagsClaimOnlyTheNumber) {
  absl::StatusOr<v1::Claim> claim = ClaimFromFlags("90126Q21540R2M", {});
  ASSERT_TRUE(claim.ok()) << claim.status();
  v1::Claim expected;
  expected.set_certificate_number("90126Q21540R2M");
  EXPECT_EQ(claim->SerializeAsString(), expected.SerializeAsString());
}

TEST(ClaimFromFlagsTest, StarLevelsByAnyName) {
  for (const char* name : {"5", "五星级", "five-star", "STAR_LEVEL_FIVE"}) {
    ClaimFlags flags;
    flags.min_stars = name;
    absl::StatusOr<v1::Claim> claim = ClaimFromFlags("N", flags);
    ASSERT_TRUE(claim.ok()) << name << ": " << claim.status();
    EXPECT_EQ(claim->min_star_level(), v1::STAR_LEVEL_FIVE) << name;
  }
}

TEST(ClaimFromFlagsTest, UnknownStarLevelNamesTheFlag) {
  ClaimFlags flags;
  flags.min_stars = "六星级";
  absl::StatusOr<v1::Claim> claim = ClaimFromFlags("N", flags);
  EXPECT_EQ(claim.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(claim.status().message()),
              StartsWith("--min_stars: "));
}

TEST(ClaimFromFlagsTest, MalformedDateNamesTheFlag) {
  ClaimFlags flags;
  flags.as_of = "2026-02-30";
  absl::StatusOr<v1::Claim> claim = ClaimFromFlags("N", flags);
  EXPECT_EQ(claim.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(claim.status().message()), StartsWith("--as_of: "));
}

v1::Check MakeCheck(const std::string& name, v1::CheckOutcome outcome,
                    const std::string& detail, const std::string& detail_zh) {
  v1::Check check;
  check.set_name(name);
  check.set_outcome(outcome);
  check.set_detail(detail);
  check.set_detail_zh(detail_zh);
  return check;
}

TEST(VerdictTextTest, ChecksThenVerdictAndStatus) {
  v1::VerifyResponse response;
  response.set_verdict(v1::VERDICT_PASS);
  response.mutable_status()->set_status(v1::CERTIFICATE_STATUS_VALID);
  *response.mutable_status()->mutable_as_of() =
      ToProtoDate(absl::CivilDay(2026, 12, 31));
  *response.add_checks() =
      MakeCheck("holder_name", v1::CHECK_OUTCOME_PASSED, "matches", "一致");
  *response.add_checks() =
      MakeCheck("star_level", v1::CHECK_OUTCOME_SKIPPED, "not claimed", "");
  EXPECT_EQ(VerdictText(response),
            "检查 check   结果 result  说明 detail\n"
            "-----------  -----------  --------------\n"
            "holder_name  通过 PASS    一致 / matches\n"
            "star_level   跳过 skip    not claimed\n"
            "\n"
            "结论 verdict: PASS (有效 valid as of 2026-12-31)\n");
}

TEST(VerdictTextTest, NoStatusWhenTheBundleWasNotRead) {
  v1::VerifyResponse response;
  response.set_verdict(v1::VERDICT_UNKNOWN);
  *response.add_checks() =
      MakeCheck("registry", v1::CHECK_OUTCOME_FAILED, "unreachable", "");
  const std::string text = VerdictText(response);
  EXPECT_THAT(text, HasSubstr("\nregistry    失败 FAIL    unreachable\n"));
  EXPECT_THAT(text, testing::EndsWith("\n结论 verdict: UNKNOWN\n"));
}

}  // namespace
}  // namespace certreg
