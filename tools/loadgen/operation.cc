#include "tools/loadgen/operation.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/loadgen/flag_error.h"

namespace certreg::loadgen {

absl::StatusOr<OpWeights> ParseMix(absl::string_view mix) {
  OpWeights weights{};
  for (absl::string_view part :
       absl::StrSplit(mix, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(kv.first));
    const auto it = std::find(kOpNames.begin(), kOpNames.end(), name);
    if (it == kOpNames.end()) {
      return FlagError(
          "mix", absl::StrCat("unknown operation \"", name, "\" (expected ",
                              absl::StrJoin(kOpNames, ", "), ")"));
    }
    int weight = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(kv.second), &weight) ||
        weight < 0 || weight > 1000000) {
      return FlagError("mix", absl::StrCat("weight of ", name, " \"", kv.second,
                                           "\" is not an integer 0-1000000"));
    }
    weights[it - kOpNames.begin()] = weight;
  }
  int total = 0;
  for (int w : weights) total += w;
  if (total == 0) {
    return FlagError("mix", "every weight is 0; e.g. --mix=get=80,search=20");
  }
  return weights;
}

OperationMix::OperationMix(const OpWeights& weights) : weights_(weights) {
  for (int w : weights_) total_ += w;
}

Op OperationMix::Pick(std::mt19937_64& rng) const {
  int weight = std::uniform_int_distribution<int>(0, total_ - 1)(rng);
  int op = 0;
  while (weight >= weights_[op]) weight -= weights_[op++];
  return static_cast<Op>(op);
}

Op OperationMix::PickOtherThanWrite(std::mt19937_64& rng) const {
  const int others = total_ - weights_[kWrite];
  if (others <= 0) return kNumOps;
  int weight = std::uniform_int_distribution<int>(0, others - 1)(rng);
  int op = 0;
  while (op == kWrite || weight >= weights_[op]) {
    if (op != kWrite) weight -= weights_[op];
    ++op;
  }
  return static_cast<Op>(op);
}

}  // namespace certreg::loadgen
