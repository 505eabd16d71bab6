#include "verifier/crypto/key_files.h"

#include <sys/stat.h>

#include <filesystem>

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(KeyFilesTest, WritesPrivateKey0600AndRefusesToOverwrite) {
  std::string dir = testing::TempDir() + "/key_files";
  std::filesystem::remove_all(dir);
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string private_path = dir + "/sub/body.key";
  std::string public_path = dir + "/sub/body.pub";
  ASSERT_TRUE(WriteKeyPair(*key, private_path, public_path).ok());

  struct stat st;
  ASSERT_EQ(stat(private_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto reread = ReadPrivateKey(private_path);
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->key_id(), key->key_id());
  auto public_key = ReadPublicKey(public_path);
  ASSERT_TRUE(public_key.ok()) << public_key.status();
  EXPECT_EQ(public_key->key_id(), key->key_id());
  // The public half of a private key file works too.
  EXPECT_EQ(ReadPublicKey(private_path)->key_id(), key->key_id());

  auto other = Ed25519PrivateKey::Generate();
  absl::Status again = WriteKeyPair(*other, private_path, dir + "/x.pub");
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadPrivateKey(private_path)->key_id(), key->key_id());
}

TEST(KeyFilesTest, ReadErrorsNameTheFile) {
  std::string dir = testing::TempDir() + "/key_files_errors";
  std::filesystem::create_directories(dir);
  EXPECT_EQ(ReadPrivateKey(dir + "/missing.key").status().code(),
            absl::StatusCode::kNotFound);
  std::string garbage = dir + "/garbage.pem";
  FILE* f = fopen(garbage.c_str(), "w");
  fputs("hello", f);
  fclose(f);
  auto bad = ReadPublicKey(garbage);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(garbage), std::string::npos);
}

}  // namespace
}  // namespace certreg
