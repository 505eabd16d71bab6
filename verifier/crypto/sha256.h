#ifndef CERTREG_VERIFIER_CRYPTO_SHA256_H_
#define CERTREG_VERIFIER_CRYPTO_SHA256_H_

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace certreg {

inline constexpr size_t kSha256Bytes = 32;

// SHA-256 of the concatenation of `parts`, 32 raw bytes. The digest
// algorithm is fetched from OpenSSL once per process and each thread reuses
// one digest context, so hashing a short input costs no provider look-up.
// Thread-safe.
//
// Example:
//   std::string node = Sha256({"\x01", left, right});
std::string Sha256(std::initializer_list<absl::string_view> parts);

inline std::string Sha256(absl::string_view data) { return Sha256({data}); }

// A digest held by value.
using Sha256Digest = std::array<char, kSha256Bytes>;

// The same digest by value: allocates nothing, for loops that hash many
// short inputs (an inclusion proof's path).
Sha256Digest Sha256Value(std::initializer_list<absl::string_view> parts);

// The bytes of `digest`, valid while it lives.
inline absl::string_view DigestBytes(const Sha256Digest& digest) {
  return absl::string_view(digest.data(), digest.size());
}

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_SHA256_H_
