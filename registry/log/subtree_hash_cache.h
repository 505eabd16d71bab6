#ifndef CERTREG_REGISTRY_LOG_SUBTREE_HASH_CACHE_H_
#define CERTREG_REGISTRY_LOG_SUBTREE_HASH_CACHE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace certreg {

// Complete Merkle subtree hashes by (level, index), in memory. They never
// change once stored, so nothing is ever invalidated, and they are dense (a
// log of n leaves has n / 2^level complete subtrees at each level), so each
// level is an array of 32-byte hashes in chunks allocated when first used:
// 32 bytes per cached node and no per-entry overhead. Thread-safe; lookups
// share a reader lock.
//
// Example:
//   SubtreeHashCache cache;
//   cache.Insert(1, 42, hash);
//   std::string found;
//   if (cache.Find(1, 42, &found)) { ... }
class SubtreeHashCache {
 public:
  static constexpr size_t kHashBytes = 32;
  // Levels above this are not cached (a log would need 2^64 leaves).
  static constexpr int kMaxLevel = 63;

  // True, and `*hash` set, when (level, index) was inserted.
  bool Find(int level, uint64_t index, std::string* hash) const;

  // Remembers `hash` for (level, index). Ignored unless it is kHashBytes
  // long and the level is in [0, kMaxLevel].
  void Insert(int level, uint64_t index, absl::string_view hash);

  // Bytes allocated for hashes (whole chunks).
  size_t allocated_bytes() const;

 private:
  static constexpr int kChunkBits = 12;  // 4,096 hashes (128 KiB) per chunk
  using Hash = std::array<char, kHashBytes>;
  // A chunk's hashes, all zero until inserted (SHA-256 never yields zero).
  using Chunk = std::array<Hash, size_t{1} << kChunkBits>;

  mutable absl::Mutex mu_;
  // levels_[level][index >> kChunkBits], null until a hash of it is inserted.
  std::vector<std::vector<std::unique_ptr<Chunk>>> levels_ ABSL_GUARDED_BY(mu_);
  size_t chunks_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_LOG_SUBTREE_HASH_CACHE_H_
