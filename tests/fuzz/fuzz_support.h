#ifndef CERTREG_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define CERTREG_TESTS_FUZZ_FUZZ_SUPPORT_H_

// What the fuzz harnesses share: a check that aborts (so libFuzzer and the
// replay test both report it), a reader of typed values from the fuzzer's
// bytes, and the fixed keys and clock the seeds were made with.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "verifier/crypto/ed25519.h"

namespace certreg::fuzz {

// Prints where and what, then aborts.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              absl::string_view detail);

// A property every input must keep; aborting on a violation makes the input a
// crash for libFuzzer and a failure for the replay test.
#define FUZZ_CHECK(condition, detail)                                       \
  do {                                                                      \
    if (!(condition)) {                                                     \
      ::certreg::fuzz::CheckFailed(__FILE__, __LINE__, #condition, detail); \
    }                                                                       \
  } while (0)

// Reads values from the fuzzer's bytes, front to back; once they run out,
// every value is zero (or empty).
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size)
      : data_(reinterpret_cast<const char*>(data), size) {}

  uint8_t Byte();
  // Little-endian.
  uint32_t U32();
  uint64_t U64();
  // Up to `n` bytes (fewer at the end).
  std::string Bytes(size_t n);
  // A string of 0..max_size bytes, its length read first (one byte).
  std::string ShortString(size_t max_size = 255);
  // Everything not read yet.
  std::string Rest();
  size_t remaining() const { return data_.size(); }

 private:
  absl::string_view data_;
};

// Test keys, derived from fixed seeds (their private halves are public in
// this source): what the seed corpora are signed with and what the harnesses
// pin. Never use them for anything but tests.
const Ed25519PrivateKey& FuzzOperatorKey();
const Ed25519PrivateKey& FuzzLogKey();
// Keys for the demo bodies, one per body.
std::vector<Ed25519PrivateKey> FuzzBodyKeys(size_t count);

// The registry's clock when the seeds were made (noon of FuzzToday() in
// China Standard Time), and the day.
absl::CivilDay FuzzToday();
absl::Time FuzzSeedTime();
// When the harnesses verify: an hour after the seeds' checkpoints.
absl::Time FuzzVerifyTime();

}  // namespace certreg::fuzz

#endif  // CERTREG_TESTS_FUZZ_FUZZ_SUPPORT_H_
