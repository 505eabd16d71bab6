#include "verifier/base/api_keys.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certreg {

absl::StatusOr<absl::flat_hash_map<std::string, ApiKey>> LoadApiKeys(
    const std::string& path) {
  std::ifstream in(path);
  if (!in || std::filesystem::is_directory(path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("api_keys_file: cannot read ", path));
  }
  absl::flat_hash_map<std::string, ApiKey> keys;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view content =
        absl::StripAsciiWhitespace(absl::string_view(line).substr(
            0, std::min(line.find('#'), line.size())));
    if (content.empty()) continue;
    std::vector<std::string> fields =
        absl::StrSplit(content, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("api_keys_file: ", path, " line ", number, ": ", why));
    };
    if (fields.size() != 7) {
      return bad(
          "give NAME SHA256_HEX LOOKUPS SEARCHES VERIFICATIONS "
          "STREAMS WRITES");
    }
    std::string hash = absl::AsciiStrToLower(fields[1]);
    if (hash.size() != 64 ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return bad("the key's SHA-256 is not 64 hex digits");
    }
    ApiKey key{fields[0], {}};
    double* rates[] = {&key.rates.lookups, &key.rates.searches,
                       &key.rates.verifications, &key.rates.streams,
                       &key.rates.writes};
    for (int i = 0; i < 5; ++i) {
      if (!absl::SimpleAtod(fields[2 + i], rates[i]) || *rates[i] < 0 ||
          !std::isfinite(*rates[i])) {
        return bad(absl::StrCat("\"", fields[2 + i],
                                "\" is not a rate (per second, 0 unlimited)"));
      }
    }
    if (!keys.emplace(hash, key).second) return bad("the key is listed twice");
  }
  return keys;
}

}  // namespace certreg
