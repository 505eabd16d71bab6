#include "verifier/bundle/signed_head.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

const char kNumber[] = "90126Q21540R2M";
constexpr uint64_t kTreeSize = 10;

class SignedHeadTest : public testing::Test {
 protected:
  SignedHeadTest() {
    bundle_.set_certificate_number(kNumber);
    for (uint64_t leaf : {2, 7}) {
      *bundle_.add_certificate_statements() = Proven(Event(leaf), leaf);
    }
    v1::Statement accredit;
    *accredit.mutable_date() = ToProtoDate(absl::CivilDay(2016, 1, 1));
    accredit.mutable_accredit_body()->set_approval_number("CNCA-R-2002-001");
    *bundle_.add_authority_statements() = Proven(accredit, 1);
    checkpoint_.set_tree_size(kTreeSize);

    head_.set_certificate_number(kNumber);
    head_.set_tree_size(kTreeSize);
    head_.set_certificate_statement_count(2);
    head_.set_latest_statement_hash(
        StatementHash(bundle_.certificate_statements(1).signed_statement()));
    head_.set_authority_statement_count(1);
    head_.set_latest_authority_leaf_index(1);
  }

  static v1::Statement Event(uint64_t nonce) {
    v1::Statement event;
    *event.mutable_date() = ToProtoDate(absl::CivilDay(2026, 1, 1));
    event.set_certificate_number(kNumber);
    event.set_nonce(nonce);
    event.mutable_surveillance();
    return event;
  }

  v1::ProvenStatement Proven(const v1::Statement& statement, uint64_t leaf) {
    v1::ProvenStatement proven;
    *proven.mutable_signed_statement() = *SignStatement(statement, operator_);
    proven.mutable_inclusion_proof()->set_leaf_index(leaf);
    proven.mutable_inclusion_proof()->set_tree_size(kTreeSize);
    return proven;
  }

  // `statement` signed by `signer` as the only leaf of a log, and that log's
  // checkpoint in `checkpoint`.
  static v1::ProvenStatement OnlyLeaf(const v1::Statement& statement,
                                      const Signer& signer,
                                      v1::Checkpoint& checkpoint) {
    v1::ProvenStatement proven;
    *proven.mutable_signed_statement() = *SignStatement(statement, signer);
    proven.mutable_inclusion_proof()->set_leaf_index(0);
    proven.mutable_inclusion_proof()->set_tree_size(1);
    checkpoint.set_tree_size(1);
    checkpoint.set_root_hash(LeafHash(LeafData(proven.signed_statement())));
    return proven;
  }

  static v1::Statement Rules(uint32_t version) {
    v1::Statement statement;
    *statement.mutable_date() = ToProtoDate(absl::CivilDay(2026, 1, 1));
    *statement.mutable_publish_rules() = DefaultSchemeRules();
    statement.mutable_publish_rules()->set_version(version);
    return statement;
  }

  const Ed25519PrivateKey log_ = *Ed25519PrivateKey::Generate();
  const Ed25519PrivateKey operator_ = *Ed25519PrivateKey::Generate();
  v1::VerificationBundle bundle_;
  v1::Checkpoint checkpoint_;
  v1::CertificateHead head_;
};

TEST_F(SignedHeadTest, HeadAloneOrInATree) {
  EXPECT_FALSE(HasSignedHead(bundle_));

  v1::VerificationBundle alone = bundle_;
  *alone.mutable_head() = *SignCertificateHead(head_, log_);
  EXPECT_TRUE(HasSignedHead(alone));
  absl::StatusOr<v1::CertificateHead> head =
      VerifyBundleHead(alone, log_.public_key());
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->certificate_number(), kNumber);
  EXPECT_EQ(VerifyBundleHead(alone, operator_.public_key()).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::CertificateHead other = head_;
  other.set_certificate_number("90224S00317R0L");
  auto in_tree = SignCertificateHeads({other, head_}, kTreeSize, log_);
  ASSERT_TRUE(in_tree.ok()) << in_tree.status();
  v1::VerificationBundle batched = bundle_;
  *batched.mutable_head_in_tree() = (*in_tree)[1];
  EXPECT_TRUE(HasSignedHead(batched));
  head = VerifyBundleHead(batched, log_.public_key());
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->certificate_number(), kNumber);
}

