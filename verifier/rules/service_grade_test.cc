#include "verifier/rules/service_grade.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct LevelCase {
  double score;
  uint32_t deductions;
  v1::StarLevel want;
};

class ComputeStarLevelAcceptTest : public ::testing::TestWithParam<LevelCase> {
};

TEST_P(ComputeStarLevelAcceptTest, GivesLevel) {
  const LevelCase& c = GetParam();
  absl::StatusOr<v1::StarLevel> level = ComputeStarLevel(c.score, c.deductions);
  ASSERT_TRUE(level.ok()) << c.score << " - " << c.deductions << ": "
                          << level.status();
  EXPECT_EQ(*level, c.want) << c.score << " - " << c.deductions;
}

INSTANTIATE_TEST_SUITE_P(
    Boundaries, ComputeStarLevelAcceptTest,
    ::testing::Values(LevelCase{70.0, 0, v1::STAR_LEVEL_COMPLIANT},
                      LevelCase{79.9, 0, v1::STAR_LEVEL_COMPLIANT},
                      LevelCase{80.0, 0, v1::STAR_LEVEL_THREE},
                      LevelCase{89.9, 0, v1::STAR_LEVEL_THREE},
                      LevelCase{90.0, 0, v1::STAR_LEVEL_FOUR},
                      LevelCase{94.9, 0, v1::STAR_LEVEL_FOUR},
                      LevelCase{95.0, 0, v1::STAR_LEVEL_FIVE},
                      LevelCase{99.9, 0, v1::STAR_LEVEL_FIVE},
                      LevelCase{100.0, 0, v1::STAR_LEVEL_FIVE},
                      // Values whose binary form is just off the tenth.
                      LevelCase{80.1, 0, v1::STAR_LEVEL_THREE},
                      LevelCase{90.1, 0, v1::STAR_LEVEL_FOUR},
                      LevelCase{94.99999999999999, 0, v1::STAR_LEVEL_FIVE},
                      LevelCase{0.1 + 0.2 + 69.7, 0,
                                v1::STAR_LEVEL_COMPLIANT}));

INSTANTIATE_TEST_SUITE_P(
    Deductions, ComputeStarLevelAcceptTest,
    ::testing::Values(LevelCase{96.0, 0, v1::STAR_LEVEL_FIVE},
                      LevelCase{96.0, 1, v1::STAR_LEVEL_FIVE},
                      LevelCase{96.0, 2, v1::STAR_LEVEL_FOUR},
                      LevelCase{96.0, 3, v1::STAR_LEVEL_FOUR},
                      LevelCase{96.0, 4, v1::STAR_LEVEL_FOUR},   // 92
                      LevelCase{100.0, 4, v1::STAR_LEVEL_FIVE},  // 96,
                      LevelCase{99.0, 4, v1::STAR_LEVEL_FIVE},   // 95
                      LevelCase{98.9, 4, v1::STAR_LEVEL_FOUR},   // 94.9
                      LevelCase{93.9, 4, v1::STAR_LEVEL_THREE},  // 89.9
                      LevelCase{95.0, 1, v1::STAR_LEVEL_FOUR},
                      LevelCase{95.1, 0, v1::STAR_LEVEL_FIVE},
                      LevelCase{81.0, 1, v1::STAR_LEVEL_THREE},
                      LevelCase{80.9, 1, v1::STAR_LEVEL_COMPLIANT},
                      LevelCase{74.0, 4, v1::STAR_LEVEL_COMPLIANT},
                      LevelCase{71.0, 1, v1::STAR_LEVEL_COMPLIANT},
                      LevelCase{92.5, 1, v1::STAR_LEVEL_FOUR}));

struct RefuseCase {
  double score;
  uint32_t deductions;
  const char* message_part;
};

class ComputeStarLevelRefuseTest : public ::testing::TestWithParam<RefuseCase> {
};

