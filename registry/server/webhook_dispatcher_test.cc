#include "registry/server/webhook_dispatcher.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(WebhookDispatcherTest, RetriesDoubleUpToTheMaximum) {
  WebhookOptions options;
  options.first_retry = absl::Seconds(1);
  options.max_retry = absl::Seconds(10);
  EXPECT_EQ(RetryDelay(options, 1), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(options, 2), absl::Seconds(2));
  EXPECT_EQ(RetryDelay(options, 4), absl::Seconds(8));
  EXPECT_EQ(RetryDelay(options, 5), absl::Seconds(10));
  EXPECT_EQ(RetryDelay(options, 1000), absl::Seconds(10));
}

TEST(WebhookDispatcherTest, TheSignatureCoversADomainPrefixAndTheBody) {
  const std::string input = WebhookSigningInput("{\"a\":1}");
  EXPECT_EQ(input, std::string("certreg.v1.WebhookEvent\0{\"a\":1}", 31));
}

}  // namespace
}  // namespace certreg
