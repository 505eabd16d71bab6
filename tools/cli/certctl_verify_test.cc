#include "tools/cli/certctl_verify.h"

#include <fstream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_command_testing.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"

ABSL_DECLARE_FLAG(std::string, bundle);
ABSL_DECLARE_FLAG(std::string, min_stars);
ABSL_DECLARE_FLAG(std::string, operator_public_key);
ABSL_DECLARE_FLAG(std::string, log_public_key);

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Pins a new key as both the operator's and the log's; returns the test's
// own directory.
std::string PinKeys() {
  const std::string dir = TestDirectory();
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  EXPECT_TRUE(
      WriteKeyPair(*key, dir + "/pinned.key", dir + "/pinned.pub").ok());
  absl::SetFlag(&FLAGS_operator_public_key, dir + "/pinned.pub");
  absl::SetFlag(&FLAGS_log_public_key, dir + "/pinned.pub");
  return dir;
}

std::string WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(VerifyCommandTest, OneNumberOrABundle) {
  absl::FlagSaver saver;
  CommandOutput run = RunCommand(VerifyCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl verify: give one certificate "
                                  "number, or --bundle=FILE\n"));
  EXPECT_EQ(RunCommand(VerifyCommand, {"A", "B"}).exit_code, kExitUsage);

  absl::SetFlag(&FLAGS_bundle, "/nonexistent/x.bundle");
  run = RunCommand(VerifyCommand, {"A", "B"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl verify: give at most one "
                                  "certificate number\n"));
}

TEST(VerifyCommandTest, WithoutPinnedKeysNothingIsChecked) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_bundle, "/nonexistent/x.bundle");
  absl::SetFlag(&FLAGS_operator_public_key, "/nonexistent/operator.pub");
  CommandOutput run = RunCommand(VerifyCommand, {});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_THAT(run.err, StartsWith("certctl: "));
  EXPECT_THAT(run.err, HasSubstr("/nonexistent/operator.pub"));
  EXPECT_EQ(run.out, "");
}

TEST(VerifyCommandTest, OfflineAFileThatIsNoBundle) {
  absl::FlagSaver saver;
  const std::string dir = PinKeys();
  absl::SetFlag(&FLAGS_bundle, WriteFile(dir + "/x.bundle", "\xff\xff\xff"));
  CommandOutput run = RunCommand(VerifyCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_EQ(
      run.err,
      "certctl: " + dir +
          "/x.bundle: not a certreg verification bundle (binary or JSON)\n");

  absl::SetFlag(&FLAGS_bundle, dir + "/missing.bundle");
  run = RunCommand(VerifyCommand, {});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_EQ(run.err, "certctl: cannot read " + dir + "/missing.bundle\n");
}

TEST(VerifyCommandTest, OfflineAnEmptyBundleProvesNothing) {
  absl::FlagSaver saver;
  const std::string dir = PinKeys();
  absl::SetFlag(&FLAGS_bundle, WriteFile(dir + "/empty.bundle", ""));
  CommandOutput run = RunCommand(VerifyCommand, {"90126Q21540R2M"});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_THAT(run.out, StartsWith("检查 check"));
  EXPECT_THAT(run.out, HasSubstr("\n结论 verdict: "));
  EXPECT_THAT(run.out, testing::Not(HasSubstr("verdict: PASS")));
}

TEST(VerifyCommandTest, OfflineAMalformedClaimIsAUsageError) {
  absl::FlagSaver saver;
  const std::string dir = PinKeys();
  absl::SetFlag(&FLAGS_bundle, WriteFile(dir + "/empty.bundle", ""));
  absl::SetFlag(&FLAGS_min_stars, "六星级");
  CommandOutput run = RunCommand(VerifyCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl verify: --min_stars: "));
  EXPECT_EQ(run.out, "");
}

TEST(BundleCommandTest, OneNumber) {
  CommandOutput run = RunCommand(BundleCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err,
              StartsWith("certctl bundle: give one certificate number\n"));
  EXPECT_EQ(RunCommand(BundleCommand, {"A", "B"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace certreg
