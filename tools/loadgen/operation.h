#ifndef CERTREG_TOOLS_LOADGEN_OPERATION_H_
#define CERTREG_TOOLS_LOADGEN_OPERATION_H_

#include <array>
#include <random>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg::loadgen {

// The operations. kNumOps also stands for "nothing to send".
enum Op { kGet = 0, kSearch, kVerify, kBatch, kWrite, kNumOps };

// Their names in --mix, in the report and in its JSON.
inline constexpr std::array<const char*, kNumOps> kOpNames = {
    "get", "search", "verify", "batch", "write"};

// The relative weight of each operation, indexed by Op.
using OpWeights = std::array<int, kNumOps>;

// Parses --mix: "NAME=WEIGHT" separated by commas (names of kOpNames, any
// case; weights 0-1000000; operations left out weigh 0). INVALID_ARGUMENT
// "--mix: ..." for an unknown name, a bad weight, or every weight 0.
absl::StatusOr<OpWeights> ParseMix(absl::string_view mix);

// Picks operations at random in proportion to their weights. Immutable, so
// thread-safe; the random numbers come from the caller's generator.
class OperationMix {
 public:
  // Requires at least one weight above 0 (ParseMix's result).
  explicit OperationMix(const OpWeights& weights);

  // An operation drawn by weight: one draw from `rng`.
  Op Pick(std::mt19937_64& rng) const;

  // An operation other than kWrite drawn by the weights of the others (one
  // draw from `rng`), for when the pre-signed writes have run out; kNumOps,
  // without a draw, when only kWrite has weight.
  Op PickOtherThanWrite(std::mt19937_64& rng) const;

  int total() const { return total_; }

 private:
  OpWeights weights_;
  int total_ = 0;
};

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_OPERATION_H_
