#include "verifier/rules/text_normalize.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::ElementsAre;

TEST(TextNormalizeTest, FoldsWidthBracketsCaseAndSpaces) {
  EXPECT_EQ(NormalizeText("青岛海尔（集团）有限公司"),
            NormalizeText("青岛海尔(集团)有限公司"));
  EXPECT_EQ(NormalizeText("ＡＢＣ科技"), "abc科技");
  EXPECT_EQ(NormalizeText("Haier  Group"), "haiergroup");
  EXPECT_EQ(NormalizeText("青岛 海尔"), "青岛海尔");
  EXPECT_EQ(NormalizeText("１２３"), "123");
  EXPECT_EQ(NormalizeText("\xe3\x80\x80全角空格"), "全角空格");  // U+3000
  EXPECT_EQ(NormalizeText(""), "");
}

TEST(TextNormalizeTest, SubstringOfNormalisedNameFindsChineseWithoutSpaces) {
  std::string name = NormalizeText("青岛海尔股份有限公司");
  EXPECT_NE(name.find(NormalizeText("海尔")), std::string::npos);
  EXPECT_NE(name.find(NormalizeText("股份有限")), std::string::npos);
}

TEST(TextNormalizeTest, TextAlreadyNormalisedComesBackAsIs) {
  for (const char* text :
       {"青岛海尔股份有限公司", "haier(集团)co.", "123abc", "é", ""}) {
    EXPECT_EQ(NormalizeText(text), text);
    EXPECT_EQ(NormalizeText(NormalizeText(text)), NormalizeText(text));
  }
  // Each character is in normal form, the sequence is not: e + U+0301
  // composes to U+00E9.
  EXPECT_EQ(NormalizeText("e\xcc\x81"), "\xc3\xa9");
  // Lower case and no spaces, but full-width.
  EXPECT_EQ(NormalizeText("ａｂｃ"), "abc");
  // A tab is white space.
  EXPECT_EQ(NormalizeText("海尔\t集团"), "海尔集团");
}

TEST(TextNormalizeTest, AsciiFoldsLikeUnicode) {
  // ASCII takes a shorter path; it must agree with the full normalisation of
  // the same text with one non-ASCII character added.
  for (const char* text : {"Haier Group", "GB/T 19001-2016/ISO 9001:2015",
                           "a\tb\nc\rd\ve\ff", "ABC xyz 123 !~", "\x1F\x7F"}) {
    EXPECT_EQ(NormalizeText(absl::StrCat(text, "海")),
              absl::StrCat(NormalizeText(text), "海"))
        << text;
  }
  EXPECT_EQ(NormalizeText("GB/T 27922 - 2011"), "gb/t27922-2011");
}

TEST(TextNormalizeTest, NormalizeBasisFoldsWidthSpacesCaseAndDashes) {
  const std::string want = "gb/t27922-2011";
  for (const char* basis :
       {"GB/T 27922-2011", "GB/T27922-2011", "gb/t 27922-2011",
        "  GB / T  27922 - 2011 ", "ＧＢ／Ｔ　２７９２２－２０１１",
        "GB/T 27922\u20142011", "GB/T 27922\u20132011", "GB/T 27922\u22122011",
        "GB/T 27922\u20102011", "GB/T\u00A027922-2011"}) {
    EXPECT_EQ(NormalizeBasis(basis), want) << basis;
  }
  EXPECT_EQ(NormalizeBasis("ＧＢ／Ｔ　２７９２２"), "gb/t27922");
  EXPECT_EQ(NormalizeBasis(""), "");
  // Other characters are kept; a trailing lead byte does not read past the end.
  EXPECT_EQ(NormalizeBasis("认证依据\u2016"), "认证依据\u2016");
  EXPECT_EQ(NormalizeBasis("GB/T 19001\xE2"), "gb/t19001\xEF\xBF\xBD");
}

TEST(TextNormalizeTest, InvalidUtf8DoesNotCrash) {
  std::string bad = "\xff\xfe海尔\xc3";
  EXPECT_NE(NormalizeText(bad).find("海尔"), std::string::npos);
  // Ill-formed sequences become U+FFFD, never pass through.
  EXPECT_NE(NormalizeText(bad).find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(NormalizeText(bad).find('\xff'), std::string::npos);
  EXPECT_FALSE(SplitCodePoints(bad).empty());
}

TEST(TextNormalizeTest, NGrams) {
  EXPECT_THAT(SplitCodePoints("海尔a"), ElementsAre("海", "尔", "a"));
  EXPECT_THAT(CharacterNGrams("青岛海尔", 2),
              ElementsAre("青岛", "岛海", "海尔"));
  EXPECT_THAT(CharacterNGrams("海", 2), ElementsAre("海"));
  EXPECT_THAT(CharacterNGrams("aaaa", 2), ElementsAre("aa"));
  EXPECT_TRUE(CharacterNGrams("", 2).empty());
}

}  // namespace
}  // namespace certreg
