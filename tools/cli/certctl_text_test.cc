#include "tools/cli/certctl_text.h"

#include "certreg/v1/registry.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

TEST(StatusNameTest, ChineseThenEnglish) {
  EXPECT_EQ(StatusName(v1::CERTIFICATE_STATUS_VALID), "有效 valid");
  EXPECT_EQ(StatusName(v1::CERTIFICATE_STATUS_SUSPENDED), "暂停 suspended");
  EXPECT_EQ(StatusName(v1::CERTIFICATE_STATUS_NOT_YET_VALID),
            "未生效 not yet valid");
}

TEST(CountedTest, PluralUnlessOne) {
  EXPECT_EQ(Counted(0, "row"), "0 rows");
  EXPECT_EQ(Counted(1, "row"), "1 row");
  EXPECT_EQ(Counted(3, "later event"), "3 later events");
  EXPECT_EQ(Counted(-1, "byte"), "-1 bytes");
}

TEST(ProgressBarTest, ThirtyCharactersAndThePercentage) {
  EXPECT_EQ(ProgressBar(0), "[..............................]   0.0%");
  EXPECT_EQ(ProgressBar(0.5), "[###############...............]  50.0%");
  EXPECT_EQ(ProgressBar(1), "[##############################] 100.0%");
  EXPECT_EQ(ProgressBar(7), ProgressBar(1));
  EXPECT_EQ(ProgressBar(-1), ProgressBar(0));
}

TEST(JsonTextTest, ProtoFieldNamesIndented) {
  v1::SearchCertificatesRequest request;
  request.set_item_code("A01");
  request.set_page_size(20);
  const std::string json = JsonText(request);
  EXPECT_THAT(json, HasSubstr("\"item_code\": \"A01\""));
  EXPECT_THAT(json, HasSubstr("\"page_size\": 20"));
  EXPECT_THAT(json, HasSubstr("\n "));
  EXPECT_THAT(json, EndsWith("}\n"));
}

}  // namespace
}  // namespace certreg
