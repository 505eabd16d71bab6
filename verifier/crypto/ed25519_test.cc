#include "verifier/crypto/ed25519.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(Ed25519Test, SignVerifyAndRejectTampering) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status();
  std::string message =
      DomainSeparated("certreg.test\0", "颁证 00216Q10097R1S");
  auto signature = key->Sign(message);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(signature->size(), kEd25519SignatureBytes);
  EXPECT_TRUE(key->public_key().Verify(message, *signature).ok());

  std::string tampered = message;
  tampered.back() ^= 1;
  EXPECT_EQ(key->public_key().Verify(tampered, *signature).code(),
            absl::StatusCode::kPermissionDenied);
  std::string bad_signature = *signature;
  bad_signature[10] ^= 0x40;
  EXPECT_EQ(key->public_key().Verify(message, bad_signature).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(key->public_key().Verify(message, "short").code(),
            absl::StatusCode::kPermissionDenied);

  auto other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->public_key().Verify(message, *signature).ok());
}

TEST(Ed25519Test, KeyIdIsSha256OfTheRawPublicKey) {
  // SHA-256 of 32 zero bytes.
  EXPECT_EQ(ToHex(KeyIdOf(std::string(32, '\0'))),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->key_id(), KeyIdOf(key->public_key().raw()));
  EXPECT_EQ(key->key_id().size(), kKeyIdBytes);
}

TEST(Ed25519Test, PemRoundTrips) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string private_pem = key->ToPem();
  EXPECT_NE(private_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  auto reloaded = Ed25519PrivateKey::FromPem(private_pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->key_id(), key->key_id());

  auto public_key = Ed25519PublicKey::FromPem(key->public_key().ToPem());
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_EQ(public_key->raw(), key->public_key().raw());
  auto signature = reloaded->Sign("m");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(public_key->Verify("m", *signature).ok());
}

TEST(Ed25519Test, MalformedKeysAreRefusedWithTheField) {
  auto raw = Ed25519PublicKey::FromRaw("too short", "accredit_body.public_key");
  EXPECT_EQ(raw.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(raw.status().message().find("accredit_body.public_key"),
            std::string::npos);
  EXPECT_FALSE(Ed25519PublicKey::FromPem("not pem").ok());
  EXPECT_FALSE(
      Ed25519PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\n").ok());
}

TEST(Ed25519Test, HexRoundTripAndErrors) {
  EXPECT_EQ(ToHex("\x01\xab"), "01ab");
  EXPECT_EQ(*FromHex("01AB", "key_id"), "\x01\xab");
  EXPECT_EQ(FromHex("0g", "key_id").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(FromHex("abc", "key_id").ok());
}

}  // namespace
}  // namespace certreg
