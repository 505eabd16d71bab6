#include "verifier/crypto/sha256.h"

#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

std::string Hex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

// FIPS 180-2 examples.
TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(Hex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(Sha256({"ab", "", "c"}), Sha256("abc"));
  EXPECT_EQ(Sha256({"abcdbcdecdefdefg", "efghfghighijhijkijkljklmklmnlmnomno",
                    "pnopq"}),
            Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
}

TEST(Sha256Test, TheDigestByValueIsTheSame) {
  const Sha256Digest digest = Sha256Value({"ab", "c"});
  EXPECT_EQ(DigestBytes(digest), Sha256("abc"));
  EXPECT_EQ(DigestBytes(Sha256Value({})), Sha256(""));
}

TEST(Sha256Test, ThreadsGetTheSameDigests) {
  const std::string expected = Sha256("abc");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        if (Sha256({"a", "bc"}) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace certreg
