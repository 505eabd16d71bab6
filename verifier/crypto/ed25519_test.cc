#include "verifier/crypto/ed25519.h"

#include <unistd.h>

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

// A file whose key follows another PEM block (here a damaged one) is read
// the same however many parses failed before on the thread. OpenSSL's PEM
// reader consults the thread's error queue when it skips a block; errors
// left there by earlier failures made two reads in five of such a file fail.
TEST(Ed25519Test, KeyAfterAnotherBlockReadsWhateverFailedBefore) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string damaged_public = key->public_key().ToPem();
  damaged_public.insert(55, "\xA1\xC3\"");  // not base64
  const std::string file = damaged_public + key->ToPem();
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<Ed25519PrivateKey> read = Ed25519PrivateKey::FromPem(file);
    ASSERT_TRUE(read.ok()) << "read " << i << ": " << read.status();
    EXPECT_EQ(read->key_id(), key->key_id());
    EXPECT_FALSE(Ed25519PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                                           "-----END PUBLIC KEY-----\n")
                     .ok());
  }
}

// An encrypted key is refused without asking for a pass phrase. (OpenSSL's
// default asks on the terminal, or reads stdin when there is none: the pass
// phrase waits on stdin here, and must not be read.)
TEST(Ed25519Test, EncryptedKeyIsRefusedWithoutAskingForAPassPhrase) {
  // An Ed25519 key encrypted with the pass phrase "secret" (openssl genpkey
  // -algorithm ed25519 -aes256 -pass pass:secret).
  constexpr char kEncrypted[] =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
      "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAiSIJt2Ok2/2wICCAAw\n"
      "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEENuF1B5xuY7kDWW/Sr6O0AIEQLH2\n"
      "X/yXsinsv+iOMz13+4I7DL5xtcAHdut+UHuw4oQ9EEQYdTjTh1Azt38w3rMHB3YC\n"
      "3kU6p4j1j2AZYUK/9ls=\n"
      "-----END ENCRYPTED PRIVATE KEY-----\n";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  ASSERT_EQ(write(pipe_fds[1], "secret\nsecret\n", 14), 14);
  close(pipe_fds[1]);
  const int saved_stdin = dup(STDIN_FILENO);
  ASSERT_GE(dup2(pipe_fds[0], STDIN_FILENO), 0);
  close(pipe_fds[0]);
  absl::StatusOr<Ed25519PrivateKey> key =
      Ed25519PrivateKey::FromPem(kEncrypted);
  absl::StatusOr<Ed25519PublicKey> public_key =
      Ed25519PublicKey::FromPem(kEncrypted);
  dup2(saved_stdin, STDIN_FILENO);
  close(saved_stdin);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument)
      << key.status();
  EXPECT_EQ(public_key.status().code(), absl::StatusCode::kInvalidArgument)
      << public_key.status();
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
