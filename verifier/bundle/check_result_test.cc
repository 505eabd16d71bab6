#include "verifier/bundle/check_result.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(CheckResultTest, AddCheckAppendsInOrder) {
  v1::VerifyResponse response;
  AddCheck(response, "first", Passed({"fine", "好"}));
  AddCheck(response, "second", Failed({"wrong", "错"}));
  AddCheck(response, "third", Skipped({"not checked", "未检查"}));
  ASSERT_EQ(response.checks_size(), 3);
  EXPECT_EQ(response.checks(0).name(), "first");
  EXPECT_EQ(response.checks(0).outcome(), v1::CHECK_OUTCOME_PASSED);
  EXPECT_EQ(response.checks(0).detail(), "fine");
  EXPECT_EQ(response.checks(0).detail_zh(), "好");
  EXPECT_EQ(response.checks(1).name(), "second");
  EXPECT_EQ(response.checks(1).outcome(), v1::CHECK_OUTCOME_FAILED);
  EXPECT_EQ(response.checks(1).detail(), "wrong");
  EXPECT_EQ(response.checks(1).detail_zh(), "错");
  EXPECT_EQ(response.checks(2).outcome(), v1::CHECK_OUTCOME_SKIPPED);
  EXPECT_EQ(response.checks(2).detail_zh(), "未检查");
}

}  // namespace
}  // namespace certreg
