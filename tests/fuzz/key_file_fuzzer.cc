// The PEM key parsers on arbitrary key files: Ed25519PrivateKey::FromPem and
// Ed25519PublicKey::FromPem on the bytes, and ReadPrivateKey / ReadPublicKey
// (verifier/crypto/key_files.h, which read files) on the same bytes written
// to a temporary file.
//
// Properties checked: the file readers agree with the byte parsers; a key
// that parses writes itself back (ToPem) as a key that parses to the same
// key; a private key's signature verifies with its public key.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"

namespace certreg {
namespace {

// A file holding `bytes`, removed when it goes out of scope (libFuzzer ends
// without running exit handlers, so nothing is left for them to clean up).
class KeyFile {
 public:
  explicit KeyFile(absl::string_view bytes) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    if (tmp == nullptr) tmp = std::getenv("TMPDIR");
    path_ =
        absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/key_file_fuzzer.XXXXXX");
    const int fd = mkstemp(path_.data());
    FUZZ_CHECK(fd >= 0, "cannot make a temporary file");
    size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n =
          write(fd, bytes.data() + written, bytes.size() - written);
      FUZZ_CHECK(n > 0, "cannot write the key file");
      written += static_cast<size_t>(n);
    }
    close(fd);
  }
  ~KeyFile() { unlink(path_.c_str()); }
  KeyFile(const KeyFile&) = delete;
  KeyFile& operator=(const KeyFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void CheckPrivateKey(const Ed25519PrivateKey& key) {
  absl::StatusOr<Ed25519PrivateKey> again =
      Ed25519PrivateKey::FromPem(key.ToPem());
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(again->key_id() == key.key_id(), "ToPem changed the key");
  absl::StatusOr<std::string> signature = key.Sign("certreg fuzz");
  FUZZ_CHECK(signature.ok(), signature.status().ToString());
  FUZZ_CHECK(key.public_key().Verify("certreg fuzz", *signature).ok(),
             "a key's signature does not verify with its public key");
}

void CheckPublicKey(const Ed25519PublicKey& key) {
  FUZZ_CHECK(key.raw().size() == kEd25519PublicKeyBytes, "raw key length");
  FUZZ_CHECK(key.key_id() == KeyIdOf(key.raw()), "key id");
  absl::StatusOr<Ed25519PublicKey> again =
      Ed25519PublicKey::FromPem(key.ToPem());
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(again->raw() == key.raw(), "ToPem changed the key");
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<Ed25519PrivateKey> private_key =
      Ed25519PrivateKey::FromPem(bytes);
  if (private_key.ok()) CheckPrivateKey(*private_key);
  absl::StatusOr<Ed25519PublicKey> public_key =
      Ed25519PublicKey::FromPem(bytes);
  if (public_key.ok()) CheckPublicKey(*public_key);

  const KeyFile file(bytes);
  absl::StatusOr<Ed25519PrivateKey> read_private = ReadPrivateKey(file.path());
  FUZZ_CHECK(
      read_private.ok() == private_key.ok(),
      absl::StrCat("ReadPrivateKey: ", read_private.status().ToString()));
  if (read_private.ok()) {
    FUZZ_CHECK(read_private->key_id() == private_key->key_id(),
               "ReadPrivateKey read another key");
  }
  absl::StatusOr<Ed25519PublicKey> read_public = ReadPublicKey(file.path());
  if (bytes.find("PRIVATE KEY") != absl::string_view::npos) {
    // Documented: a private key file gives its public half.
    FUZZ_CHECK(read_public.ok() == private_key.ok(),
               absl::StrCat("ReadPublicKey of a private key file: ",
                            read_public.status().ToString()));
    if (read_public.ok()) {
      FUZZ_CHECK(read_public->raw() == private_key->public_key().raw(),
                 "ReadPublicKey gave another key than the private key's");
    }
  } else {
    FUZZ_CHECK(
        read_public.ok() == public_key.ok(),
        absl::StrCat("ReadPublicKey: ", read_public.status().ToString()));
    if (read_public.ok()) {
      FUZZ_CHECK(read_public->raw() == public_key->raw(),
                 "ReadPublicKey read another key");
    }
  }
  return 0;
}
