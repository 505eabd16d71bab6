#include "registry/core/signer_directory.h"

#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "registry/storage/memory_store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {
namespace {

// A MemoryStore that counts body record reads and can run `on_body_read`
// in the middle of one, as a write landing during a lookup would.
class WatchedStore : public MemoryStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override {
    if (column == Column::kBodies) {
      ++body_reads;
      if (on_body_read) on_body_read();
    }
    return MemoryStore::Get(column, key);
  }
  mutable int body_reads = 0;
  std::function<void()> on_body_read;
};

class SignerDirectoryTest : public testing::Test {
 protected:
  // Registers `key` for body "CNCA-R-2002-001" under `name`.
  void PutBody(const std::string& name) {
    v1::CertificationBody body;
    body.set_approval_number("CNCA-R-2002-001");
    body.set_name(name);
    v1::BodyKey* registered = body.add_keys();
    registered->set_key_id(key_.key_id());
    registered->set_public_key(key_.public_key().raw());
    WriteBatch batch;
    batch.Put(Column::kBodies, body.approval_number(),
              body.SerializeAsString());
    batch.Put(Column::kKeys, key_.key_id(), body.approval_number());
    ASSERT_TRUE(store_.Write(batch).ok());
  }

  std::string NameOfSigner() {
    auto signer = signers_.Find(key_.key_id());
    EXPECT_TRUE(signer.ok()) << signer.status();
    return signer.ok() ? (*signer)->body.name() : "";
  }

  Ed25519PrivateKey key_ = *Ed25519PrivateKey::Generate();
  WatchedStore store_;
  SignerDirectory signers_{&store_};
};

TEST_F(SignerDirectoryTest, FindsTheKeysBodyAndParsedKeyOnce) {
  PutBody("中国质量认证中心");
  auto signer = signers_.Find(key_.key_id());
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ((*signer)->body.approval_number(), "CNCA-R-2002-001");
  EXPECT_EQ((*signer)->key.raw(), key_.public_key().raw());
  EXPECT_EQ(NameOfSigner(), "中国质量认证中心");
  EXPECT_EQ(store_.body_reads, 1);
}

TEST_F(SignerDirectoryTest, KeepsWhatItReadUntilForget) {
  PutBody("旧名称认证中心");
  EXPECT_EQ(NameOfSigner(), "旧名称认证中心");
  PutBody("新名称认证中心");
  EXPECT_EQ(NameOfSigner(), "旧名称认证中心");
  signers_.Forget();
  EXPECT_EQ(NameOfSigner(), "新名称认证中心");
  EXPECT_EQ(store_.body_reads, 2);
}

// A lookup that read the store before a Forget (an authority statement
// written meanwhile) answers with what it read, but does not keep it.
TEST_F(SignerDirectoryTest, ASignerReadAcrossAForgetIsNotKept) {
  PutBody("旧名称认证中心");
  store_.on_body_read = [this] {
    store_.on_body_read = nullptr;
    signers_.Forget();
  };
  EXPECT_EQ(NameOfSigner(), "旧名称认证中心");
  EXPECT_EQ(NameOfSigner(), "旧名称认证中心");
  EXPECT_EQ(store_.body_reads, 2);
  EXPECT_EQ(NameOfSigner(), "旧名称认证中心");
  EXPECT_EQ(store_.body_reads, 2);
}

TEST_F(SignerDirectoryTest, UnknownKeysAndMissingBodiesAreRefused) {
  absl::Status unknown = signers_.Find(key_.key_id()).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(unknown.message().find("not registered"), std::string::npos)
      << unknown;

  WriteBatch orphan;
  orphan.Put(Column::kKeys, key_.key_id(), "CNCA-R-2002-001");
  ASSERT_TRUE(store_.Write(orphan).ok());
  EXPECT_EQ(signers_.Find(key_.key_id()).status().code(),
            absl::StatusCode::kDataLoss);

  // The body's record does not list the key its owner entry names.
  const Ed25519PrivateKey other = *Ed25519PrivateKey::Generate();
  PutBody("中国质量认证中心");
  WriteBatch misfiled;
  misfiled.Put(Column::kKeys, other.key_id(), "CNCA-R-2002-001");
  ASSERT_TRUE(store_.Write(misfiled).ok());
  absl::Status not_listed = signers_.Find(other.key_id()).status();
  EXPECT_EQ(not_listed.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(not_listed.message().find("is not a key of CNCA-R-2002-001"),
            std::string::npos)
      << not_listed;
}

}  // namespace
}  // namespace certreg
