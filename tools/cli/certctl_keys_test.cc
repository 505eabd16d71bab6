#include "tools/cli/certctl_keys.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_command_testing.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(KeygenCommandTest, WritesAKeyPairAndShowsItsId) {
  const std::string prefix = TestDirectory() + "/keys/CNCA-R-2002-001";
  CommandOutput keygen = RunCommand(KeygenCommand, {prefix});
  ASSERT_EQ(keygen.exit_code, kExitOk) << keygen.err;
  absl::StatusOr<Ed25519PrivateKey> key = ReadPrivateKey(prefix + ".key");
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<Ed25519PublicKey> public_key = ReadPublicKey(prefix + ".pub");
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_EQ(public_key->key_id(), key->public_key().key_id());
  EXPECT_EQ(keygen.out, "private key " + prefix +
                            ".key (mode 0600; keep it secret)\n"
                            "public key  " +
                            prefix +
                            ".pub\n"
                            "key id      " +
                            ToHex(key->key_id()) + "\n");
  EXPECT_EQ(
      std::filesystem::status(prefix + ".key").permissions(),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(KeygenCommandTest, NeverOverwrites) {
  const std::string prefix = TestDirectory() + "/body";
  ASSERT_EQ(RunCommand(KeygenCommand, {prefix}).exit_code, kExitOk);
  const std::string before = ReadFile(prefix + ".key");
  CommandOutput again = RunCommand(KeygenCommand, {prefix});
  EXPECT_EQ(again.exit_code, kExitCheckFailed);
  EXPECT_THAT(again.err, StartsWith("certctl: "));
  EXPECT_EQ(ReadFile(prefix + ".key"), before);
}

TEST(KeygenCommandTest, OnePrefix) {
  CommandOutput keygen = RunCommand(KeygenCommand, {});
  EXPECT_EQ(keygen.exit_code, kExitUsage);
  EXPECT_THAT(keygen.err, StartsWith("certctl keygen: give one path prefix"));
  EXPECT_EQ(RunCommand(KeygenCommand, {"a", "b"}).exit_code, kExitUsage);
}

TEST(KeyIdCommandTest, OfThePublicOrThePrivateKey) {
  const std::string prefix = TestDirectory() + "/body";
  ASSERT_EQ(RunCommand(KeygenCommand, {prefix}).exit_code, kExitOk);
  absl::StatusOr<Ed25519PublicKey> key = ReadPublicKey(prefix + ".pub");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(RunCommand(KeyIdCommand, {prefix + ".pub"}).out,
            ToHex(key->key_id()) + "\n");
  EXPECT_EQ(RunCommand(KeyIdCommand, {prefix + ".key"}).out,
            ToHex(key->key_id()) + "\n");
}

TEST(KeyIdCommandTest, OneFileThatExists) {
  EXPECT_EQ(RunCommand(KeyIdCommand, {}).exit_code, kExitUsage);
  CommandOutput missing = RunCommand(KeyIdCommand, {"/nonexistent/x.pub"});
  EXPECT_EQ(missing.exit_code, kExitCheckFailed);
  EXPECT_THAT(missing.err, StartsWith("certctl: "));
}

TEST(RegistryKeysCommandTest, TakesNoArguments) {
  CommandOutput run = RunCommand(RegistryKeysCommand, {"x"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl registry-keys: takes no arguments"));
}

std::string NewRawPublicKey() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  return key->public_key().raw();
}

TEST(PinPublicKeyTest, WritesOnceThenKeeps) {
  const std::string dir = TestDirectory() + "/config";
  const std::string raw = NewRawPublicKey();
  std::ostringstream out;
  ASSERT_TRUE(PinPublicKey(dir, "log.pub", raw, out).ok());
  EXPECT_EQ(out.str(), "wrote " + dir + "/log.pub\n");
  absl::StatusOr<Ed25519PublicKey> pinned = ReadPublicKey(dir + "/log.pub");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  EXPECT_EQ(pinned->raw(), raw);

  out.str("");
  ASSERT_TRUE(PinPublicKey(dir, "log.pub", raw, out).ok());
  EXPECT_EQ(out.str(), dir + "/log.pub already pins this key\n");
}

TEST(PinPublicKeyTest, NeverReplacesAnotherKey) {
  const std::string dir = TestDirectory();
  std::ostringstream out;
  ASSERT_TRUE(PinPublicKey(dir, "operator.pub", NewRawPublicKey(), out).ok());
  const std::string before = ReadFile(dir + "/operator.pub");
  out.str("");
  absl::Status other =
      PinPublicKey(dir, "operator.pub", NewRawPublicKey(), out);
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(other.message()),
              HasSubstr("operator.pub already holds another key"));
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(ReadFile(dir + "/operator.pub"), before);
}

TEST(PinPublicKeyTest, RefusesWhatIsNoKey) {
  std::ostringstream out;
  EXPECT_EQ(PinPublicKey(TestDirectory(), "log.pub", "short", out).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
