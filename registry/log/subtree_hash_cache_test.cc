#include "registry/log/subtree_hash_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

std::string HashOf(int level, uint64_t index) {
  return Sha256(absl::StrCat(level, "/", index));
}

TEST(SubtreeHashCacheTest, FindsWhatWasInsertedAndNothingElse) {
  SubtreeHashCache cache;
  std::string found = "untouched";
  EXPECT_FALSE(cache.Find(0, 0, &found));
  EXPECT_EQ(found, "untouched");

  cache.Insert(1, 5, HashOf(1, 5));
  cache.Insert(3, 70000, HashOf(3, 70000));
  ASSERT_TRUE(cache.Find(1, 5, &found));
  EXPECT_EQ(found, HashOf(1, 5));
  ASSERT_TRUE(cache.Find(3, 70000, &found));
  EXPECT_EQ(found, HashOf(3, 70000));

  // Neighbours in the same chunk, other levels, other chunks, bad levels.
  EXPECT_FALSE(cache.Find(1, 4, &found));
  EXPECT_FALSE(cache.Find(1, 6, &found));
  EXPECT_FALSE(cache.Find(0, 5, &found));
  EXPECT_FALSE(cache.Find(2, 5, &found));
  EXPECT_FALSE(cache.Find(1, 5 + 4096, &found));
  EXPECT_FALSE(cache.Find(3, 0, &found));
  EXPECT_FALSE(cache.Find(-1, 5, &found));
  EXPECT_FALSE(cache.Find(40, 5, &found));
}

TEST(SubtreeHashCacheTest, IgnoresWhatIsNotAHash) {
  SubtreeHashCache cache;
  std::string found;
  cache.Insert(0, 1, "short");
  cache.Insert(0, 2, std::string(33, 'x'));
  cache.Insert(-1, 3, HashOf(0, 3));
  cache.Insert(SubtreeHashCache::kMaxLevel + 1, 3, HashOf(0, 3));
  EXPECT_FALSE(cache.Find(0, 1, &found));
  EXPECT_FALSE(cache.Find(0, 2, &found));
  EXPECT_FALSE(cache.Find(-1, 3, &found));
  EXPECT_FALSE(cache.Find(SubtreeHashCache::kMaxLevel + 1, 3, &found));
  EXPECT_EQ(cache.allocated_bytes(), 0u);
}

TEST(SubtreeHashCacheTest, MemoryGrowsByChunksOfWhatIsUsed) {
  SubtreeHashCache cache;
  for (uint64_t i = 0; i < 4096; ++i) cache.Insert(1, i, HashOf(1, i));
  const size_t one_chunk = cache.allocated_bytes();
  EXPECT_EQ(one_chunk, 4096u * SubtreeHashCache::kHashBytes);
  // A far index allocates its own chunk, not everything before it.
  cache.Insert(1, 1'000'000, HashOf(1, 1'000'000));
  EXPECT_EQ(cache.allocated_bytes(), 2 * one_chunk);
  std::string found;
  for (uint64_t i = 0; i < 4096; ++i) {
    ASSERT_TRUE(cache.Find(1, i, &found)) << i;
    ASSERT_EQ(found, HashOf(1, i)) << i;
  }
}

TEST(SubtreeHashCacheTest, ConcurrentReadersAndWritersAgree) {
  SubtreeHashCache cache;
  constexpr uint64_t kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      std::string found;
      for (uint64_t i = 0; i < kPerThread; ++i) {
        const uint64_t index = i * 4 + t;
        cache.Insert(t % 2, index, HashOf(t % 2, index));
        ASSERT_TRUE(cache.Find(t % 2, index, &found));
        ASSERT_EQ(found, HashOf(t % 2, index));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::string found;
  for (uint64_t index = 0; index < 4 * kPerThread; ++index) {
    const int level = static_cast<int>(index % 4) % 2;
    ASSERT_TRUE(cache.Find(level, index, &found)) << index;
    EXPECT_EQ(found, HashOf(level, index));
  }
}

}  // namespace
}  // namespace certreg
