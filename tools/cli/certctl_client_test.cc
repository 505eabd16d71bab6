#include "tools/cli/certctl_client.h"

#include <cstdlib>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_command_testing.h"
#include "verifier/crypto/key_files.h"

ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, operator_key);

namespace certreg {
namespace {

using ::testing::StartsWith;

// Writes a new key pair at DIR/NAME.key and DIR/NAME.pub.
Ed25519PrivateKey NewKeyFile(const std::string& dir, const std::string& name) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  EXPECT_TRUE(
      WriteKeyPair(*key, dir + "/" + name + ".key", dir + "/" + name + ".pub")
          .ok());
  return *key;
}

TEST(ClientTest, TheRegistryOfTheFlag) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, "10.0.0.5:50051");
  EXPECT_EQ(Client()->address(), "10.0.0.5:50051");
}

TEST(BodyKeyTest, NeedsTheKeyFlag) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_key, "");
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(key.status().message(),
            "--key: give the certification body's private key file");
}

TEST(BodyKeyTest, TheFileTheFlagNames) {
  absl::FlagSaver saver;
  const std::string dir = TestDirectory();
  const Ed25519PrivateKey written = NewKeyFile(dir, "body");
  absl::SetFlag(&FLAGS_key, dir + "/body.key");
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->public_key().key_id(), written.public_key().key_id());

  absl::SetFlag(&FLAGS_key, dir + "/missing.key");
  EXPECT_EQ(BodyKey().status().code(), absl::StatusCode::kNotFound);
}

TEST(OperatorKeyTest, InTheConfigDirectoryByDefault) {
  absl::FlagSaver saver;
  const std::string dir = TestDirectory();
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  const Ed25519PrivateKey written = NewKeyFile(dir + "/certreg", "operator");
  absl::SetFlag(&FLAGS_operator_key, "");
  absl::StatusOr<Ed25519PrivateKey> key = OperatorKey();
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->public_key().key_id(), written.public_key().key_id());
}

TEST(OperatorKeyTest, TheFileTheFlagNames) {
  absl::FlagSaver saver;
  const std::string dir = TestDirectory();
  setenv("XDG_CONFIG_HOME", (dir + "/empty").c_str(), 1);
  const Ed25519PrivateKey written = NewKeyFile(dir, "elsewhere");
  absl::SetFlag(&FLAGS_operator_key, dir + "/elsewhere.key");
  absl::StatusOr<Ed25519PrivateKey> key = OperatorKey();
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->public_key().key_id(), written.public_key().key_id());

  absl::SetFlag(&FLAGS_operator_key, "");
  EXPECT_EQ(OperatorKey().status().code(), absl::StatusCode::kNotFound);
}

TEST(ReceiptTextTest, KindLogIndexAndHash) {
  v1::StatementReceipt receipt;
  receipt.set_leaf_index(7);
  receipt.set_statement_hash(std::string("\x3f\x2a\x00\xff", 4));
  EXPECT_EQ(ReceiptText(v1::STATEMENT_KIND_SUSPEND, receipt),
            "suspend accepted: log index 7, statement hash 3f2a00ff\n");
  EXPECT_EQ(ReceiptText(v1::STATEMENT_KIND_CHANGE_HOLDER, receipt),
            "change holder accepted: log index 7, statement hash 3f2a00ff\n");
}

TEST(SignAndSubmitTest, AnUnreachableRegistryIsAConnectionError) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_registry, "127.0.0.1:1");
  absl::SetFlag(&FLAGS_timeout_seconds, 5);
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::Statement statement;
  statement.set_certificate_number("00216Q10097R1S");
  statement.mutable_surveillance()->set_note("监督审核");
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const int code = SignAndSubmit(statement, *key);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(code, kExitUsage);
  EXPECT_THAT(err, StartsWith("certctl: "));
}

}  // namespace
}  // namespace certreg
