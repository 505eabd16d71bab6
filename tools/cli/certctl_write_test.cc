#include "tools/cli/certctl_write.h"

#include <cstdlib>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_command_testing.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_statements.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"
#include "verifier/rules/scheme_rules.h"

ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, operator_key);
ABSL_DECLARE_FLAG(std::string, approval);
ABSL_DECLARE_FLAG(std::string, name);
ABSL_DECLARE_FLAG(std::string, public_key);
ABSL_DECLARE_FLAG(std::string, key_id);
ABSL_DECLARE_FLAG(std::string, valid_from);
ABSL_DECLARE_FLAG(std::string, valid_until);
ABSL_DECLARE_FLAG(std::string, file);
ABSL_DECLARE_FLAG(std::string, number);
ABSL_DECLARE_FLAG(std::string, issue_date);
ABSL_DECLARE_FLAG(std::string, expiry_date);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, new_issue_date);
ABSL_DECLARE_FLAG(std::optional<int64_t>, rules_version);
ABSL_DECLARE_FLAG(bool, print_default);

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Each test: no registry (a connection is refused at once), an empty
// configuration directory, and the key files it writes in its directory.
class WriteCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDirectory();
    setenv("XDG_CONFIG_HOME", (dir_ + "/config").c_str(), 1);
    absl::SetFlag(&FLAGS_registry, "127.0.0.1:1");
    SetSiteFlagValues({});
  }

  // DIR/NAME.key and DIR/NAME.pub; the path prefix.
  std::string NewKey(const std::string& name) {
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    EXPECT_TRUE(key.ok());
    const std::string prefix = dir_ + "/" + name;
    EXPECT_TRUE(WriteKeyPair(*key, prefix + ".key", prefix + ".pub").ok());
    return prefix;
  }

  absl::FlagSaver saver_;
  std::string dir_;
};

TEST_F(WriteCommandTest, AccreditUsageErrors) {
  EXPECT_THAT(RunCommand(AccreditCommand, {"x"}).err,
              StartsWith("certctl accredit: takes flags only\n"));
  CommandOutput run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl accredit: --public_key: is "
                                  "required\n"));
  absl::SetFlag(&FLAGS_public_key, NewKey("body") + ".pub");
  run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl accredit: --valid_from: is "
                                  "required\n"));
  absl::SetFlag(&FLAGS_valid_from, "2024-01-01");
  absl::SetFlag(&FLAGS_valid_until, "2029-12-31");
  absl::SetFlag(&FLAGS_date, "2024-13-01");
  run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl accredit: --date: "));
}

TEST_F(WriteCommandTest, AccreditNeedsTheKeysFiles) {
  absl::SetFlag(&FLAGS_public_key, dir_ + "/missing.pub");
  CommandOutput run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_THAT(run.err, StartsWith("certctl: "));

  // The operator's key, by default CONFIG/operator.key, is not there.
  absl::SetFlag(&FLAGS_public_key, NewKey("body") + ".pub");
  absl::SetFlag(&FLAGS_valid_from, "2024-01-01");
  absl::SetFlag(&FLAGS_valid_until, "2029-12-31");
  run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_THAT(run.err, HasSubstr("operator.key"));
}

TEST_F(WriteCommandTest, AccreditAnUnreachableRegistry) {
  absl::SetFlag(&FLAGS_public_key, NewKey("body") + ".pub");
  absl::SetFlag(&FLAGS_operator_key, NewKey("operator") + ".key");
  absl::SetFlag(&FLAGS_valid_from, "2024-01-01");
  absl::SetFlag(&FLAGS_valid_until, "2029-12-31");
  CommandOutput run = RunCommand(AccreditCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl: "));
  EXPECT_EQ(run.out, "");
}

TEST_F(WriteCommandTest, RotateAndRetireKeyUsageErrors) {
  EXPECT_EQ(RunCommand(RotateKeyCommand, {"x"}).exit_code, kExitUsage);
  EXPECT_THAT(RunCommand(RotateKeyCommand, {}).err,
              StartsWith("certctl rotate-key: --public_key: is required\n"));
  EXPECT_EQ(RunCommand(RetireKeyCommand, {"x"}).exit_code, kExitUsage);
  CommandOutput run = RunCommand(RetireKeyCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl retire-key: give --key_id or "
                                  "--public_key\n"));
  absl::SetFlag(&FLAGS_key_id, "not hex");
  run = RunCommand(RetireKeyCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl retire-key: --key_id: "));
}

TEST_F(WriteCommandTest, IssueUsageErrors) {
  EXPECT_THAT(RunCommand(IssueCommand, {"x"}).err,
              StartsWith("certctl issue: takes flags only\n"));
  CommandOutput run = RunCommand(IssueCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl issue: --type: \"\" is not "
                                  "management_system, service or product\n"));
  absl::SetFlag(&FLAGS_type, "product");
  absl::SetFlag(&FLAGS_issue_date, "2024-01-10");
  absl::SetFlag(&FLAGS_expiry_date, "2027-01-09");
  absl::SetFlag(&FLAGS_date, "2024-01-11");
  run = RunCommand(IssueCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl issue: --date: 2024-01-11 differs "
                                  "from the certificate's issue date"));
  // A file that is not there is a usage error too.
  absl::SetFlag(&FLAGS_file, dir_ + "/missing.json");
  run = RunCommand(IssueCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl issue: cannot read "));
}

