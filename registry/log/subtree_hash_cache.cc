#include "registry/log/subtree_hash_cache.h"

#include <algorithm>
#include <cstring>

namespace certreg {
namespace {

bool IsEmpty(const std::array<char, SubtreeHashCache::kHashBytes>& hash) {
  return std::all_of(hash.begin(), hash.end(), [](char c) { return c == 0; });
}

}  // namespace

bool SubtreeHashCache::Find(int level, uint64_t index,
                            std::string* hash) const {
  absl::ReaderMutexLock lock(&mu_);
  if (level < 0 || static_cast<size_t>(level) >= levels_.size()) return false;
  const std::vector<std::unique_ptr<Chunk>>& chunks = levels_[level];
  const uint64_t chunk = index >> kChunkBits;
  if (chunk >= chunks.size() || chunks[chunk] == nullptr) return false;
  const Hash& found = (*chunks[chunk])[index & ((1u << kChunkBits) - 1)];
  if (IsEmpty(found)) return false;
  hash->assign(found.data(), found.size());
  return true;
}

void SubtreeHashCache::Insert(int level, uint64_t index,
                              absl::string_view hash) {
  if (hash.size() != kHashBytes || level < 0 || level > kMaxLevel) return;
  absl::MutexLock lock(&mu_);
  if (static_cast<size_t>(level) >= levels_.size()) levels_.resize(level + 1);
  std::vector<std::unique_ptr<Chunk>>& chunks = levels_[level];
  const uint64_t chunk = index >> kChunkBits;
  if (chunk >= chunks.size()) chunks.resize(chunk + 1);
  if (chunks[chunk] == nullptr) {
    chunks[chunk] = std::make_unique<Chunk>();  // value-initialised: zeros
    ++chunks_;
  }
  std::memcpy((*chunks[chunk])[index & ((1u << kChunkBits) - 1)].data(),
              hash.data(), kHashBytes);
}

size_t SubtreeHashCache::allocated_bytes() const {
  absl::ReaderMutexLock lock(&mu_);
  return chunks_ * sizeof(Chunk);
}

}  // namespace certreg
