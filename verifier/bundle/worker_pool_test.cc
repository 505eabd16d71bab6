#include "verifier/bundle/worker_pool.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnAtMostItsThreads) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> done{0};
  {
    WorkerPool pool(3);
    EXPECT_EQ(pool.size(), 3);
    // Many callers at once.
    std::vector<std::thread> callers;
    for (int c = 0; c < 8; ++c) {
      callers.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          pool.Schedule([&] {
            const int now = ++running;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::microseconds(100));
            --running;
            ++done;
          });
        }
      });
    }
    for (std::thread& caller : callers) caller.join();
  }  // the destructor runs what is still queued
  EXPECT_EQ(done.load(), 400);
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 2);
}

TEST(WorkerPoolTest, RunsTasksInTheOrderScheduledOnOneThread) {
  std::vector<int> order;
  absl::Notification finished;
  {
    WorkerPool pool(1);
    for (int i = 0; i < 5; ++i)
      pool.Schedule([&order, i] { order.push_back(i); });
    pool.Schedule([&] { finished.Notify(); });
    finished.WaitForNotification();
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(WorkerPoolTest, ScheduleFirstGoesAheadOfTheQueue) {
  std::vector<int> order;
  absl::Notification release;
  absl::Notification finished;
  {
    WorkerPool pool(1);
    // The one worker is held while the queue fills.
    pool.Schedule([&] { release.WaitForNotification(); });
    for (int i = 0; i < 3; ++i)
      pool.Schedule([&order, i] { order.push_back(i); });
    pool.ScheduleFirst([&order] { order.push_back(-1); });
    pool.Schedule([&] { finished.Notify(); });
    release.Notify();
    finished.WaitForNotification();
  }
  EXPECT_EQ(order, (std::vector<int>{-1, 0, 1, 2}));
}

TEST(WorkerPoolTest, HasAtLeastOneThread) {
  WorkerPool pool(0);
  EXPECT_EQ(pool.size(), 1);
  absl::Notification ran;
  pool.Schedule([&] { ran.Notify(); });
  EXPECT_TRUE(ran.WaitForNotificationWithTimeout(absl::Seconds(30)));
}

}  // namespace
}  // namespace certreg
