#include "verifier/http/query_params.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(QueryParamsTest, DecodesPairsInOrder) {
  absl::StatusOr<QueryParams> params = ParseQuery(
      "q=%E6%B5%B7%E5%B0%94+%E8%82%A1%E4%BB%BD&page_size=5&&flag&q=2");
  ASSERT_TRUE(params.ok()) << params.status();
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[0],
            (std::pair<std::string, std::string>{"q", "海尔 股份"}));
  EXPECT_EQ((*params)[2].first, "flag");
  EXPECT_EQ((*params)[2].second, "");
  EXPECT_EQ(ParamOf(*params, "q"), "海尔 股份");
  EXPECT_EQ(ParamOf(*params, "page_size"), "5");
  EXPECT_EQ(ParamOf(*params, "missing"), "");
}

TEST(QueryParamsTest, RefusesMalformedEscapesNulAndInvalidUtf8) {
  EXPECT_FALSE(ParseQuery("q=%E6%B5").ok());  // truncated UTF-8
  EXPECT_FALSE(ParseQuery("q=%zz").ok());
  EXPECT_FALSE(ParseQuery("q=%4").ok());
  EXPECT_FALSE(ParseQuery("q=%00").ok());
  EXPECT_FALSE(ParseQuery("q=%C0%AF").ok());     // overlong '/'
  EXPECT_FALSE(ParseQuery("q=%ED%A0%80").ok());  // a surrogate
  absl::StatusOr<QueryParams> bad = ParseQuery("as_of=%G1");
  EXPECT_EQ(bad.status().message(),
            "as_of: malformed percent escape at byte 0");
}

TEST(QueryParamsTest, PathSegmentsKeepPlusAndRoundTrip) {
  EXPECT_EQ(*PercentDecode("a+b%2Fc"), "a+b/c");
  const std::string number = "00114E22766R2L/3502";
  EXPECT_EQ(PercentEncode(number), "00114E22766R2L%2F3502");
  EXPECT_EQ(*PercentDecode(PercentEncode("海尔 <x>")), "海尔 <x>");
}

}  // namespace
}  // namespace certreg
