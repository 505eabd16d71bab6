#include "verifier/rules/status_names.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct StatusCase {
  const char* text;
  v1::CertificateStatus want;
};

class ParseCertificateStatusTest : public ::testing::TestWithParam<StatusCase> {
};

TEST_P(ParseCertificateStatusTest, Parses) {
  absl::StatusOr<v1::CertificateStatus> got =
      ParseCertificateStatus(GetParam().text);
  ASSERT_TRUE(got.ok()) << GetParam().text << ": " << got.status();
  EXPECT_EQ(*got, GetParam().want) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Chinese, ParseCertificateStatusTest,
    ::testing::Values(StatusCase{"有效", v1::CERTIFICATE_STATUS_VALID},
                      StatusCase{"暂停", v1::CERTIFICATE_STATUS_SUSPENDED},
                      StatusCase{"撤销", v1::CERTIFICATE_STATUS_REVOKED},
                      StatusCase{"注销", v1::CERTIFICATE_STATUS_WITHDRAWN},
                      StatusCase{"过期", v1::CERTIFICATE_STATUS_EXPIRED},
                      StatusCase{"未生效",
                                 v1::CERTIFICATE_STATUS_NOT_YET_VALID},
                      StatusCase{" 暂停 ", v1::CERTIFICATE_STATUS_SUSPENDED}));

INSTANTIATE_TEST_SUITE_P(
    English, ParseCertificateStatusTest,
    ::testing::Values(
        StatusCase{"valid", v1::CERTIFICATE_STATUS_VALID},
        StatusCase{"suspended", v1::CERTIFICATE_STATUS_SUSPENDED},
        StatusCase{"Suspended", v1::CERTIFICATE_STATUS_SUSPENDED},
        StatusCase{"revoked", v1::CERTIFICATE_STATUS_REVOKED},
        StatusCase{"withdrawn", v1::CERTIFICATE_STATUS_WITHDRAWN},
        StatusCase{"EXPIRED", v1::CERTIFICATE_STATUS_EXPIRED},
        StatusCase{"not yet valid", v1::CERTIFICATE_STATUS_NOT_YET_VALID},
        StatusCase{"not-yet-valid", v1::CERTIFICATE_STATUS_NOT_YET_VALID},
        StatusCase{"not_yet_valid", v1::CERTIFICATE_STATUS_NOT_YET_VALID},
        StatusCase{"Not  Yet-Valid", v1::CERTIFICATE_STATUS_NOT_YET_VALID}));

INSTANTIATE_TEST_SUITE_P(
    EnumNames, ParseCertificateStatusTest,
    ::testing::Values(
        StatusCase{"CERTIFICATE_STATUS_VALID", v1::CERTIFICATE_STATUS_VALID},
        StatusCase{"CERTIFICATE_STATUS_SUSPENDED",
                   v1::CERTIFICATE_STATUS_SUSPENDED},
        StatusCase{"certificate_status_revoked",
                   v1::CERTIFICATE_STATUS_REVOKED},
        StatusCase{"SUSPENDED", v1::CERTIFICATE_STATUS_SUSPENDED},
        StatusCase{"WITHDRAWN", v1::CERTIFICATE_STATUS_WITHDRAWN},
        StatusCase{"CERTIFICATE_STATUS_NOT_YET_VALID",
                   v1::CERTIFICATE_STATUS_NOT_YET_VALID},
        StatusCase{"NOT_YET_VALID", v1::CERTIFICATE_STATUS_NOT_YET_VALID}));

// Every status's own display names read back as it.
TEST(ParseCertificateStatusRoundTripTest, DisplayNames) {
  for (v1::CertificateStatus status :
       {v1::CERTIFICATE_STATUS_VALID, v1::CERTIFICATE_STATUS_SUSPENDED,
        v1::CERTIFICATE_STATUS_REVOKED, v1::CERTIFICATE_STATUS_WITHDRAWN,
        v1::CERTIFICATE_STATUS_EXPIRED, v1::CERTIFICATE_STATUS_NOT_YET_VALID}) {
    for (const std::string& name :
         {std::string(CertificateStatusNameZh(status)),
          std::string(CertificateStatusNameEn(status)),
          v1::CertificateStatus_Name(status)}) {
      absl::StatusOr<v1::CertificateStatus> got = ParseCertificateStatus(name);
      ASSERT_TRUE(got.ok()) << name << ": " << got.status();
      EXPECT_EQ(*got, status) << name;
    }
  }
}

class RefuseStatusTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RefuseStatusTest, ListsTheNames) {
  absl::StatusOr<v1::CertificateStatus> got =
      ParseCertificateStatus(GetParam());
  ASSERT_FALSE(got.ok()) << GetParam() << " gave " << *got;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(got.status().message()),
              AllOf(HasSubstr("有效 (valid)"), HasSubstr("暂停 (suspended)"),
                    HasSubstr("未生效 (not yet valid)")));
}

INSTANTIATE_TEST_SUITE_P(Refused, RefuseStatusTest,
                         ::testing::Values("", "  ", "暂", "暂停中", "suspend",
                                           "unspecified",
                                           "CERTIFICATE_STATUS_UNSPECIFIED",
                                           "未知", "unknown",
                                           "CERTIFICATE_"
                                           "STATUS_",
                                           "2"));