TEST_P(ComputeStarLevelRefuseTest, IsInvalidArgument) {
  const RefuseCase& c = GetParam();
  absl::StatusOr<v1::StarLevel> level = ComputeStarLevel(c.score, c.deductions);
  ASSERT_FALSE(level.ok()) << c.score << " - " << c.deductions << " gave "
                           << StarLevelNameEn(*level);
  EXPECT_EQ(level.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(level.status().message()), HasSubstr(c.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Scores, ComputeStarLevelRefuseTest,
    ::testing::Values(
        RefuseCase{69.9, 0, "the evaluation fails: effective score 69.9"},
        RefuseCase{0.0, 0, "the evaluation fails"},
        RefuseCase{100.1, 0, "outside 0..100"},
        RefuseCase{-1.0, 0, "outside 0..100"},
        RefuseCase{-0.1, 0, "outside 0..100"},
        RefuseCase{1000.0, 0, "outside 0..100"},
        RefuseCase{90.55, 0, "more than one decimal place"},
        RefuseCase{90.01, 0, "more than one decimal place"},
        RefuseCase{99.95, 0, "more than one decimal place"},
        RefuseCase{std::numeric_limits<double>::quiet_NaN(), 0, "finite"},
        RefuseCase{std::numeric_limits<double>::infinity(), 0, "finite"},
        RefuseCase{-std::numeric_limits<double>::infinity(), 0, "finite"}));

INSTANTIATE_TEST_SUITE_P(
    Deductions, ComputeStarLevelRefuseTest,
    ::testing::Values(
        RefuseCase{73.0, 4, "effective score 69.0"},
        RefuseCase{70.0, 1,
                   "effective score 69.0 (score 70.0 minus 1 "
                   "special deduction) is below 70"},
        RefuseCase{69.0, 0, "(score 69.0 minus 0 special deductions)"},
        RefuseCase{72.0, 3, "(score 72.0 minus 3 special deductions)"},
        RefuseCase{69.9, 1, "effective score 68.9"},
        RefuseCase{73.9, 4, "effective score 69.9"},
        RefuseCase{100.0, 5, "5 special deductions"},
        RefuseCase{96.0, 5, "5 special deductions"},
        RefuseCase{100.0, 6, "6 special deductions"},
        RefuseCase{100.0, 4294967295u, "4294967295 special deductions"}));

TEST(ComputeStarLevelTest, FiveDeductionsAlwaysFail) {
  for (int tenths = 0; tenths <= 1000; ++tenths) {
    absl::StatusOr<v1::StarLevel> level = ComputeStarLevel(tenths / 10.0, 5);
    ASSERT_FALSE(level.ok()) << tenths;
    EXPECT_THAT(std::string(level.status().message()),
                StartsWith("the evaluation fails"));
  }
}

TEST(ComputeStarLevelTest, EveryTenthMatchesIntegerRule) {
  for (uint32_t deductions = 0; deductions <= 4; ++deductions) {
    for (int tenths = 0; tenths <= 1000; ++tenths) {
      const int effective = tenths - static_cast<int>(deductions) * 10;
      absl::StatusOr<v1::StarLevel> level =
          ComputeStarLevel(tenths / 10.0, deductions);
      if (effective < 700) {
        EXPECT_FALSE(level.ok()) << tenths << " " << deductions;
        continue;
      }
      ASSERT_TRUE(level.ok()) << tenths << " " << deductions;
      const v1::StarLevel want = effective >= 950   ? v1::STAR_LEVEL_FIVE
                                 : effective >= 900 ? v1::STAR_LEVEL_FOUR
                                 : effective >= 800 ? v1::STAR_LEVEL_THREE
                                                    : v1::STAR_LEVEL_COMPLIANT;
      EXPECT_EQ(*level, want) << tenths << " " << deductions;
    }
  }
}

v1::ServiceGrade Grade(double score, uint32_t deductions,
                       v1::StarLevel claimed) {
  v1::ServiceGrade grade;
  grade.set_score(score);
  grade.set_special_deductions(deductions);
  grade.set_star_level(claimed);
  return grade;
}

TEST(ValidateServiceGradeTest, AcceptsMatchingLevel) {
  EXPECT_TRUE(
      ValidateServiceGrade(Grade(96, 4, v1::STAR_LEVEL_FOUR), "grade").ok());
  EXPECT_TRUE(
      ValidateServiceGrade(Grade(92.5, 1, v1::STAR_LEVEL_FOUR), "grade").ok());
  EXPECT_TRUE(
      ValidateServiceGrade(Grade(95, 0, v1::STAR_LEVEL_FIVE), "grade").ok());
  EXPECT_TRUE(
      ValidateServiceGrade(Grade(70, 0, v1::STAR_LEVEL_COMPLIANT), "grade")
          .ok());
}

TEST(ValidateServiceGradeTest, RefusesMismatchNamingFieldAndLevels) {
  absl::Status status = ValidateServiceGrade(Grade(96, 4, v1::STAR_LEVEL_FIVE),
                                             "certificate.service_grade");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(StartsWith("certificate.service_grade.star_level: "),
                    HasSubstr("five-star"), HasSubstr("four-star"),
                    HasSubstr("五星级"), HasSubstr("四星级")));
}

TEST(ValidateServiceGradeTest, RefusesMismatchCountingDeductions) {
  absl::Status one =
      ValidateServiceGrade(Grade(92.5, 1, v1::STAR_LEVEL_FIVE), "grade");
  EXPECT_THAT(std::string(one.message()),
              HasSubstr("but score 92.5 with 1 special deduction gives "
                        "four-star (四星级)"));
  absl::Status two =
      ValidateServiceGrade(Grade(92.5, 2, v1::STAR_LEVEL_FIVE), "grade");
  EXPECT_THAT(std::string(two.message()),
              HasSubstr("with 2 special deductions gives"));
}

TEST(ValidateServiceGradeTest, RefusesUnsetLevel) {
  absl::Status status = ValidateServiceGrade(
      Grade(85, 0, v1::STAR_LEVEL_UNSPECIFIED), "renew.service_grade");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(StartsWith("renew.service_grade.star_level: "),
                    HasSubstr("required"), HasSubstr("three-star")));
}

