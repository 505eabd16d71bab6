#include "registry/log/commit_queue.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(CommitQueueTest, OneSyncServesEveryWriteQueuedBeforeIt) {
  std::atomic<int> syncs{0};
  absl::Notification first_sync_started;
  absl::Notification release_first_sync;
  std::atomic<int> applied{0};
  std::atomic<int> durable_seen_by_sync{0};
  CommitQueue commits([&] {
    durable_seen_by_sync = applied.load();
    if (++syncs == 1) {
      first_sync_started.Notify();
      release_first_sync.WaitForNotification();
    }
    return absl::OkStatus();
  });
  // Write 1 starts a sync that blocks.
  applied = 1;
  absl::Notification first_done;
  commits.WhenDurable([&](absl::Status status) {
    EXPECT_TRUE(status.ok());
    first_done.Notify();
  });
  first_sync_started.WaitForNotification();
  // Writes 2..9 arrive while it runs: none is acknowledged by it.
  std::atomic<int> later_done{0};
  for (int write = 2; write <= 9; ++write) {
    applied = write;
    commits.WhenDurable([&](absl::Status status) {
      EXPECT_TRUE(status.ok());
      // Only a sync that started after this write was applied may ack it.
      EXPECT_EQ(durable_seen_by_sync.load(), 9);
      ++later_done;
    });
  }
  EXPECT_EQ(later_done.load(), 0);
  release_first_sync.Notify();
  first_done.WaitForNotification();
  // One more sync covers all eight.
  EXPECT_TRUE(commits.WaitDurable().ok());
  EXPECT_EQ(later_done.load(), 8);
  EXPECT_LE(syncs.load(), 3);
}

TEST(CommitQueueTest, ASyncErrorIsFinal) {
  std::atomic<bool> fail{true};
  CommitQueue commits([&] {
    return fail ? absl::UnavailableError("fsync: I/O error") : absl::OkStatus();
  });
  absl::Status status = commits.WaitDurable();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "fsync: I/O error");
  EXPECT_EQ(commits.failure(), status);
  // A later sync could succeed although the kernel dropped what the failed
  // one covered: the queue never syncs again, every later write fails.
  fail = false;
  EXPECT_EQ(commits.WaitDurable(), status);
  EXPECT_EQ(commits.WaitDurable(), status);
}

TEST(CommitQueueTest, ManyWritersShareFewSyncs) {
  std::atomic<int> syncs{0};
  CommitQueue commits([&] {
    ++syncs;
    absl::SleepFor(absl::Milliseconds(2));  // a slow disk
    return absl::OkStatus();
  });
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (commits.WaitDurable().ok()) ++acknowledged;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(acknowledged.load(), 400);
  EXPECT_LT(syncs.load(), 400);
}

TEST(CommitQueueTest, DestructionSyncsForWhatIsQueued) {
  std::atomic<int> called{0};
  absl::Notification release;
  {
    CommitQueue commits([&] {
      release.WaitForNotification();
      return absl::OkStatus();
    });
    for (int i = 0; i < 5; ++i) {
      commits.WhenDurable([&](absl::Status status) {
        EXPECT_TRUE(status.ok());
        ++called;
      });
    }
    release.Notify();
  }
  EXPECT_EQ(called.load(), 5);
}

}  // namespace
}  // namespace certreg