TEST(ParseCertificateStatusTest, MessageQuotesTheText) {
  absl::StatusOr<v1::CertificateStatus> got = ParseCertificateStatus("作废");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              StartsWith("\"作废\" is not a certificate status; give 有效 "
                         "(valid), 暂停 (suspended), 撤销 (revoked), 注销 "
                         "(withdrawn), 过期 (expired) or 未生效 (not yet "
                         "valid)"));
  EXPECT_THAT(std::string(ParseCertificateStatus("").status().message()),
              StartsWith("no certificate status given; give 有效 (valid)"));
}

struct StarCase {
  const char* text;
  v1::StarLevel want;
};

class ParseStarLevelTest : public ::testing::TestWithParam<StarCase> {};

TEST_P(ParseStarLevelTest, Parses) {
  absl::StatusOr<v1::StarLevel> got = ParseStarLevel(GetParam().text);
  ASSERT_TRUE(got.ok()) << GetParam().text << ": " << got.status();
  EXPECT_EQ(*got, GetParam().want) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Chinese, ParseStarLevelTest,
    ::testing::Values(StarCase{"达标级", v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"达标", v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"三星级", v1::STAR_LEVEL_THREE},
                      StarCase{"三星", v1::STAR_LEVEL_THREE},
                      StarCase{"3星级", v1::STAR_LEVEL_THREE},
                      StarCase{"四星级", v1::STAR_LEVEL_FOUR},
                      StarCase{"四星", v1::STAR_LEVEL_FOUR},
                      StarCase{"4星", v1::STAR_LEVEL_FOUR},
                      StarCase{"五星级", v1::STAR_LEVEL_FIVE},
                      StarCase{"五星", v1::STAR_LEVEL_FIVE},
                      StarCase{"5星级", v1::STAR_LEVEL_FIVE},
                      StarCase{" 五星级\t", v1::STAR_LEVEL_FIVE}));

INSTANTIATE_TEST_SUITE_P(
    English, ParseStarLevelTest,
    ::testing::Values(StarCase{"compliant", v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"Compliant", v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"three-star", v1::STAR_LEVEL_THREE},
                      StarCase{"three star", v1::STAR_LEVEL_THREE},
                      StarCase{"three", v1::STAR_LEVEL_THREE},
                      StarCase{"3-star", v1::STAR_LEVEL_THREE},
                      StarCase{"Four-Star", v1::STAR_LEVEL_FOUR},
                      StarCase{"four", v1::STAR_LEVEL_FOUR},
                      StarCase{"five_star", v1::STAR_LEVEL_FIVE},
                      StarCase{"FIVE", v1::STAR_LEVEL_FIVE}));

INSTANTIATE_TEST_SUITE_P(
    NumbersAndEnumNames, ParseStarLevelTest,
    ::testing::Values(StarCase{"1", v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"3", v1::STAR_LEVEL_THREE},
                      StarCase{"4", v1::STAR_LEVEL_FOUR},
                      StarCase{"5", v1::STAR_LEVEL_FIVE},
                      StarCase{"STAR_LEVEL_COMPLIANT",
                               v1::STAR_LEVEL_COMPLIANT},
                      StarCase{"STAR_LEVEL_THREE", v1::STAR_LEVEL_THREE},
                      StarCase{"star_level_four", v1::STAR_LEVEL_FOUR},
                      StarCase{"STAR_LEVEL_FIVE", v1::STAR_LEVEL_FIVE},
                      StarCase{"COMPLIANT", v1::STAR_LEVEL_COMPLIANT}));

// Every level's own display names read back as it.
TEST(ParseStarLevelRoundTripTest, DisplayNames) {
  for (v1::StarLevel level : {v1::STAR_LEVEL_COMPLIANT, v1::STAR_LEVEL_THREE,
                              v1::STAR_LEVEL_FOUR, v1::STAR_LEVEL_FIVE}) {
    for (const std::string& name :
         {std::string(StarLevelNameZh(level)),
          std::string(StarLevelNameEn(level)), v1::StarLevel_Name(level)}) {
      absl::StatusOr<v1::StarLevel> got = ParseStarLevel(name);
      ASSERT_TRUE(got.ok()) << name << ": " << got.status();
      EXPECT_EQ(*got, level) << name;
    }
  }
}

class RefuseStarTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RefuseStarTest, ListsTheNames) {
  absl::StatusOr<v1::StarLevel> got = ParseStarLevel(GetParam());
  ASSERT_FALSE(got.ok()) << GetParam() << " gave " << *got;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(got.status().message()),
      AllOf(HasSubstr("达标级 (compliant)"), HasSubstr("四星级 (four-star, 4)"),
            HasSubstr("五星级 (five-star, 5)")));
}

INSTANTIATE_TEST_SUITE_P(Refused, RefuseStarTest,
                         ::testing::Values("", "0", "2", "6", "二星级", "1星",
                                           "six", "unspecified",
                                           "STAR_LEVEL_UNSPECIFIED", "未评级",
                                           "4.5", "44"));

TEST(ParseStarLevelTest, MessageQuotesTheText) {
  absl::StatusOr<v1::StarLevel> got = ParseStarLevel("六星级");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(std::string(got.status().message()),
            "\"六星级\" is not a GB/T 27922 star level; give 达标级 "
            "(compliant), 三星级 (three-star, 3), 四星级 (four-star, 4) or "
            "五星级 (five-star, 5)");
}

}  // namespace
}  // namespace certreg