TEST(ValidateServiceGradeTest, RefusesUnknownEnumValue) {
  absl::Status status = ValidateServiceGrade(
      Grade(85, 0, static_cast<v1::StarLevel>(2)), "grade");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("grade.star_level: "));
}

TEST(ValidateServiceGradeTest, PrefixesScoreErrors) {
  absl::Status low =
      ValidateServiceGrade(Grade(69.9, 0, v1::STAR_LEVEL_COMPLIANT), "g");
  EXPECT_EQ(low.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(low.message()),
              AllOf(StartsWith("g.score: "), HasSubstr("evaluation fails")));

  absl::Status precise =
      ValidateServiceGrade(Grade(90.55, 0, v1::STAR_LEVEL_FOUR), "g");
  EXPECT_THAT(std::string(precise.message()), StartsWith("g.score: "));

  absl::Status high =
      ValidateServiceGrade(Grade(100.1, 0, v1::STAR_LEVEL_FIVE), "g");
  EXPECT_THAT(std::string(high.message()), StartsWith("g.score: "));
}

TEST(ValidateServiceGradeTest, PrefixesDeductionErrors) {
  absl::Status status =
      ValidateServiceGrade(Grade(100, 5, v1::STAR_LEVEL_FIVE), "g");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(StartsWith("g.special_deductions: "),
                    HasSubstr("evaluation fails")));
}

TEST(SpecialDeductionsTextTest, CountsInTheSingularForOne) {
  EXPECT_EQ(SpecialDeductionsText(0), "0 special deductions");
  EXPECT_EQ(SpecialDeductionsText(1), "1 special deduction");
  EXPECT_EQ(SpecialDeductionsText(2), "2 special deductions");
  EXPECT_EQ(SpecialDeductionsText(5), "5 special deductions");
}

TEST(StarLevelNameTest, Names) {
  EXPECT_EQ(StarLevelNameZh(v1::STAR_LEVEL_COMPLIANT), "达标级");
  EXPECT_EQ(StarLevelNameZh(v1::STAR_LEVEL_THREE), "三星级");
  EXPECT_EQ(StarLevelNameZh(v1::STAR_LEVEL_FOUR), "四星级");
  EXPECT_EQ(StarLevelNameZh(v1::STAR_LEVEL_FIVE), "五星级");
  EXPECT_EQ(StarLevelNameZh(v1::STAR_LEVEL_UNSPECIFIED), "未评级");
  EXPECT_EQ(StarLevelNameZh(static_cast<v1::StarLevel>(2)), "未评级");
  EXPECT_EQ(StarLevelNameEn(v1::STAR_LEVEL_COMPLIANT), "compliant");
  EXPECT_EQ(StarLevelNameEn(v1::STAR_LEVEL_THREE), "three-star");
  EXPECT_EQ(StarLevelNameEn(v1::STAR_LEVEL_FOUR), "four-star");
  EXPECT_EQ(StarLevelNameEn(v1::STAR_LEVEL_FIVE), "five-star");
  EXPECT_EQ(StarLevelNameEn(v1::STAR_LEVEL_UNSPECIFIED), "unspecified");
}

}  // namespace
}  // namespace certreg
