#include "tests/fuzz/fuzz_support.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "verifier/crypto/sha256.h"

namespace certreg::fuzz {
namespace {

// Protobuf logs every string field with invalid UTF-8 it parses or
// serializes; fuzz inputs are full of them, and the logging would be most
// of the time spent. Nothing here needs it.
const bool kProtobufQuiet = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

}  // namespace

void CheckFailed(const char* file, int line, const char* condition,
                 absl::string_view detail) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n  %.*s\n", file, line,
               condition, static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

uint8_t FuzzInput::Byte() {
  if (data_.empty()) return 0;
  const uint8_t byte = static_cast<uint8_t>(data_.front());
  data_.remove_prefix(1);
  return byte;
}

uint32_t FuzzInput::U32() {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{Byte()} << (8 * i);
  return value;
}

uint64_t FuzzInput::U64() {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{Byte()} << (8 * i);
  return value;
}

std::string FuzzInput::Bytes(size_t n) {
  const absl::string_view taken = data_.substr(0, n);
  data_.remove_prefix(taken.size());
  return std::string(taken);
}

std::string FuzzInput::ShortString(size_t max_size) {
  return Bytes(Byte() % (max_size + 1));
}

std::string FuzzInput::Rest() { return Bytes(data_.size()); }

namespace {

// An Ed25519 private key whose 32-byte seed is SHA-256(`name`), through the
// PKCS#8 PEM form the key files use.
Ed25519PrivateKey KeyNamed(absl::string_view name) {
  static constexpr char kPkcs8Prefix[] =
      "\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20";
  const std::string der = absl::StrCat(
      absl::string_view(kPkcs8Prefix, sizeof(kPkcs8Prefix) - 1), Sha256(name));
  const std::string pem =
      absl::StrCat("-----BEGIN PRIVATE KEY-----\n", absl::Base64Escape(der),
                   "\n-----END PRIVATE KEY-----\n");
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPem(pem);
  FUZZ_CHECK(key.ok(), key.status().ToString());
  return *std::move(key);
}

}  // namespace

const Ed25519PrivateKey& FuzzOperatorKey() {
  static const Ed25519PrivateKey* const key =
      new Ed25519PrivateKey(KeyNamed("certreg fuzz operator key"));
  return *key;
}

const Ed25519PrivateKey& FuzzLogKey() {
  static const Ed25519PrivateKey* const key =
      new Ed25519PrivateKey(KeyNamed("certreg fuzz log key"));
  return *key;
}

std::vector<Ed25519PrivateKey> FuzzBodyKeys(size_t count) {
  std::vector<Ed25519PrivateKey> keys;
  for (size_t i = 0; i < count; ++i) {
    keys.push_back(KeyNamed(absl::StrCat("certreg fuzz body key ", i)));
  }
  return keys;
}

absl::CivilDay FuzzToday() { return absl::CivilDay(2026, 11, 22); }

absl::Time FuzzSeedTime() {
  return absl::FromCivil(absl::CivilHour(FuzzToday()) + 12,
                         absl::FixedTimeZone(8 * 3600));
}

absl::Time FuzzVerifyTime() { return FuzzSeedTime() + absl::Hours(1); }

}  // namespace certreg::fuzz
