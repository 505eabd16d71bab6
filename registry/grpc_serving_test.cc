#include "registry/grpc_serving.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(IsLocalPeerTest, LoopbackAndUnixSocketsAreLocal) {
  EXPECT_TRUE(IsLocalPeer("ipv4:127.0.0.1:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv4:127.3.2.1:1"));
  EXPECT_TRUE(IsLocalPeer("ipv6:[::1]:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv6:%5B::1%5D:50123"));
  EXPECT_TRUE(IsLocalPeer("ipv6:[::ffff:127.0.0.1]:50123"));
  EXPECT_TRUE(IsLocalPeer("unix:/run/certreg.sock"));
}

TEST(IsLocalPeerTest, OtherAddressesAreNot) {
  EXPECT_FALSE(IsLocalPeer("ipv4:10.0.0.7:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv4:1.27.0.0:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv6:[2001:db8::1]:50123"));
  EXPECT_FALSE(IsLocalPeer("ipv6:[::ffff:10.0.0.1]:50123"));
  EXPECT_FALSE(IsLocalPeer(""));
}

}  // namespace
}  // namespace certreg
