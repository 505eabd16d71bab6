#include "tools/cli/certctl_run.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_flags.h"

// Flags as certctl has them: --site given once per site, and an int.
ABSL_FLAG(std::string, site, "", "repeated");
ABSL_FLAG(int, page_size, 20, "an int");

namespace certreg {
namespace {

using ::testing::ExitedWithCode;

// Prints its arguments, the --site values and --page_size to standard
// error; exits 7.
int Echo(const Args& args) {
  std::cerr << "args=" << absl::StrJoin(args, ",")
            << " sites=" << absl::StrJoin(SiteFlagValues(), ",")
            << " page_size=" << absl::GetFlag(FLAGS_page_size) << "\n";
  return 7;
}

constexpr Command kCommands[] = {{"echo", Echo}};

// certctl ARGS with kCommands: the process exits with what RunCertctl
// returns (each run in a child, as RunCertctl is run once per process).
void Certctl(std::vector<std::string> args) {
  args.insert(args.begin(), "certctl");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  std::exit(RunCertctl(static_cast<int>(argv.size()), argv.data(), kCommands));
}

TEST(RunCertctlDeathTest, RunsTheCommandWithItsArgumentsAndFlags) {
  EXPECT_EXIT(Certctl({"echo", "a", "--page_size=5", "b", "--site=x|1",
                       "--site", "y|2"}),
              ExitedWithCode(7), "args=a,b sites=x\\|1,y\\|2 page_size=5");
}

TEST(RunCertctlDeathTest, HelpIsNoCommand) {
  EXPECT_EXIT(Certctl({"echo", "--help"}), ExitedWithCode(0), "");
  EXPECT_EXIT(Certctl({"-h"}), ExitedWithCode(0), "");
  EXPECT_EXIT(Certctl({"help", "echo"}), ExitedWithCode(0), "");
}

TEST(RunCertctlDeathTest, NoCommandIsAUsageError) {
  EXPECT_EXIT(Certctl({}), ExitedWithCode(2), "Usage: certctl COMMAND");
  EXPECT_EXIT(Certctl({"--page_size=5"}), ExitedWithCode(2),
              "Usage: certctl COMMAND");
}

TEST(RunCertctlDeathTest, AnUnknownCommandIsAUsageError) {
  EXPECT_EXIT(Certctl({"nosuch", "a"}), ExitedWithCode(2),
              "^certctl: unknown command \"nosuch\"\n\ncertctl: the command "
              "line");
}

TEST(RunCertctlDeathTest, FlagsAbslWouldRefuseAreUsageErrors) {
  EXPECT_EXIT(Certctl({"echo", "--nosuch"}), ExitedWithCode(2),
              "^certctl: unknown flag --nosuch \\(see certctl echo "
              "--help\\)\n$");
  EXPECT_EXIT(Certctl({"--page_size=many"}), ExitedWithCode(2),
              "^certctl: --page_size: .* \\(see certctl help\\)\n$");
  EXPECT_EXIT(Certctl({"echo", "--site"}), ExitedWithCode(2),
              "^certctl: --site needs a value \\(see certctl echo --help\\)");
}

}  // namespace
}  // namespace certreg