TEST_F(WriteCommandTest, IssueNeedsTheBodysKey) {
  absl::SetFlag(&FLAGS_type, "product");
  absl::SetFlag(&FLAGS_issue_date, "2024-01-10");
  absl::SetFlag(&FLAGS_expiry_date, "2027-01-09");
  CommandOutput run = RunCommand(IssueCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_EQ(run.err,
            "certctl: --key: give the certification body's private key file\n");
}

TEST_F(WriteCommandTest, EventUsageErrors) {
  for (auto command : {SurveilCommand, SuspendCommand, ReinstateCommand,
                       RevokeCommand, WithdrawCommand, RenewCommand,
                       ChangeScopeCommand, ChangeHolderCommand}) {
    CommandOutput run = RunCommand(command, {});
    EXPECT_EQ(run.exit_code, kExitUsage);
    EXPECT_THAT(run.err, HasSubstr(": give one certificate number\n"));
  }
  EXPECT_THAT(RunCommand(SuspendCommand, {"00216Q10097R1S"}).err,
              StartsWith("certctl suspend: --reason: is required\n"));
  absl::SetFlag(&FLAGS_new_issue_date, "2027-01-10");
  EXPECT_THAT(RunCommand(RenewCommand, {"00216Q10097R1S"}).err,
              StartsWith("certctl renew: --new_expiry_date: is required\n"));
  EXPECT_THAT(
      RunCommand(ChangeHolderCommand, {"00216Q10097R1S"}).err,
      StartsWith("certctl change-holder: give --name, --address or --site"));
  absl::SetFlag(&FLAGS_scope, "家用电器的设计和生产");
  SetSiteFlagValues({"黄岛工厂 山东省青岛市"});
  EXPECT_THAT(RunCommand(ChangeScopeCommand, {"00216Q10097R1S"}).err,
              StartsWith("certctl change-scope: --site \"黄岛工厂 "
                         "山东省青岛市\": expected name|address\n"));
  absl::SetFlag(&FLAGS_date, "2026-11-31");
  EXPECT_THAT(RunCommand(SurveilCommand, {"00216Q10097R1S"}).err,
              StartsWith("certctl surveil: --date: "));
}

TEST_F(WriteCommandTest, EventsNeedTheBodysKeyThenTheRegistry) {
  absl::SetFlag(&FLAGS_reason, "未按期接受监督审核");
  CommandOutput run = RunCommand(SuspendCommand, {"00216Q10097R1S"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_EQ(run.err,
            "certctl: --key: give the certification body's private key file\n");
  // The previous event's hash comes from the registry, which is not there.
  absl::SetFlag(&FLAGS_key, NewKey("body") + ".key");
  run = RunCommand(SuspendCommand, {"00216Q10097R1S"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl: "));
  EXPECT_EQ(run.out, "");
}

TEST_F(WriteCommandTest, PublishRulesPrintsTheBuiltInRules) {
  absl::SetFlag(&FLAGS_print_default, true);
  CommandOutput run = RunCommand(PublishRulesCommand, {});
  EXPECT_EQ(run.exit_code, kExitOk);
  EXPECT_EQ(run.out, SchemeRulesToJson(DefaultSchemeRules()));
  EXPECT_THAT(run.out, HasSubstr("\"version\": 1"));
}

TEST_F(WriteCommandTest, PublishRulesUsageErrors) {
  EXPECT_THAT(RunCommand(PublishRulesCommand, {"x"}).err,
              StartsWith("certctl publish-rules: takes flags only\n"));
  absl::SetFlag(&FLAGS_file, dir_ + "/missing.json");
  CommandOutput run = RunCommand(PublishRulesCommand, {});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_EQ(run.err, "certctl: cannot read " + dir_ + "/missing.json\n");

  absl::SetFlag(&FLAGS_file, "");
  absl::SetFlag(&FLAGS_operator_key, NewKey("operator") + ".key");
  absl::SetFlag(&FLAGS_rules_version, 0);
  run = RunCommand(PublishRulesCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl publish-rules: --rules_version: "
                                  "must be 1 to 4294967295\n"));
}

}  // namespace
}  // namespace certreg
