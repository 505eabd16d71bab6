#include "verifier/grpc/listener_watch.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(ListenerWatchTest, RecognisesGrpcsFailedAcceptLine) {
  EXPECT_TRUE(IsDeadListenerMessage("Failed accept4: Too many open files"));
  EXPECT_FALSE(IsDeadListenerMessage("Failed to deserialize message."));
  EXPECT_FALSE(IsDeadListenerMessage("accept4 retried"));
}

}  // namespace
}  // namespace certreg