TEST_F(SignedHeadTest, TheHeadMustCountTheBundlesStatements) {
  EXPECT_TRUE(CheckBundleComplete(head_, bundle_, checkpoint_).ok());

  struct Case {
    void (*change)(v1::CertificateHead&);
    std::string message;
  };
  const Case cases[] = {
      {[](v1::CertificateHead& h) { h.set_tree_size(kTreeSize + 1); },
       "the head is for tree size 11, the checkpoint's is 10"},
      {[](v1::CertificateHead& h) { h.set_certificate_number("X1"); },
       "the head is for certificate X1"},
      {[](v1::CertificateHead& h) { h.set_certificate_statement_count(3); },
       "the registry signed that the certificate has 3 statement(s); the "
       "bundle has 2 or a different latest one"},
      {[](v1::CertificateHead& h) { h.set_latest_statement_hash("x"); },
       "the registry signed that the certificate has 2 statement(s); the "
       "bundle has 2 or a different latest one"},
      {[](v1::CertificateHead& h) { h.set_authority_statement_count(2); },
       "the registry signed that the body has 2 authority statement(s); the "
       "bundle has 1 or a different latest one"},
      {[](v1::CertificateHead& h) { h.set_latest_authority_leaf_index(0); },
       "the registry signed that the body has 1 authority statement(s); the "
       "bundle has 1 or a different latest one"},
  };
  for (const Case& c : cases) {
    v1::CertificateHead head = head_;
    c.change(head);
    const absl::Status status = CheckBundleComplete(head, bundle_, checkpoint_);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(status.message(), c.message);
  }

  // A bundle that dropped its latest event.
  v1::VerificationBundle truncated = bundle_;
  truncated.mutable_certificate_statements()->RemoveLast();
  EXPECT_EQ(CheckBundleComplete(head_, truncated, checkpoint_).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SignedHeadTest, RulesStatementNamedByTheHead) {
  v1::Checkpoint checkpoint;
  const v1::ProvenStatement rules = OnlyLeaf(Rules(2), operator_, checkpoint);
  const std::string hash = StatementHash(rules.signed_statement());
  absl::StatusOr<v1::SchemeRules> verified =
      VerifyRulesStatement(rules, hash, operator_.public_key(), checkpoint);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->version(), 2u);

  EXPECT_EQ(
      VerifyRulesStatement(rules, "another", operator_.public_key(), checkpoint)
          .status()
          .message(),
      "it is not the rules statement the signed head names");
  EXPECT_EQ(VerifyRulesStatement(rules, hash, log_.public_key(), checkpoint)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  v1::Checkpoint larger = checkpoint;
  larger.set_tree_size(2);
  EXPECT_EQ(VerifyRulesStatement(rules, hash, operator_.public_key(), larger)
                .status()
                .message(),
            "its proof is for tree size 1");
  v1::Checkpoint other_root = checkpoint;
  other_root.set_root_hash(std::string(32, 'r'));
  EXPECT_FALSE(
      VerifyRulesStatement(rules, hash, operator_.public_key(), other_root)
          .ok());
}

TEST_F(SignedHeadTest, OnlyValidRulesStatementsCount) {
  v1::Checkpoint checkpoint;
  v1::ProvenStatement event = OnlyLeaf(Event(1), operator_, checkpoint);
  absl::StatusOr<v1::SchemeRules> verified =
      VerifyRulesStatement(event, StatementHash(event.signed_statement()),
                           operator_.public_key(), checkpoint);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(verified.status().message(), "it is not a rules statement");

  v1::ProvenStatement invalid = OnlyLeaf(Rules(0), operator_, checkpoint);
  verified =
      VerifyRulesStatement(invalid, StatementHash(invalid.signed_statement()),
                           operator_.public_key(), checkpoint);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
