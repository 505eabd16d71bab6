#include "verifier/rules/authority_rules.h"

#include <string>

#include "gtest/gtest.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

v1::Date D(int y, int m, int d) { return ToProtoDate(absl::CivilDay(y, m, d)); }

// A body accredited for 2021-2025 with one key, and a certificate of it.
class CheckSignerMayWriteForTest : public testing::Test {
 protected:
  void SetUp() override {
    v1::Statement accredit;
    *accredit.mutable_date() = D(2021, 1, 1);
    v1::AccreditBody& body = *accredit.mutable_accredit_body();
    body.set_approval_number("CNCA-R-2002-001");
    body.set_name("中国质量认证中心有限公司");
    body.set_public_key(key_.public_key().raw());
    *body.mutable_valid_from() = D(2021, 1, 1);
    *body.mutable_valid_until() = D(2025, 12, 31);
    absl::StatusOr<v1::CertificationBody> applied =
        ApplyAuthorityStatement(std::nullopt, accredit);
    ASSERT_TRUE(applied.ok()) << applied.status();
    body_ = *std::move(applied);
    certificate_.set_number("00121Q12345R0M");
    certificate_.set_body_approval_number("CNCA-R-2002-001");
    certificate_.set_body_name("中国质量认证中心有限公司");
  }

  Ed25519PrivateKey key_ = *Ed25519PrivateKey::Generate();
  v1::CertificationBody body_;
  v1::Certificate certificate_;
};

TEST_F(CheckSignerMayWriteForTest,
       TheBodysOwnKeyUnderItsNameOnADayItIsAccredited) {
  EXPECT_TRUE(CheckSignerMayWriteFor(body_, certificate_, key_.key_id(),
                                     absl::CivilDay(2024, 6, 1))
                  .ok());
}

TEST_F(CheckSignerMayWriteForTest, AnotherBodysCertificateIsPermissionDenied) {
  certificate_.set_body_approval_number("CNCA-R-2011-902");
  const absl::Status refused = CheckSignerMayWriteFor(
      body_, certificate_, key_.key_id(), absl::CivilDay(2024, 6, 1));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.message(),
            "signer: key " + ToHex(key_.key_id()) +
                " belongs to CNCA-R-2002-001 but certificate 00121Q12345R0M "
                "is of CNCA-R-2011-902");
}

TEST_F(CheckSignerMayWriteForTest, ANameOtherThanTheAccreditedOneIsRefused) {
  certificate_.set_body_name("中国质量认证中心");
  const absl::Status refused = CheckSignerMayWriteFor(
      body_, certificate_, key_.key_id(), absl::CivilDay(2024, 6, 1));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(),
            "certificate.body_name: \"中国质量认证中心\" differs from the "
            "accredited name \"中国质量认证中心有限公司\" of CNCA-R-2002-001");
}

TEST_F(CheckSignerMayWriteForTest, TheKeyMustBeUsableOnTheDate) {
  // Outside the accreditation window.
  absl::Status refused = CheckSignerMayWriteFor(
      body_, certificate_, key_.key_id(), absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("is not accredited on 2026-01-01"),
            std::string::npos)
      << refused;
  // A key that is not the body's.
  const Ed25519PrivateKey stranger = *Ed25519PrivateKey::Generate();
  refused = CheckSignerMayWriteFor(body_, certificate_, stranger.key_id(),
                                   absl::CivilDay(2024, 6, 1));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("is not a key of CNCA-R-2002-001"),
            std::string::npos)
      << refused;
}

// The body is checked before its name, and both before the date: a statement
// for another body's certificate is refused as such whatever its date.
TEST_F(CheckSignerMayWriteForTest, TheBodyComesFirstThenItsNameThenTheDate) {
  certificate_.set_body_approval_number("CNCA-R-2011-902");
  certificate_.set_body_name("其他认证有限公司");
  EXPECT_EQ(CheckSignerMayWriteFor(body_, certificate_, key_.key_id(),
                                   absl::CivilDay(2030, 1, 1))
                .code(),
            absl::StatusCode::kPermissionDenied);
  certificate_.set_body_approval_number("CNCA-R-2002-001");
  EXPECT_EQ(CheckSignerMayWriteFor(body_, certificate_, key_.key_id(),
                                   absl::CivilDay(2030, 1, 1))
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
