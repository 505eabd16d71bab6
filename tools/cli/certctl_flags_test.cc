#include "tools/cli/certctl_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

TEST(StatementDateTest, TodayInChinaByDefault) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_date, "");
  absl::StatusOr<v1::Date> date = StatementDate();
  ASSERT_TRUE(date.ok()) << date.status();
  // Unless the day turned between the two calls.
  EXPECT_LE(ToCivilDay(*date), TodayInChina());
  EXPECT_GE(ToCivilDay(*date) + 1, TodayInChina());
}

TEST(StatementDateTest, TheDateGiven) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_date, "2026-11-01");
  absl::StatusOr<v1::Date> date = StatementDate();
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(FormatDate(*date), "2026-11-01");
}

TEST(StatementDateTest, NotADateNamesTheFlag) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_date, "2026-13-01");
  absl::StatusOr<v1::Date> date = StatementDate();
  EXPECT_EQ(date.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(date.status().message()), StartsWith("--date: "));
}

TEST(GivenStatementDateTest, NoneUnlessGiven) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_date, "");
  absl::StatusOr<std::optional<v1::Date>> date = GivenStatementDate();
  ASSERT_TRUE(date.ok());
  EXPECT_FALSE(date->has_value());

  absl::SetFlag(&FLAGS_date, "2023-12-20");
  date = GivenStatementDate();
  ASSERT_TRUE(date.ok());
  ASSERT_TRUE(date->has_value());
  EXPECT_EQ(FormatDate(**date), "2023-12-20");

  absl::SetFlag(&FLAGS_date, "20231220");
  EXPECT_THAT(std::string(GivenStatementDate().status().message()),
              StartsWith("--date: "));
}

TEST(AsOfTest, NoneUnlessGiven) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_as_of, "");
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  ASSERT_TRUE(as_of.ok());
  EXPECT_FALSE(as_of->has_value());

  absl::SetFlag(&FLAGS_as_of, "2026-03-01");
  as_of = AsOf();
  ASSERT_TRUE(as_of.ok());
  ASSERT_TRUE(as_of->has_value());
  EXPECT_EQ(FormatDate(**as_of), "2026-03-01");
}

TEST(AsOfTest, NotADateNamesTheFlag) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_as_of, "yesterday");
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  EXPECT_EQ(as_of.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(as_of.status().message()), StartsWith("--as_of: "));
}

TEST(ConfigPathTest, UnderTheConfigDirectory) {
  setenv("XDG_CONFIG_HOME", "/home/someone/.config", 1);
  EXPECT_EQ(ConfigPath("operator.key"),
            "/home/someone/.config/certreg/operator.key");
}

TEST(SiteFlagValuesTest, WhatWasRecorded) {
  SetSiteFlagValues({"黄岛工厂|青岛市黄岛区", "研发中心|青岛市市南区"});
  EXPECT_THAT(SiteFlagValues(),
              ElementsAre("黄岛工厂|青岛市黄岛区", "研发中心|青岛市市南区"));
  SetSiteFlagValues({});
  EXPECT_TRUE(SiteFlagValues().empty());
}

}  // namespace
}  // namespace certreg
