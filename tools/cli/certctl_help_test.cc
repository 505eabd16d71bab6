#include "tools/cli/certctl_help.h"

#include <set>
#include <string>
#include <vector>

#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The NAME of each "--NAME" in `text` (lower-case letters and '_').
std::vector<std::string> FlagsNamed(absl::string_view text) {
  std::vector<std::string> flags;
  for (size_t at = text.find("--"); at != absl::string_view::npos;
       at = text.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < text.size() &&
           (absl::ascii_islower(text[end]) || text[end] == '_')) {
      ++end;
    }
    if (end > at + 2) flags.emplace_back(text.substr(at + 2, end - at - 2));
  }
  return flags;
}

// The commands the overview lists: "  NAME   summary" lines.
std::vector<std::string> ListedCommands() {
  std::vector<std::string> names;
  bool in_list = false;
  for (absl::string_view line : absl::StrSplit(GeneralHelp(), '\n')) {
    if (line == "Commands:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (!absl::ConsumePrefix(&line, "  ")) break;
    names.emplace_back(line.substr(0, line.find(' ')));
  }
  return names;
}

TEST(HelpTest, TheOverviewListsEveryCommand) {
  const std::vector<std::string> names = ListedCommands();
  EXPECT_EQ(names.size(), 30u);
  for (const char* name :
       {"get",           "search",     "bodies",        "health",
        "watch",         "watchlist",  "bundle",        "verify",
        "registry-keys", "keygen",     "key-id",        "accredit",
        "rotate-key",    "retire-key", "publish-rules", "issue",
        "surveil",       "suspend",    "reinstate",     "revoke",
        "withdraw",      "renew",      "change-scope",  "change-holder",
        "demo-seed",     "generate",   "scrub",         "import",
        "export",        "backup"}) {
    EXPECT_THAT(names, testing::Contains(name));
    EXPECT_TRUE(IsCommand(name)) << name;
  }
  EXPECT_FALSE(IsCommand("help"));
  EXPECT_THAT(GeneralHelp(), HasSubstr("Exit codes: 0 success, 1 check "
                                       "failed"));
}

TEST(HelpTest, EachCommandsUsageAndExample) {
  for (const std::string& name : ListedCommands()) {
    const std::string help = CommandHelp(name);
    EXPECT_THAT(help, HasSubstr("\n\nUsage: certctl " + name)) << name;
    EXPECT_THAT(help, HasSubstr("Example")) << name;
    EXPECT_THAT(help, HasSubstr("\n\nCommon flags: --registry=HOST:PORT"))
        << name;
  }
}

TEST(HelpTest, AnUnknownCommandGetsTheOverview) {
  EXPECT_EQ(CommandHelp("nosuch"), GeneralHelp());
  EXPECT_THAT(GeneralHelp(), StartsWith("certctl: the command line"));
}

// Every flag a help text names is one of certctl's (this test links every
// command library), but for the registry server's own flags that backup's
// help mentions, and absl's --help.
TEST(HelpTest, EveryFlagNamedIsCertctls) {
  const std::set<std::string> not_certctls = {"help", "data_dir", "backup_dir"};
  std::vector<std::string> texts = {GeneralHelp()};
  for (const std::string& name : ListedCommands()) {
    texts.push_back(CommandHelp(name));
  }
  int named = 0;
  for (const std::string& text : texts) {
    for (const std::string& flag : FlagsNamed(text)) {
      if (not_certctls.count(flag) > 0) continue;
      ++named;
      EXPECT_NE(absl::FindCommandLineFlag(flag), nullptr) << "--" << flag;
    }
  }
  EXPECT_GT(named, 100);
}

}  // namespace
}  // namespace certreg
