#include "verifier/base/api_keys.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(LoadApiKeysTest, ReadsNamesHashesAndRates) {
  auto keys = LoadApiKeys(Write("keys",
                                "# procurement platforms\n"
                                "buyer-1 " +
                                    std::string(64, 'a') +
                                    " 1000 100 500 10 0  # a big one\n\n"
                                    "buyer-2 " +
                                    std::string(64, 'B') + " 1 1 1 1 1\n"));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  const ApiKey& big = keys->at(std::string(64, 'a'));
  EXPECT_EQ(big.name, "buyer-1");
  EXPECT_EQ(big.rates.lookups, 1000);
  EXPECT_EQ(big.rates.writes, 0);
  EXPECT_EQ(keys->at(std::string(64, 'b')).name, "buyer-2");
}

TEST(LoadApiKeysTest, NamesTheLineAndTheProblem) {
  auto short_hash = LoadApiKeys(Write("bad1", "x abc 1 1 1 1 1\n"));
  EXPECT_THAT(std::string(short_hash.status().message()),
              HasSubstr("line 1: the key's SHA-256 is not 64 hex digits"));
  auto bad_rate = LoadApiKeys(
      Write("bad2", "\nx " + std::string(64, 'c') + " 1 fast 1 1 1\n"));
  EXPECT_THAT(std::string(bad_rate.status().message()),
              HasSubstr("line 2: \"fast\" is not a rate"));
  auto fields = LoadApiKeys(Write("bad3", "x y\n"));
  EXPECT_THAT(std::string(fields.status().message()),
              HasSubstr("give NAME SHA256_HEX"));
  EXPECT_EQ(LoadApiKeys("/nonexistent").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadApiKeys(testing::TempDir()).status().code(),
            absl::StatusCode::kInvalidArgument);  // a directory
}

}  // namespace
}  // namespace certreg
