#include "verifier/log/checkpoint.h"

#include <string>
#include <vector>

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

std::vector<v1::CertificateHead> HeadsAt(uint64_t tree_size, int count) {
  std::vector<v1::CertificateHead> heads(count);
  for (int i = 0; i < count; ++i) {
    heads[i].set_certificate_number("NUMBER-" + std::to_string(i));
    heads[i].set_tree_size(tree_size);
    heads[i].set_certificate_statement_count(i + 1);
  }
  return heads;
}

TEST(CheckpointTest, HeadsSignedTogetherVerifyEachWithItsPath) {
  Ed25519PrivateKey log_key = *Ed25519PrivateKey::Generate();
  for (int count : {1, 2, 5, 8, 13}) {
    auto signed_heads = SignCertificateHeads(HeadsAt(40, count), 40, log_key);
    ASSERT_TRUE(signed_heads.ok()) << signed_heads.status();
    ASSERT_EQ(signed_heads->size(), static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      const v1::CertificateHeadInTree& in_tree = (*signed_heads)[i];
      // One signature for all of them.
      EXPECT_EQ(in_tree.tree().signature(),
                (*signed_heads)[0].tree().signature());
      auto head = VerifyCertificateHeadInTree(in_tree, log_key.public_key());
      ASSERT_TRUE(head.ok()) << count << " " << i << ": " << head.status();
      EXPECT_EQ(head->certificate_number(), "NUMBER-" + std::to_string(i));
      EXPECT_EQ(head->certificate_statement_count(),
                static_cast<uint32_t>(i + 1));
    }
  }
}

TEST(CheckpointTest, AHeadInTreeIsRefusedWhenAnythingIsSwappedOrForged) {
  Ed25519PrivateKey log_key = *Ed25519PrivateKey::Generate();
  auto signed_heads = *SignCertificateHeads(HeadsAt(40, 5), 40, log_key);
  auto code = [&](const v1::CertificateHeadInTree& in_tree) {
    return VerifyCertificateHeadInTree(in_tree, log_key.public_key())
        .status()
        .code();
  };
  // Another certificate's head under this one's path.
  v1::CertificateHeadInTree swapped = signed_heads[1];
  swapped.set_head(signed_heads[2].head());
  EXPECT_EQ(code(swapped), absl::StatusCode::kInvalidArgument);
  // The right head claiming another position.
  v1::CertificateHeadInTree moved = signed_heads[1];
  moved.set_index(2);
  EXPECT_EQ(code(moved), absl::StatusCode::kInvalidArgument);
  // A head edited after signing (say, a shorter chain).
  v1::CertificateHead shorter;
  ASSERT_TRUE(shorter.ParseFromString(signed_heads[3].head()));
  shorter.set_certificate_statement_count(1);
  v1::CertificateHeadInTree edited = signed_heads[3];
  edited.set_head(shorter.SerializeAsString());
  EXPECT_EQ(code(edited), absl::StatusCode::kInvalidArgument);
  // A tampered tree, and a tree signed by another key.
  v1::CertificateHeadInTree tampered = signed_heads[0];
  tampered.mutable_tree()->mutable_tree()->back() ^= 1;
  EXPECT_EQ(code(tampered), absl::StatusCode::kPermissionDenied);
  Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  auto foreign = *SignCertificateHeads(HeadsAt(40, 5), 40, other);
  EXPECT_EQ(code(foreign[0]), absl::StatusCode::kPermissionDenied);
  // A head whose own tree size is not its tree's.
  std::vector<v1::CertificateHead> mixed = HeadsAt(40, 2);
  mixed[1].set_tree_size(39);
  EXPECT_EQ(SignCertificateHeads(mixed, 40, log_key).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SignCertificateHeads({}, 40, log_key).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
