#include "tools/cli/certificate_csv_fields.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace csv {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(QuoteTest, ShortTextWhole) { EXPECT_EQ(Quote("青岛"), "\"青岛\""); }

TEST(QuoteTest, LongTextCutOnACharacter) {
  // 30 three-byte characters: 60 bytes end on the 20th.
  std::string chinese;
  for (int i = 0; i < 30; ++i) chinese += "海";
  EXPECT_EQ(Quote(chinese), "\"" + chinese.substr(0, 60) + "...\"");
  // One byte more in front: the cut moves back to a character's start.
  std::string shifted = "a" + chinese;
  EXPECT_EQ(Quote(shifted), "\"" + shifted.substr(0, 58) + "...\"");
}

TEST(SplitListTest, TrimmedWithoutEmptyEntries) {
  EXPECT_THAT(SplitList(" GB/T 19001 ;; ISO 9001;"),
              ElementsAre("GB/T 19001", "ISO 9001"));
  EXPECT_TRUE(SplitList("").empty());
}

TEST(ListEntryTest, SeparatorsBecomeFullWidth) {
  EXPECT_EQ(ListEntry("a;b|c"), "a；b|c");
  EXPECT_EQ(ListEntry("a;b|c", /*no_bar=*/true), "a；b｜c");
}

TEST(FormatDoubleTest, ShortestThatReadsBack) {
  EXPECT_EQ(FormatDouble(92.5), "92.5");
  EXPECT_EQ(FormatDouble(95), "95");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  // The shortest form may be an exponent: 90 is "9e+01".
  EXPECT_EQ(std::stod(FormatDouble(90)), 90);
  EXPECT_EQ(std::stod(FormatDouble(77.93333333333334)), 77.93333333333334);
}

TEST(ParseNumbersTest, ScoresAndCounts) {
  EXPECT_EQ(*ParseScore("92.5", "score"), 92.5);
  EXPECT_EQ(Message(ParseScore("ninety", "score").status()),
            "score: \"ninety\" is not a number");
  EXPECT_FALSE(ParseScore("inf", "score").ok());
  EXPECT_EQ(*ParseCount("", "special_deductions"), 0u);
  EXPECT_EQ(*ParseCount("3", "special_deductions"), 3u);
  EXPECT_EQ(Message(ParseCount("-1", "recertification_count").status()),
            "recertification_count: \"-1\" is not a non-negative integer");
}

TEST(StarLevelTest, WrittenByNameReadByAny) {
  EXPECT_EQ(StarLevelName(v1::STAR_LEVEL_FOUR), "four");
  EXPECT_EQ(StarLevelName(v1::STAR_LEVEL_UNSPECIFIED), "");
  EXPECT_EQ(*ParseStar("four", "star_level"), v1::STAR_LEVEL_FOUR);
  EXPECT_EQ(*ParseStar("四星级", "star_level"), v1::STAR_LEVEL_FOUR);
  EXPECT_EQ(*ParseStar("", "star_level"), v1::STAR_LEVEL_UNSPECIFIED);
  EXPECT_THAT(Message(ParseStar("six", "star_level").status()),
              StartsWith("star_level: "));
}

TEST(EventsTest, EveryKindReadsBackAsWritten) {
  const std::string text =
      "surveillance@2025-01-27:监督审核通过;suspend@2025-03-01:未整改;"
      "reinstate@2025-04-01;revoke@2025-05-01:暂停期满;"
      "withdraw@2025-06-01:申请注销;"
      "renew@2027-01-05:2027-01-10/2030-01-09/95.5/1/five;"
      "change_scope@2025-02-01:家用电器的设计和生产";
  std::vector<v1::Statement> events;
  ASSERT_TRUE(ParseEvents(text, "90126Q21540R2M", &events).ok());
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].certificate_number(), "90126Q21540R2M");
  EXPECT_EQ(FormatDate(events[0].date()), "2025-01-27");
  EXPECT_EQ(events[0].surveillance().note(), "监督审核通过");
  EXPECT_TRUE(events[2].has_reinstate());
  EXPECT_EQ(events[5].renew().service_grade().star_level(),
            v1::STAR_LEVEL_FIVE);
  std::vector<std::string> entries;
  for (const v1::Statement& event : events)
    entries.push_back(EventEntry(event));
  EXPECT_EQ(absl::StrJoin(entries, ";"), text);
}

TEST(EventsTest, EntriesThatDoNotParse) {
  std::vector<v1::Statement> events;
  EXPECT_EQ(Message(ParseEvents("surveillance 2025-01-27", "N", &events)),
            "events: event 1 \"surveillance 2025-01-27\": expected "
            "kind@YYYY-MM-DD[:text]");
  EXPECT_THAT(Message(ParseEvents("suspend@2025-01-27:x;audit@2025-02-01", "N",
                                  &events)),
              StartsWith("events: event 2 \"audit@2025-02-01\": unknown kind "
                         "\"audit\""));
  EXPECT_THAT(Message(ParseEvents("renew@2027-01-05:2027-01-10", "N", &events)),
              StartsWith("events: event 1 \"renew@2027-01-05:2027-01-10\": "
                         "renew: renew needs NEW_ISSUE/NEW_EXPIRY"));
}

TEST(EventsTest, AStatementThatIsNoEventHasNoEntry) {
  v1::Statement issue;
  issue.mutable_issue();
  EXPECT_EQ(EventEntry(issue), "");
}

}  // namespace
}  // namespace csv
}  // namespace certreg
