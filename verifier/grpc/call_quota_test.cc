#include "verifier/grpc/call_quota.h"

#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"

namespace certreg {
namespace {

bool Entered(const std::variant<ReadCaps::Ticket, std::string>& entered) {
  return std::holds_alternative<ReadCaps::Ticket>(entered);
}

// A flood of one class of read takes half the reads at most: lookups still
// get in beside it, up to the cap of all reads; a ticket given back makes
// room again; writes never count.
TEST(ReadCapsTest, OneClassTakesHalfAndAllTogetherTheCap) {
  ReadCaps caps(4);
  std::vector<ReadCaps::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    auto entered = caps.Enter(CallClass::kSearch);
    ASSERT_TRUE(Entered(entered));
    held.push_back(std::get<ReadCaps::Ticket>(std::move(entered)));
  }
  auto third_search = caps.Enter(CallClass::kSearch);
  ASSERT_FALSE(Entered(third_search));
  EXPECT_EQ(std::get<std::string>(third_search),
            "the server's cap of 2 search calls at once");

  for (int i = 0; i < 2; ++i) {
    auto entered = caps.Enter(CallClass::kLookup);
    ASSERT_TRUE(Entered(entered)) << i;
    held.push_back(std::get<ReadCaps::Ticket>(std::move(entered)));
  }
  auto fifth = caps.Enter(CallClass::kVerify);
  ASSERT_FALSE(Entered(fifth));
  EXPECT_EQ(std::get<std::string>(fifth),
            "the server's cap of 4 reads at once");
  EXPECT_TRUE(Entered(caps.Enter(CallClass::kWrite)));

  held.erase(held.begin());  // a search ends
  EXPECT_TRUE(Entered(caps.Enter(CallClass::kVerify)));
}

TEST(ReadCapsTest, ZeroIsNoCap) {
  ReadCaps caps(0);
  std::vector<ReadCaps::Ticket> held;
  for (int i = 0; i < 1000; ++i) {
    auto entered = caps.Enter(CallClass::kSearch);
    ASSERT_TRUE(Entered(entered));
    held.push_back(std::get<ReadCaps::Ticket>(std::move(entered)));
  }
}

}  // namespace
}  // namespace certreg
