#include "verifier/crypto/signed_statement.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

v1::Statement Suspension() {
  v1::Statement statement;
  statement.set_certificate_number("00216Q10097R1S");
  statement.mutable_date()->set_year(2026);
  statement.mutable_date()->set_month(3);
  statement.mutable_date()->set_day(1);
  statement.mutable_suspend()->set_reason("未按期接受监督审核");
  return statement;
}

TEST(SignedStatementTest, SignParseVerify) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto signed_statement = SignStatement(Suspension(), *key);
  ASSERT_TRUE(signed_statement.ok());
  EXPECT_EQ(signed_statement->key_id(), key->key_id());
  auto parsed = ParseSignedStatement(*signed_statement);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(KindOf(*parsed), v1::STATEMENT_KIND_SUSPEND);
  EXPECT_TRUE(
      VerifyStatementSignature(*signed_statement, key->public_key()).ok());
}

TEST(SignedStatementTest, SignatureCoversTheDomainPrefix) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto signed_statement = SignStatement(Suspension(), *key);
  ASSERT_TRUE(signed_statement.ok());
  // A signature over the bare bytes (no prefix) is not accepted.
  auto bare = key->Sign(signed_statement->statement());
  ASSERT_TRUE(bare.ok());
  v1::SignedStatement unprefixed = *signed_statement;
  unprefixed.set_signature(*bare);
  EXPECT_EQ(VerifyStatementSignature(unprefixed, key->public_key()).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(SignedStatementTest, EnvelopeErrorsNameTheField) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::SignedStatement good = *SignStatement(Suspension(), *key);
  struct Case {
    void (*mutate)(v1::SignedStatement&);
    const char* field;
  } cases[] = {
      {[](v1::SignedStatement& s) { s.clear_statement(); },
       "signed_statement.statement"},
      {[](v1::SignedStatement& s) { s.set_signature("short"); },
       "signed_statement.signature"},
      {[](v1::SignedStatement& s) { s.set_key_id("x"); },
       "signed_statement.key_id"},
      {[](v1::SignedStatement& s) { s.set_statement("\xff\xff\xff"); },
       "signed_statement.statement"},
      {[](v1::SignedStatement& s) {
         s.set_statement(std::string(kMaxStatementBytes + 1, 'a'));
       },
       "signed_statement.statement"},
      {[](v1::SignedStatement& s) {
         v1::Statement empty;
         empty.set_certificate_number("x");
         s.set_statement(empty.SerializeAsString());
       },
       "statement.kind"},
  };
  for (const Case& c : cases) {
    v1::SignedStatement bad = good;
    c.mutate(bad);
    auto parsed = ParseSignedStatement(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.field), std::string::npos)
        << parsed.status();
  }
}

TEST(SignedStatementTest, LeafDataRoundTripsAndRejectsGarbage) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::SignedStatement s = *SignStatement(Suspension(), *key);
  std::string data = LeafData(s);
  auto parsed = ParseLeafData(data);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->statement(), s.statement());
  EXPECT_EQ(parsed->signature(), s.signature());
  EXPECT_EQ(parsed->key_id(), s.key_id());
  EXPECT_FALSE(ParseLeafData(data + "x").ok());
  EXPECT_FALSE(ParseLeafData(data.substr(0, data.size() - 1)).ok());
  EXPECT_FALSE(ParseLeafData("").ok());
}

TEST(SignedStatementTest, StatementHashIsOverTheExactBytes) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::SignedStatement s = *SignStatement(Suspension(), *key);
  EXPECT_EQ(StatementHash(s), KeyIdOf(s.statement()));
  v1::SignedStatement other = s;
  other.mutable_statement()->back() ^= 1;
  EXPECT_NE(StatementHash(other), StatementHash(s));
}

}  // namespace
}  // namespace certreg
