#include "verifier/crypto/signature_memo.h"

#include <atomic>

#include "gtest/gtest.h"

namespace certreg {
namespace {

// Counts how often the real key is asked.
class CountingVerifier final : public SignatureVerifier {
 public:
  explicit CountingVerifier(const Ed25519PublicKey& key) : key_(key) {}
  absl::Status Verify(absl::string_view message,
                      absl::string_view signature) const override {
    ++calls;
    return key_.Verify(message, signature);
  }
  const std::string& key_id() const override { return key_.key_id(); }
  mutable std::atomic<int> calls{0};

 private:
  const Ed25519PublicKey& key_;
};

class SignatureMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok()) << key.status();
    key_.emplace(*std::move(key));
    absl::StatusOr<std::string> signature = key_->Sign("message");
    ASSERT_TRUE(signature.ok()) << signature.status();
    signature_ = *signature;
  }
  std::optional<Ed25519PrivateKey> key_;
  std::string signature_;
};

TEST_F(SignatureMemoTest, AGoodSignatureIsCheckedOnce) {
  CountingVerifier counting(key_->public_key());
  SignatureMemo memo(10);
  MemoizedVerifier verifier(counting, &memo);
  EXPECT_TRUE(verifier.Verify("message", signature_).ok());
  EXPECT_TRUE(verifier.Verify("message", signature_).ok());
  EXPECT_TRUE(verifier.Verify("message", signature_).ok());
  EXPECT_EQ(counting.calls, 1);
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(verifier.key_id(), key_->public_key().key_id());
}

TEST_F(SignatureMemoTest, ARememberedSignatureVouchesForNoOtherMessage) {
  CountingVerifier counting(key_->public_key());
  SignatureMemo memo(10);
  MemoizedVerifier verifier(counting, &memo);
  ASSERT_TRUE(verifier.Verify("message", signature_).ok());
  absl::Status other = verifier.Verify("messagf", signature_);
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied) << other;
  EXPECT_EQ(counting.calls, 2);
}

TEST_F(SignatureMemoTest, FailuresAreNotRemembered) {
  CountingVerifier counting(key_->public_key());
  SignatureMemo memo(10);
  MemoizedVerifier verifier(counting, &memo);
  std::string bad = signature_;
  bad[0] ^= 1;
  EXPECT_FALSE(verifier.Verify("message", bad).ok());
  EXPECT_FALSE(verifier.Verify("message", bad).ok());
  EXPECT_EQ(counting.calls, 2);
  EXPECT_EQ(memo.size(), 0u);
}

TEST_F(SignatureMemoTest, AnotherKeyDoesNotShareTheEntry) {
  absl::StatusOr<Ed25519PrivateKey> other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  SignatureMemo memo(10);
  MemoizedVerifier mine(key_->public_key(), &memo);
  MemoizedVerifier theirs(other->public_key(), &memo);
  ASSERT_TRUE(mine.Verify("message", signature_).ok());
  EXPECT_FALSE(theirs.Verify("message", signature_).ok());
}

TEST_F(SignatureMemoTest, BoundedAndDisabledMemos) {
  CountingVerifier counting(key_->public_key());
  SignatureMemo one(1);
  MemoizedVerifier verifier(counting, &one);
  absl::StatusOr<std::string> second = key_->Sign("second");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(verifier.Verify("message", signature_).ok());
  ASSERT_TRUE(verifier.Verify("second", *second).ok());
  EXPECT_EQ(one.size(), 1u);

  SignatureMemo none(0);
  MemoizedVerifier uncached(counting, &none);
  counting.calls = 0;
  ASSERT_TRUE(uncached.Verify("message", signature_).ok());
  ASSERT_TRUE(uncached.Verify("message", signature_).ok());
  EXPECT_EQ(counting.calls, 2);

  MemoizedVerifier no_memo(counting, nullptr);
  EXPECT_TRUE(no_memo.Verify("message", signature_).ok());
  EXPECT_EQ(counting.calls, 3);
}

TEST_F(SignatureMemoTest, AKeyIsSetUpOnceAndVerifiesItsSignatures) {
  const std::string& raw = key_->public_key().raw();
  SignatureMemo memo(10);
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> first =
      memo.PublicKeyOf(raw);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> again =
      memo.PublicKeyOf(raw);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(first->get(), again->get());
  EXPECT_EQ((*first)->key_id(), key_->public_key().key_id());
  EXPECT_TRUE((*first)->Verify("message", signature_).ok());

  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> short_key =
      memo.PublicKeyOf(raw.substr(0, 31));
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(short_key.status().message().find("32 bytes, got 31"),
            std::string::npos)
      << short_key.status();

  // A disabled memo still answers, but keeps nothing.
  SignatureMemo none(0);
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> a =
      none.PublicKeyOf(raw);
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> b =
      none.PublicKeyOf(raw);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_TRUE((*b)->Verify("message", signature_).ok());
}

}  // namespace
}  // namespace certreg
