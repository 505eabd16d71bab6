#include "tools/cli/certctl_args.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Flags as certctl has them: a string flag read repeatedly, another string
// flag and a bool.
ABSL_FLAG(std::string, site, "", "repeated");
ABSL_FLAG(std::string, note, "", "takes a value");
ABSL_FLAG(bool, quiet, false, "takes none");
ABSL_FLAG(int, page_size, 20, "an int");

namespace certreg {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Problem(std::vector<const char*> args) {
  args.insert(args.begin(), "certctl");
  return UsageProblem(static_cast<int>(args.size()), args.data());
}

std::vector<std::string> Sites(std::vector<const char*> args) {
  args.insert(args.begin(), "certctl");
  return RepeatedFlagValues(static_cast<int>(args.size()), args.data(), "site");
}

TEST(RepeatedFlagValuesTest, EveryOccurrenceInOrder) {
  EXPECT_THAT(
      Sites({"change-holder", "00216Q10097R1S", "--site=a|1", "--key=body.key",
             "--site", "b|2", "-site=c|3", "-site", "d|4"}),
      ElementsAre("a|1", "b|2", "c|3", "d|4"));
}

TEST(RepeatedFlagValuesTest, NoneGiven) {
  EXPECT_THAT(Sites({"change-holder", "N", "--name=x"}), IsEmpty());
  EXPECT_THAT(Sites({}), IsEmpty());
}

TEST(RepeatedFlagValuesTest, KeepsEmptyValuesAndEqualsSigns) {
  EXPECT_THAT(Sites({"--site=", "--site=a|x=y"}), ElementsAre("", "a|x=y"));
}

TEST(RepeatedFlagValuesTest, AnotherFlagsValueIsNotASite) {
  // "--note --site=a|1": absl reads "--site=a|1" as --note's value.
  EXPECT_THAT(Sites({"--note", "--site=a|1", "--site=b|2"}),
              ElementsAre("b|2"));
  // A bool takes no value: the next argument is a flag again.
  EXPECT_THAT(Sites({"--quiet", "--site=a|1"}), ElementsAre("a|1"));
  EXPECT_THAT(Sites({"--note=x", "--site=a|1"}), ElementsAre("a|1"));
}

TEST(RepeatedFlagValuesTest, StopsAtDoubleDash) {
  EXPECT_THAT(Sites({"--site=a|1", "--", "--site=b|2"}), ElementsAre("a|1"));
}

TEST(RepeatedFlagValuesTest, OtherNamesAreNotMatched) {
  EXPECT_THAT(Sites({"--sites=a|1", "--site_x=b|2", "site=c|3"}), IsEmpty());
}

TEST(RepeatedFlagValuesTest, LastSiteWithoutAValue) {
  EXPECT_THAT(Sites({"--site=a|1", "--site"}), ElementsAre("a|1"));
}

TEST(UsageProblemTest, NoneForKnownFlagsAndTheirValues) {
  EXPECT_EQ(Problem({}), "");
  EXPECT_EQ(Problem({"search", "海岳", "--page_size=5", "-note", "x", "--quiet",
                     "--noquiet", "--site", "a|1"}),
            "");
  // Whatever follows "--" is positional.
  EXPECT_EQ(Problem({"get", "--", "--nosuch"}), "");
}

TEST(UsageProblemTest, AnUnknownFlag) {
  EXPECT_EQ(Problem({"get", "--nosuch", "N"}), "unknown flag --nosuch");
  EXPECT_EQ(Problem({"-x=1"}), "unknown flag --x");
  // "--no" negates only a bool, and takes no value.
  EXPECT_EQ(Problem({"--nonote"}), "unknown flag --nonote");
  EXPECT_EQ(Problem({"--noquiet=true"}), "unknown flag --noquiet");
}

TEST(UsageProblemTest, AFlagWithoutItsValue) {
  EXPECT_EQ(Problem({"get", "--note"}), "--note needs a value");
  // A bool needs none.
  EXPECT_EQ(Problem({"get", "--quiet"}), "");
}

TEST(UsageProblemTest, AValueOfTheWrongType) {
  EXPECT_THAT(Problem({"search", "--page_size=many"}),
              testing::StartsWith("--page_size: "));
  EXPECT_THAT(Problem({"search", "--page_size", "many"}),
              testing::StartsWith("--page_size: "));
  EXPECT_THAT(Problem({"--quiet=maybe"}), testing::StartsWith("--quiet: "));
}

}  // namespace
}  // namespace certreg
