#include "tools/loadgen/operation.h"

#include <random>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg::loadgen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseMixTest, NamesAnyCaseWithSpacesAndTheRestZero) {
  absl::StatusOr<OpWeights> weights = ParseMix(" GET = 80, search=15 ,,");
  ASSERT_TRUE(weights.ok()) << weights.status();
  EXPECT_THAT(*weights, ElementsAre(80, 15, 0, 0, 0));
}

TEST(ParseMixTest, EveryOperation) {
  absl::StatusOr<OpWeights> weights =
      ParseMix("write=5,batch=4,verify=3,search=2,get=1");
  ASSERT_TRUE(weights.ok()) << weights.status();
  EXPECT_THAT(*weights, ElementsAre(1, 2, 3, 4, 5));
}

TEST(ParseMixTest, UnknownOperationListsTheKnownOnes) {
  absl::StatusOr<OpWeights> weights = ParseMix("get=1,put=2");
  EXPECT_EQ(weights.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(weights.status().message(),
            "--mix: unknown operation \"put\" (expected get, search, verify, "
            "batch, write)");
}

TEST(ParseMixTest, WeightsAreIntegersFromZeroToAMillion) {
  for (const char* mix : {"get=-1", "get=x", "get=1000001", "get"}) {
    absl::StatusOr<OpWeights> weights = ParseMix(mix);
    EXPECT_EQ(weights.status().code(), absl::StatusCode::kInvalidArgument)
        << mix;
    EXPECT_THAT(weights.status().message(),
                HasSubstr("is not an integer 0-1000000"))
        << mix;
  }
  EXPECT_TRUE(ParseMix("get=1000000").ok());
}

TEST(ParseMixTest, SomeWeightMustBeAboveZero) {
  EXPECT_EQ(ParseMix("get=0").status().message(),
            "--mix: every weight is 0; e.g. --mix=get=80,search=20");
  EXPECT_FALSE(ParseMix("").ok());
}

TEST(OperationMixTest, PicksInProportionToTheWeights) {
  const OperationMix mix(OpWeights{3, 0, 1, 0, 0});
  EXPECT_EQ(mix.total(), 4);
  std::mt19937_64 rng(7);
  int counts[kNumOps] = {};
  for (int i = 0; i < 40000; ++i) ++counts[mix.Pick(rng)];
  EXPECT_EQ(counts[kSearch], 0);
  EXPECT_EQ(counts[kBatch], 0);
  EXPECT_EQ(counts[kWrite], 0);
  EXPECT_NEAR(counts[kGet], 30000, 600);
  EXPECT_NEAR(counts[kVerify], 10000, 600);
}

TEST(OperationMixTest, OtherThanWriteKeepsTheOthersProportions) {
  const OperationMix mix(OpWeights{1, 1, 0, 0, 98});
  std::mt19937_64 rng(7);
  int counts[kNumOps + 1] = {};
  for (int i = 0; i < 20000; ++i) ++counts[mix.PickOtherThanWrite(rng)];
  EXPECT_EQ(counts[kWrite], 0);
  EXPECT_EQ(counts[kNumOps], 0);
  EXPECT_NEAR(counts[kGet], 10000, 500);
  EXPECT_NEAR(counts[kSearch], 10000, 500);
}

TEST(OperationMixTest, OnlyWritesLeavesNothingElse) {
  const OperationMix mix(OpWeights{0, 0, 0, 0, 5});
  std::mt19937_64 rng(7);
  EXPECT_EQ(mix.Pick(rng), kWrite);
  EXPECT_EQ(mix.PickOtherThanWrite(rng), kNumOps);
}

TEST(OperationMixTest, TheSameSeedPicksTheSameOperations) {
  const OperationMix mix(OpWeights{5, 4, 3, 2, 1});
  std::mt19937_64 a(42);
  std::mt19937_64 b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(mix.Pick(a), mix.Pick(b));
}

}  // namespace
}  // namespace certreg::loadgen
