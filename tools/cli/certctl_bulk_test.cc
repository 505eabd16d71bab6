#include "tools/cli/certctl_bulk.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_command_testing.h"
#include "tools/cli/certctl_flags.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(std::string, today);
ABSL_DECLARE_FLAG(std::string, errors);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, keys_dir);

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Each test: no registry (a connection is refused at once) and a directory
// of its own.
class BulkCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDirectory();
    absl::SetFlag(&FLAGS_registry, "127.0.0.1:1");
  }

  absl::FlagSaver saver_;
  std::string dir_;
};

TEST_F(BulkCommandTest, GenerateUsageErrors) {
  for (const Args& args : {Args{}, Args{"-1"}, Args{"many"}, Args{"1", "2"}}) {
    CommandOutput run = RunCommand(GenerateCommand, args);
    EXPECT_EQ(run.exit_code, kExitUsage);
    EXPECT_THAT(run.err, StartsWith("certctl generate: give the number of "
                                    "certificates, e.g. 1000\n"));
  }
  absl::SetFlag(&FLAGS_today, "2026-02-30");
  EXPECT_THAT(RunCommand(GenerateCommand, {"3"}).err,
              StartsWith("certctl generate: --today: "));
}

TEST_F(BulkCommandTest, GenerateWritesTheRowsAndTheirBodiesKeys) {
  absl::SetFlag(&FLAGS_seed, 5);
  absl::SetFlag(&FLAGS_today, "2026-01-01");
  absl::SetFlag(&FLAGS_out, dir_ + "/demo.csv");
  absl::SetFlag(&FLAGS_keys_dir, dir_ + "/keys");
  CommandOutput run = RunCommand(GenerateCommand, {"3"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.err, "wrote 3 certificates to " + dir_ + "/demo.csv\n");
  EXPECT_EQ(run.out, "");
  const std::string csv = ReadFile(dir_ + "/demo.csv");
  EXPECT_THAT(csv, StartsWith("number,type,item_code,"));
  EXPECT_EQ(Lines(csv), 4);
  EXPECT_FALSE(std::filesystem::is_empty(dir_ + "/keys"));

  // The same seed, the same rows; to standard output without --out.
  absl::SetFlag(&FLAGS_out, "");
  run = RunCommand(GenerateCommand, {"3"});
  EXPECT_EQ(run.out, csv);
  EXPECT_EQ(run.err, "");
}

TEST_F(BulkCommandTest, ImportUsageErrors) {
  EXPECT_THAT(RunCommand(ImportCommand, {}).err,
              StartsWith("certctl import: give one CSV file\n"));
  CommandOutput run = RunCommand(ImportCommand, {dir_ + "/x.csv"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl import: --keys_dir: give the "
                                  "directory of body keys\n"));
}

TEST_F(BulkCommandTest, ImportAFileThatIsNoCsvOfCertificates) {
  absl::SetFlag(&FLAGS_keys_dir, dir_ + "/keys");
  CommandOutput run = RunCommand(ImportCommand, {dir_ + "/missing.csv"});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_EQ(run.err, "certctl: cannot read " + dir_ + "/missing.csv\n");

  std::ofstream(dir_ + "/other.csv") << "name,age\nx,1\n";
  run = RunCommand(ImportCommand, {dir_ + "/other.csv"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl: " + dir_ + "/other.csv: "));
}

TEST_F(BulkCommandTest, ImportReportsEveryRowItCannotSign) {
  absl::SetFlag(&FLAGS_out, dir_ + "/rows.csv");
  ASSERT_EQ(RunCommand(GenerateCommand, {"4"}).exit_code, kExitOk);
  std::filesystem::create_directories(dir_ + "/no-keys");
  absl::SetFlag(&FLAGS_out, "");
  absl::SetFlag(&FLAGS_keys_dir, dir_ + "/no-keys");
  absl::SetFlag(&FLAGS_errors, dir_ + "/errors.txt");
  CommandOutput run = RunCommand(ImportCommand, {dir_ + "/rows.csv"});
  EXPECT_EQ(run.exit_code, kExitCheckFailed);
  EXPECT_THAT(run.err,
              MatchesRegex("import: 4 rows read, 0 imported, 0 completed "
                           "\\(resumed\\), 0 already there, 4 failed "
                           "\\([0-9.]+s\\)\n"));
  const std::string errors = ReadFile(dir_ + "/errors.txt");
  EXPECT_EQ(Lines(errors), 4);
  EXPECT_THAT(errors, HasSubstr(": body_approval_number: no key for "));
}

TEST_F(BulkCommandTest, ExportUsageErrors) {
  absl::SetFlag(&FLAGS_format, "xml");
  EXPECT_THAT(RunCommand(ExportCommand, {}).err,
              StartsWith("certctl export: --format: csv or jsonl\n"));
  absl::SetFlag(&FLAGS_format, "jsonl");
  EXPECT_THAT(RunCommand(ExportCommand, {"a", "b"}).err,
              StartsWith("certctl export: give at most one query\n"));
  absl::SetFlag(&FLAGS_as_of, "someday");
  CommandOutput run = RunCommand(ExportCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl export: --as_of: "));
}

TEST_F(BulkCommandTest, ExportAnUnreachableRegistry) {
  absl::SetFlag(&FLAGS_out, dir_ + "/all.csv");
  CommandOutput run = RunCommand(ExportCommand, {});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("certctl: "));
}

TEST_F(BulkCommandTest, BackupAndDemoSeedUsageErrors) {
  EXPECT_THAT(RunCommand(BackupCommand, {}).err,
              StartsWith("certctl backup: give the backup's name\n"));
  EXPECT_THAT(RunCommand(DemoSeedCommand, {"x"}).err,
              StartsWith("certctl demo-seed: takes no arguments\n"));
}

TEST(RecordFromHistoryTest, TheCertificateAsIssuedAndItsEvents) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::Statement issue;
  issue.set_certificate_number("90126Q21540R2M");
  issue.mutable_issue()->mutable_certificate()->set_number("90126Q21540R2M");
  issue.set_nonce(7);
  v1::Statement surveil;
  surveil.set_certificate_number("90126Q21540R2M");
  *surveil.mutable_date() = ToProtoDate(absl::CivilDay(2026, 3, 7));
  surveil.mutable_surveillance()->set_note("第一次监督审核");
  surveil.set_previous_event_hash("h1");
  surveil.set_nonce(8);
  v1::GetCertificateResponse got;
  for (const v1::Statement& statement : {issue, surveil}) {
    absl::StatusOr<v1::SignedStatement> signed_statement =
        SignStatement(statement, *key);
    ASSERT_TRUE(signed_statement.ok());
    *got.add_history()->mutable_signed_statement() = *signed_statement;
  }
  const CertificateRecord record = RecordFromHistory(got);
  EXPECT_EQ(record.certificate.number(), "90126Q21540R2M");
  ASSERT_EQ(record.events.size(), 1u);
  EXPECT_EQ(record.events[0].surveillance().note(), "第一次监督审核");
  EXPECT_EQ(FormatDate(record.events[0].date()), "2026-03-07");
  EXPECT_EQ(record.events[0].previous_event_hash(), "");
  EXPECT_EQ(record.events[0].nonce(), 0u);
}

TEST(ScrubProgressTextTest, PhaseBarCountsAndTime) {
  v1::ScrubProgress progress;
  progress.set_phase("log");
  progress.set_done(131072);
  progress.set_total(262144);
  progress.set_elapsed_millis(3210);
  EXPECT_EQ(ScrubProgressText(progress),
            "log leaves:   [###############...............]  50.0% 131072 of "
            "262144, 3.2 s");
  progress.set_phase("records");
  progress.set_done(0);
  progress.set_total(0);
  EXPECT_EQ(ScrubProgressText(progress),
            "certificates: [##############################] 100.0% 0 of 0, "
            "3.2 s");
}

}  // namespace
}  // namespace certreg
