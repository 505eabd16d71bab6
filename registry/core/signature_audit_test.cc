#include "registry/core/signature_audit.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/store_keys.h"
#include "verifier/crypto/signed_statement.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

class SignatureAuditTest : public RegistryTest {
 protected:
  // The demo's log, leaf by leaf.
  std::vector<v1::SignedStatement> Leaves() {
    auto rows = store_.Scan(Column::kStatements, "", "", 10000);
    EXPECT_TRUE(rows.ok());
    std::vector<v1::SignedStatement> leaves;
    for (const KeyValue& row : *rows)
      leaves.push_back(*ParseLeafData(row.second));
    return leaves;
  }

  // The problems the audit finds in `leaves`.
  std::vector<std::string> Audit(
      const std::vector<v1::SignedStatement>& leaves) {
    const Ed25519PublicKey operator_key = operator_key_.public_key();
    SignatureAudit audit(operator_key);
    std::vector<std::string> problems;
    for (size_t i = 0; i < leaves.size(); ++i) {
      if (std::optional<std::string> problem = audit.Check(i, leaves[i])) {
        problems.push_back(*problem);
      }
    }
    return problems;
  }

  // The index of the first leaf about certificate `number` after its issue.
  size_t EventOf(const std::vector<v1::SignedStatement>& leaves,
                 const std::string& number) {
    for (size_t i = 0; i < leaves.size(); ++i) {
      v1::Statement statement = *ParseSignedStatement(leaves[i]);
      if (statement.certificate_number() == number && !statement.has_issue()) {
        return i;
      }
    }
    ADD_FAILURE() << "no event of " << number;
    return 0;
  }
};

TEST_F(SignatureAuditTest, TheDemoLogIsSound) {
  Seed();
  const std::vector<v1::SignedStatement> leaves = Leaves();
  ASSERT_GT(leaves.size(), 20u);
  EXPECT_TRUE(Audit(leaves).empty());
}

TEST_F(SignatureAuditTest, AnEventSignedByAnotherBodysKeyIsFound) {
  Seed();
  std::vector<v1::SignedStatement> leaves = Leaves();
  // 90119Q30555R1L is body 0's; body 1 signs one of its events.
  const size_t event = EventOf(leaves, "90119Q30555R1L");
  leaves[event] =
      *SignStatement(*ParseSignedStatement(leaves[event]), body_keys_[1]);
  const std::vector<std::string> problems = Audit(leaves);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr(absl::StrCat("log leaf ", event)));
  EXPECT_THAT(problems[0],
              HasSubstr("no earlier leaf registered for its body"));
}

TEST_F(SignatureAuditTest,
       AnAlteredStatementOrAForgedOperatorStatementIsFound) {
  Seed();
  std::vector<v1::SignedStatement> leaves = Leaves();
  const size_t event = EventOf(leaves, "90119Q30555R1L");
  leaves[event].mutable_statement()->back() ^= 1;  // signature no longer fits
  // The first leaf accredits a body: signed by a body key instead.
  leaves[0] = *SignStatement(*ParseSignedStatement(leaves[0]), body_keys_[0]);
  const std::vector<std::string> problems = Audit(leaves);
  ASSERT_GE(problems.size(), 2u);
  EXPECT_THAT(problems[0], HasSubstr("log leaf 0: an operator statement "
                                     "without the operator's signature"));
  bool altered_found = false;
  for (const std::string& problem : problems) {
    altered_found |=
        problem.rfind(absl::StrCat("log leaf ", event, ":"), 0) == 0;
  }
  EXPECT_TRUE(altered_found);
}

}  // namespace
}  // namespace certreg
