#include "registry/core/watchlists.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"

namespace certreg {
namespace {

const char kHaier[] = "90126Q21540R2M";
const char kHaierCode[] = "91370212CXUGT6619K";

class WatchlistsTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    Seed();
  }

  v1::Watchlist ForHaier(const std::string& url = "https://buyer.example/h") {
    v1::Watchlist watchlist;
    watchlist.mutable_filter()->add_unified_social_credit_codes(kHaierCode);
    watchlist.set_callback_url(url);
    return watchlist;
  }

  void Suspend() {
    v1::Statement suspend = NextEvent(kHaier, kToday);
    suspend.mutable_suspend()->set_reason("整改");
    ASSERT_TRUE(SignAndSubmit(suspend, body_keys_[0]).ok());
  }
  void Reinstate() {
    v1::Statement reinstate = NextEvent(kHaier, kToday);
    reinstate.mutable_reinstate();
    ASSERT_TRUE(SignAndSubmit(reinstate, body_keys_[0]).ok());
  }

  Watchlists& watchlists() { return registry_->watchlists(); }
};

TEST(CallbackUrlTest, HttpsEverywherePlainHttpOnlyToThisMachine) {
  EXPECT_TRUE(ValidateCallbackUrl("https://buyer.example/hook", false).ok());
  EXPECT_TRUE(ValidateCallbackUrl("http://127.0.0.1:8080/hook", false).ok());
  EXPECT_TRUE(ValidateCallbackUrl("http://localhost/hook", false).ok());
  EXPECT_TRUE(ValidateCallbackUrl("http://[::1]:9/h", false).ok());
  EXPECT_TRUE(ValidateCallbackUrl("http://buyer.example/h", true).ok());
  for (const char* bad :
       {"http://buyer.example/hook", "http://127.0.0.1@evil.example/",
        "ftp://x/", "https:///nohost", "https://a b/", "buyer.example"}) {
    absl::Status refused = ValidateCallbackUrl(bad, false);
    EXPECT_TRUE(absl::IsInvalidArgument(refused)) << bad;
    EXPECT_TRUE(absl::StartsWith(refused.message(), "watchlist.callback_url: "))
        << refused;
  }
}

TEST_F(WatchlistsTest, ChangesAreQueuedInOrderRetriedAndDead) {
  absl::StatusOr<v1::Watchlist> created =
      watchlists().Create("buyer", ForHaier());
  ASSERT_TRUE(created.ok()) << created.status();
  Suspend();
  Reinstate();
  absl::StatusOr<int> queued = watchlists().QueueChanges(100);
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_EQ(*queued, 2);
  EXPECT_EQ(*watchlists().QueueChanges(100), 0);  // nothing new

  // Only the head of the queue is due: in order.
  auto due = watchlists().DueDeliveries(now_);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 1u);
  v1::WebhookDelivery first = (*due)[0].delivery;
  EXPECT_EQ((*due)[0].callback_url, "https://buyer.example/h");
  EXPECT_EQ(first.change().statement_kind(), v1::STATEMENT_KIND_SUSPEND);

  // A failed attempt waits for its retry.
  first.set_attempts(1);
  first.set_last_error("HTTP 503");
  first.set_next_attempt_unix_millis(
      absl::ToUnixMillis(now_ + absl::Minutes(1)));
  ASSERT_TRUE(watchlists().Record(first).ok());
  EXPECT_TRUE(watchlists().DueDeliveries(now_)->empty());
  EXPECT_EQ(watchlists().DueDeliveries(now_ + absl::Minutes(2))->size(), 1u);

  // Dead: the next change goes.
  first.set_state(v1::DELIVERY_STATE_DEAD);
  ASSERT_TRUE(watchlists().Record(first).ok());
  due = watchlists().DueDeliveries(now_);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].delivery.change().statement_kind(),
            v1::STATEMENT_KIND_REINSTATE);
  EXPECT_NE((*due)[0].delivery.id(), first.id());

  // Replayed: the same id again, after the reinstatement.
  auto pending_replay = watchlists().Replay("buyer", created->id(), first.id());
  ASSERT_TRUE(pending_replay.ok()) << pending_replay.status();
  EXPECT_EQ(pending_replay->id(), first.id());
  auto listed = watchlists().Deliveries("buyer", created->id(),
                                        v1::DELIVERY_STATE_UNSPECIFIED, 10);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id(), first.id());  // the latest first
  EXPECT_EQ((*listed)[0].state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      watchlists().Replay("buyer", created->id(), first.id()).status()));
}

TEST_F(WatchlistsTest, OwnersSeeOnlyTheirOwnWithinTheirLimit) {
  absl::StatusOr<v1::Watchlist> created =
      watchlists().Create("buyer", ForHaier());
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(watchlists().List("buyer")->size(), 1u);
  EXPECT_TRUE(watchlists().List("other")->empty());
  EXPECT_TRUE(absl::IsNotFound(watchlists().Delete("other", created->id())));
  EXPECT_TRUE(absl::IsNotFound(
      watchlists()
          .Deliveries("other", created->id(), v1::DELIVERY_STATE_UNSPECIFIED, 1)
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      watchlists().Create("buyer", v1::Watchlist()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      watchlists()
          .Create("buyer", ForHaier("http://buyer.example/"))
          .status()));
  for (int i = 1; i < WatchlistLimits().max_per_owner; ++i) {
    ASSERT_TRUE(watchlists().Create("buyer", ForHaier()).ok());
  }
  EXPECT_TRUE(absl::IsResourceExhausted(
      watchlists().Create("buyer", ForHaier()).status()));
  ASSERT_TRUE(watchlists().Delete("buyer", created->id()).ok());
  EXPECT_TRUE(watchlists().Create("buyer", ForHaier()).ok());
}

}  // namespace
}  // namespace certreg
