#include "tools/cli/certctl_command.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_help.h"

namespace certreg {
namespace {

using ::testing::StartsWith;

TEST(ExitCodeTest, OkIsZero) { EXPECT_EQ(ExitCode(absl::OkStatus()), kExitOk); }

TEST(ExitCodeTest, NotThereOrNotAllowedIsACheckThatFailed) {
  for (const absl::Status& status :
       {absl::NotFoundError("x"), absl::FailedPreconditionError("x"),
        absl::PermissionDeniedError("x"), absl::AlreadyExistsError("x")}) {
    EXPECT_EQ(ExitCode(status), kExitCheckFailed) << status;
  }
}

TEST(ExitCodeTest, UsageAndConnectionErrorsAreTwo) {
  for (const absl::Status& status :
       {absl::InvalidArgumentError("x"), absl::UnavailableError("x"),
        absl::DeadlineExceededError("x"), absl::InternalError("x"),
        absl::DataLossError("x")}) {
    EXPECT_EQ(ExitCode(status), kExitUsage) << status;
  }
}

TEST(FailTest, PrintsTheMessageAndReturnsItsExitCode) {
  testing::internal::CaptureStderr();
  const int code = Fail(absl::NotFoundError("00216Q10097R1S: not found"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "certctl: 00216Q10097R1S: not found\n");
  EXPECT_EQ(code, kExitCheckFailed);
}

TEST(UsageTest, NamesTheProblemThenShowsTheCommandsHelp) {
  testing::internal::CaptureStderr();
  const int code = Usage("get", "give a certificate number (or several)");
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, kExitUsage);
  EXPECT_THAT(err, StartsWith("certctl get: give a certificate number (or "
                              "several)\n\n"));
  EXPECT_EQ(err, "certctl get: give a certificate number (or several)\n\n" +
                     CommandHelp("get") + "\n");
}

}  // namespace
}  // namespace certreg
