#include "verifier/rules/date.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(DateTest, ParseAndFormatRoundTrip) {
  absl::StatusOr<v1::Date> date = ParseDate("2026-03-01");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(date->year(), 2026);
  EXPECT_EQ(date->month(), 3);
  EXPECT_EQ(date->day(), 1);
  EXPECT_EQ(FormatDate(*date), "2026-03-01");
}

TEST(DateTest, ParseRefusesImpossibleDaysAndNamesTheField) {
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "20260301",
                          "2026-3-1", "", "abcd-ef-gh"}) {
    absl::StatusOr<v1::Date> date = ParseDate(bad, "as_of");
    EXPECT_EQ(date.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(date.status().message().find("as_of"), std::string::npos);
  }
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
}

TEST(DateTest, ValidateRequiresASetDate) {
  EXPECT_EQ(ValidateDate(v1::Date(), "issue_date").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatDate(v1::Date()), "-");
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 1, 31), 1),
            absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(AddMonths(absl::CivilDay(2024, 1, 31), 1),
            absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 3, 15), 12),
            absl::CivilDay(2027, 3, 15));
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 8, 31), 6),
            absl::CivilDay(2027, 2, 28));
}

TEST(DateTest, TodayInChinaIsUtcPlusEight) {
  // 2026-03-01 17:00 UTC is already 2026-03-02 in Beijing.
  absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 17, 0, 0),
                                 absl::UTCTimeZone());
  EXPECT_EQ(TodayInChina(t), absl::CivilDay(2026, 3, 2));
}

}  // namespace
}  // namespace certreg
