#ifndef CERTREG_TOOLS_CLI_CERTCTL_COMMAND_TESTING_H_
#define CERTREG_TOOLS_CLI_CERTCTL_COMMAND_TESTING_H_

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tools/cli/certctl_command.h"

namespace certreg {

// What a command run in a unit test returned and printed.
struct CommandOutput {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `command` with `args`, capturing what it prints. Flags are whatever
// the test set (absl::SetFlag under an absl::FlagSaver).
//
// Example:
//   CommandOutput get = RunCommand(GetCommand, {});
//   EXPECT_EQ(get.exit_code, kExitUsage);
inline CommandOutput RunCommand(int (*command)(const Args&), const Args& args) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  CommandOutput output;
  output.exit_code = command(args);
  output.out = testing::internal::GetCapturedStdout();
  output.err = testing::internal::GetCapturedStderr();
  return output;
}

// A new, empty directory of the running test's own.
inline std::string TestDirectory() {
  const testing::TestInfo* test =
      testing::UnitTest::GetInstance()->current_test_info();
  std::string dir =
      testing::TempDir() + "/" + test->test_suite_name() + "." + test->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_COMMAND_TESTING_H_
