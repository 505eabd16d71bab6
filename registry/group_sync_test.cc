#include "registry/group_sync.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(GroupSyncTest, OneSyncServesEveryWriteAppliedBeforeIt) {
  std::atomic<uint64_t> applied{0};
  std::atomic<int> syncs{0};
  absl::Notification first_sync_started;
  absl::Notification release_first_sync;
  GroupSync group([&] { return applied.load(); },
                  [&] {
                    if (++syncs == 1) {
                      first_sync_started.Notify();
                      release_first_sync.WaitForNotification();
                    }
                    return absl::OkStatus();
                  });
  // Write 1 starts a sync that blocks.
  applied = 1;
  std::thread first([&] { EXPECT_TRUE(group.WaitDurable(1).ok()); });
  first_sync_started.WaitForNotification();
  // Writes 2..9 arrive while it runs: they wait for the next sync.
  std::vector<std::thread> later;
  for (uint64_t ticket = 2; ticket <= 9; ++ticket) {
    applied = ticket;
    later.emplace_back(
        [&, ticket] { EXPECT_TRUE(group.WaitDurable(ticket).ok()); });
  }
  absl::SleepFor(absl::Milliseconds(50));
  release_first_sync.Notify();
  first.join();
  for (std::thread& t : later) t.join();
  // The first sync covered write 1; a single second one covered 2..9.
  EXPECT_EQ(syncs.load(), 2);
  // Already durable: no sync at all.
  EXPECT_TRUE(group.WaitDurable(5).ok());
  EXPECT_EQ(syncs.load(), 2);
}

TEST(GroupSyncTest, AFailedSyncIsReportedAndRetriedByTheNextCaller) {
  std::atomic<int> syncs{0};
  GroupSync group([] { return uint64_t{3}; },
                  [&] {
                    return ++syncs == 1 ? absl::UnavailableError("disk full")
                                        : absl::OkStatus();
                  });
  EXPECT_EQ(group.WaitDurable(3).code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(group.WaitDurable(3).ok());
  EXPECT_EQ(syncs.load(), 2);
}

TEST(GroupSyncTest, ManyWritersNeedFewerSyncsThanWrites) {
  std::atomic<uint64_t> applied{0};
  std::atomic<int> syncs{0};
  GroupSync group([&] { return applied.load(); },
                  [&] {
                    ++syncs;
                    absl::SleepFor(absl::Milliseconds(2));
                    return absl::OkStatus();
                  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        EXPECT_TRUE(group.WaitDurable(++applied).ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_LE(syncs.load(), 160);
  EXPECT_GE(syncs.load(), 1);
}

}  // namespace
}  // namespace certreg
