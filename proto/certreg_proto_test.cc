// Round-trips and field presence of the certreg.v1 core messages.
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Certificate FourStarServiceCertificate() {
  v1::Certificate c;
  c.set_number("00216Q10097R1S");
  c.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  c.mutable_item()->set_code("S0101");
  c.mutable_item()->set_name("商品售后服务评价认证");
  c.add_basis("GB/T 27922-2011");
  c.mutable_holder()->set_name("青岛海尔股份有限公司");
  c.mutable_holder()->set_unified_social_credit_code("91370200264574251E");
  c.mutable_holder()->set_address("山东省青岛市崂山区海尔路1号");
  v1::Site* site = c.mutable_holder()->add_sites();
  site->set_name("黄岛工厂");
  site->set_address("山东省青岛市黄岛区");
  c.set_scope("家用电器的售后服务");
  c.mutable_first_issue_date()->set_year(2020);
  c.mutable_first_issue_date()->set_month(3);
  c.mutable_first_issue_date()->set_day(1);
  *c.mutable_issue_date() = c.first_issue_date();
  c.mutable_expiry_date()->set_year(2026);
  c.mutable_expiry_date()->set_month(2);
  c.mutable_expiry_date()->set_day(28);
  c.set_body_approval_number("CNCA-R-2002-001");
  c.set_body_name("示例认证有限公司");
  c.set_recertification_count(1);
  c.mutable_service_grade()->set_score(92.5);
  c.mutable_service_grade()->set_special_deductions(1);
  c.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  return c;
}

TEST(CertregProtoTest, CertificateRoundTripsThroughBinaryAndJson) {
  v1::Certificate original = FourStarServiceCertificate();
  v1::Certificate parsed;
  ASSERT_TRUE(parsed.ParseFromString(original.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(original, parsed));

  std::string json;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(original, &json).ok());
  EXPECT_NE(json.find("\"bodyApprovalNumber\":\"CNCA-R-2002-001\""),
            std::string::npos);
  EXPECT_NE(json.find("\"CERTIFICATION_TYPE_SERVICE\""), std::string::npos);
  v1::Certificate from_json;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json, &from_json).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(original, from_json));
}

TEST(CertregProtoTest, MessageFieldsHavePresence) {
  v1::Certificate c;
  EXPECT_FALSE(c.has_service_grade());
  EXPECT_FALSE(c.has_holder());
  EXPECT_FALSE(c.has_expiry_date());
  v1::Certificate graded = FourStarServiceCertificate();
  EXPECT_TRUE(graded.has_service_grade());
  EXPECT_TRUE(graded.has_expiry_date());
  // Enums default to their _UNSPECIFIED value.
  EXPECT_EQ(c.type(), v1::CERTIFICATION_TYPE_UNSPECIFIED);
  EXPECT_EQ(v1::CertificateStatus(), v1::CERTIFICATE_STATUS_UNSPECIFIED);
  EXPECT_EQ(v1::Verdict(), v1::VERDICT_UNSPECIFIED);
}

TEST(CertregProtoTest, StatementKindIsAOneofAndBytesSurviveExactly) {
  v1::Statement statement;
  EXPECT_EQ(statement.kind_case(), v1::Statement::KIND_NOT_SET);
  statement.mutable_suspend()->set_reason("未按期接受监督审核");
  statement.set_certificate_number("00114E22766R2L/3502");
  statement.set_previous_event_hash(std::string(32, '\x01'));
  EXPECT_EQ(statement.kind_case(), v1::Statement::kSuspend);
  // Setting another kind replaces the first.
  statement.mutable_revoke()->set_reason("x");
  EXPECT_EQ(statement.kind_case(), v1::Statement::kRevoke);
  EXPECT_FALSE(statement.has_suspend());

  // A signed statement carries the statement bytes opaquely: whatever bytes
  // were signed come back unchanged, even ones a re-serialization would not
  // produce.
  std::string bytes = statement.SerializeAsString() + std::string("\x00", 1);
  v1::SignedStatement signed_statement;
  signed_statement.set_statement(bytes);
  signed_statement.set_signature(std::string(64, '\xab'));
  signed_statement.set_key_id(std::string(32, '\xcd'));
  v1::SignedStatement parsed;
  ASSERT_TRUE(parsed.ParseFromString(signed_statement.SerializeAsString()));
  EXPECT_EQ(parsed.statement(), bytes);
  EXPECT_EQ(parsed.signature(), signed_statement.signature());
}

TEST(CertregProtoTest, BundleAndClaimRoundTrip) {
  v1::VerificationBundle bundle;
  bundle.set_certificate_number("00216Q10097R1S");
  bundle.mutable_checkpoint()->set_checkpoint("cp");
  v1::ProvenStatement* proven = bundle.add_certificate_statements();
  proven->mutable_signed_statement()->set_statement("s");
  proven->mutable_inclusion_proof()->set_leaf_index(7);
  proven->mutable_inclusion_proof()->set_tree_size(9);
  proven->mutable_inclusion_proof()->add_hashes(std::string(32, 'h'));
  v1::VerificationBundle parsed;
  ASSERT_TRUE(parsed.ParseFromString(bundle.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(bundle, parsed));

  v1::Claim claim;
  claim.set_certificate_number("00216Q10097R1S");
  claim.add_scope_terms("售后服务");
  claim.set_min_star_level(v1::STAR_LEVEL_FOUR);
  EXPECT_FALSE(claim.has_as_of());
  v1::BatchVerifyRequest batch;
  *batch.add_claims() = claim;
  v1::BatchVerifyRequest parsed_batch;
  ASSERT_TRUE(parsed_batch.ParseFromString(batch.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(batch, parsed_batch));
}

TEST(CertregProtoTest, InclusionProofRequestLeafIsAOneof) {
  v1::GetInclusionProofRequest request;
  EXPECT_EQ(request.leaf_case(), v1::GetInclusionProofRequest::LEAF_NOT_SET);
  request.set_leaf_index(0);
  EXPECT_EQ(request.leaf_case(), v1::GetInclusionProofRequest::kLeafIndex);
  request.set_leaf_hash("h");
  EXPECT_EQ(request.leaf_case(), v1::GetInclusionProofRequest::kLeafHash);
}

}  // namespace
}  // namespace certreg
