#include "tools/cli/certctl_row_importer.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A row of certificate `number` issued by CNCA-R-2002-001, with a
// surveillance audit and a suspension; signed with `key` when given.
ImportJob Row(int64_t row, const std::string& number,
              std::optional<Ed25519PrivateKey> key) {
  ImportJob job;
  job.row = row;
  job.line = row + 1;  // after the header
  v1::Certificate& c = job.record.certificate;
  c.set_number(number);
  c.set_body_approval_number("CNCA-R-2002-001");
  *c.mutable_issue_date() = ToProtoDate(absl::CivilDay(2024, 1, 10));
  job.issue.set_certificate_number(number);
  *job.issue.mutable_date() = c.issue_date();
  *job.issue.mutable_issue()->mutable_certificate() = c;
  v1::Statement surveil;
  surveil.set_certificate_number(number);
  surveil.mutable_surveillance()->set_note("监督审核");
  job.record.events.push_back(surveil);
  v1::Statement suspend;
  suspend.set_certificate_number(number);
  suspend.mutable_suspend()->set_reason("未整改");
  job.record.events.push_back(suspend);
  job.key = std::move(key);
  return job;
}

Ed25519PrivateKey NewKey() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  return *std::move(key);
}

TEST(SignChainTest, EachEventNamesTheStatementBefore) {
  const ImportJob job = Row(2, "90126Q21540R2M", NewKey());
  std::vector<v1::SignedStatement> statements(1);  // already in the call
  ASSERT_TRUE(SignChain(job, statements).ok());
  ASSERT_EQ(statements.size(), 4u);
  std::vector<v1::Statement> chain;
  for (size_t i = 1; i < statements.size(); ++i) {
    EXPECT_TRUE(
        VerifyStatementSignature(statements[i], job.key->public_key()).ok());
    absl::StatusOr<v1::Statement> statement =
        ParseSignedStatement(statements[i]);
    ASSERT_TRUE(statement.ok()) << statement.status();
    chain.push_back(*statement);
  }
  EXPECT_TRUE(chain[0].has_issue());
  EXPECT_EQ(chain[0].previous_event_hash(), "");
  EXPECT_TRUE(chain[1].has_surveillance());
  EXPECT_EQ(chain[1].previous_event_hash(), StatementHash(statements[1]));
  EXPECT_TRUE(chain[2].has_suspend());
  EXPECT_EQ(chain[2].previous_event_hash(), StatementHash(statements[2]));
}

TEST(RowImporterTest, ARowWithoutItsBodysKey) {
  std::ostringstream errors;
  ImportReport report(&errors, 100, nullptr);
  RegistryClient client("127.0.0.1:1");
  RowImporter importer(&client, &report);
  importer.Import(Row(7, "90126Q21540R2M", std::nullopt));
  EXPECT_EQ(errors.str(),
            "line 8 (row 7, 90126Q21540R2M): body_approval_number: no key for "
            "CNCA-R-2002-001 in --keys_dir\n");
  EXPECT_TRUE(report.AnyFailed());
}

TEST(RowImporterTest, EveryRowOfAGroupIsReported) {
  std::ostringstream errors;
  ImportReport report(&errors, 100, nullptr);
  RegistryClient client("127.0.0.1:1");  // nothing listens there
  RowImporter importer(&client, &report);
  importer.ImportGroup({Row(2, "90126Q21540R2M", std::nullopt),
                        Row(3, "90119Q30555R1L", NewKey()),
                        Row(4, "90224S00317R0L", std::nullopt)});
  const std::string lines = errors.str();
  // The rows without a key at once, then the one the registry did not get.
  EXPECT_THAT(
      lines, StartsWith("line 3 (row 2, 90126Q21540R2M): body_approval_number: "
                        "no key for CNCA-R-2002-001 in --keys_dir\n"
                        "line 5 (row 4, 90224S00317R0L): body_approval_number: "
                        "no key for CNCA-R-2002-001 in --keys_dir\n"
                        "line 4 (row 3, 90119Q30555R1L): "));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3);
  EXPECT_THAT(report.SummaryText(), HasSubstr("0 imported"));
}

}  // namespace
}  // namespace certreg
