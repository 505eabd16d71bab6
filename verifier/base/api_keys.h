#ifndef CERTREG_VERIFIER_BASE_API_KEYS_H_
#define CERTREG_VERIFIER_BASE_API_KEYS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace certreg {

// Per second, per client: its API key when it sends one (gRPC
// metadata x-api-key, HTTP header X-Api-Key), else its IP address. A bucket
// holds two seconds' worth.
struct QuotaRates {
  double lookups = 0;
  double searches = 0;
  double verifications = 0;
  double streams = 0;  // streams opened
  double writes = 0;
};

// One API key: a name for the logs, the SHA-256 of the key (hex) and its
// rates.
struct ApiKey {
  std::string name;
  QuotaRates rates;
};

// Reads an API keys file: one key a line,
//   NAME SHA256_HEX LOOKUPS SEARCHES VERIFICATIONS STREAMS WRITES
// (rates per second, 0 unlimited; '#' starts a comment). INVALID_ARGUMENT
// naming the file and line for a malformed one.
absl::StatusOr<absl::flat_hash_map<std::string, ApiKey>> LoadApiKeys(
    const std::string& path);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BASE_API_KEYS_H_
