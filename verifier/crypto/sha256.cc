#include "verifier/crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace certreg {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// The implementation, fetched once: EVP_sha256() and the one-shot SHA256()
// look the provider up on every call in OpenSSL 3.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* const algorithm = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // libcrypto without SHA-256
    return fetched;
  }();
  return algorithm;
}

EVP_MD_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> context(
      EVP_MD_CTX_new());
  if (context == nullptr) std::abort();  // out of memory
  return context.get();
}

}  // namespace

Sha256Digest Sha256Value(std::initializer_list<absl::string_view> parts) {
  EVP_MD_CTX* context = ThreadContext();
  Sha256Digest digest;
  unsigned int length = 0;
  bool ok = EVP_DigestInit_ex(context, Sha256Algorithm(), nullptr) == 1;
  for (absl::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(context, part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(context,
                                reinterpret_cast<unsigned char*>(digest.data()),
                                &length) == 1;
  if (!ok || length != kSha256Bytes) std::abort();  // cannot happen: no I/O
  return digest;
}

std::string Sha256(std::initializer_list<absl::string_view> parts) {
  return std::string(DigestBytes(Sha256Value(parts)));
}

}  // namespace certreg
