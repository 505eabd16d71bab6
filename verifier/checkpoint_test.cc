#include "verifier/checkpoint.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(CheckpointTest, SignVerifyAndRefuseOtherKeysOrTampering) {
  Ed25519PrivateKey log_key = *Ed25519PrivateKey::Generate();
  v1::Checkpoint checkpoint;
  checkpoint.set_origin("certreg.v1");
  checkpoint.set_tree_size(7);
  checkpoint.set_root_hash(std::string(32, '\x42'));
  checkpoint.set_timestamp_unix_millis(1795400000000);
  auto signed_checkpoint = SignCheckpoint(checkpoint, log_key);
  ASSERT_TRUE(signed_checkpoint.ok());
  auto verified = VerifyCheckpoint(*signed_checkpoint, log_key.public_key());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->tree_size(), 7u);
  EXPECT_EQ(verified->key_id(), log_key.key_id());

  Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  EXPECT_EQ(
      VerifyCheckpoint(*signed_checkpoint, other.public_key()).status().code(),
      absl::StatusCode::kPermissionDenied);
  v1::SignedCheckpoint tampered = *signed_checkpoint;
  tampered.mutable_checkpoint()->back() ^= 1;
  EXPECT_EQ(VerifyCheckpoint(tampered, log_key.public_key()).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Signed by the right key but malformed root.
  checkpoint.set_root_hash("short");
  auto bad_root = SignCheckpoint(checkpoint, log_key);
  EXPECT_EQ(VerifyCheckpoint(*bad_root, log_key.public_key()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CheckpointTest, TheKeyIdInsideTheSignedBytesMustBeThePinnedKey) {
  Ed25519PrivateKey log_key = *Ed25519PrivateKey::Generate();
  Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  v1::Checkpoint checkpoint;
  checkpoint.set_origin("certreg.v1");
  checkpoint.set_tree_size(7);
  checkpoint.set_root_hash(std::string(32, '\x42'));
  // Signed by the log key, but naming another key inside.
  checkpoint.set_key_id(other.key_id());
  v1::SignedCheckpoint forged;
  ASSERT_TRUE(checkpoint.SerializeToString(forged.mutable_checkpoint()));
  *forged.mutable_signature() = *log_key.Sign(
      DomainSeparated(kCheckpointSignatureDomain, forged.checkpoint()));
  forged.set_key_id(log_key.key_id());
  absl::Status refused =
      VerifyCheckpoint(forged, log_key.public_key()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  EXPECT_NE(refused.message().find("in its signed bytes"), std::string::npos)
      << refused;
}

}  // namespace
}  // namespace certreg
