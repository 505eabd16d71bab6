#include "verifier/grpc/client_channel.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(ClientTargetTest, OneAddressAsIsAListOfReplicasAsIpv4) {
  EXPECT_EQ(ClientTarget("registry.example.cn:443"), "registry.example.cn:443");
  EXPECT_EQ(ClientTarget("unix:/run/certreg.sock"), "unix:/run/certreg.sock");
  EXPECT_EQ(ClientTarget("10.0.0.1:50051, 10.0.0.2:50051,localhost:50053"),
            "ipv4:10.0.0.1:50051,10.0.0.2:50051,127.0.0.1:50053");
  EXPECT_EQ(AddressList(" a:1, b:2,,"),
            (std::vector<std::string>{"a:1", "b:2"}));
}

}  // namespace
}  // namespace certreg
