#include "tools/cli/certctl_import_queue.h"

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

ImportGroup GroupOfRows(int64_t first, int count) {
  ImportGroup group;
  for (int i = 0; i < count; ++i) {
    ImportJob job;
    job.row = first + i;
    group.jobs.push_back(job);
  }
  group.bytes_read = 100 * (first + count);
  return group;
}

TEST(ImportQueueTest, FirstInFirstOut) {
  ImportQueue queue(4);
  queue.Push(GroupOfRows(1, 2));
  queue.Push(GroupOfRows(3, 1));
  std::optional<ImportGroup> first = queue.Pop();
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->jobs.size(), 2u);
  EXPECT_EQ(first->jobs[0].row, 1);
  EXPECT_EQ(first->bytes_read, 300);
  std::optional<ImportGroup> second = queue.Pop();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->jobs[0].row, 3);
}

TEST(ImportQueueTest, ClosedAndEmptyGivesNothing) {
  ImportQueue queue(2);
  queue.Push(GroupOfRows(1, 1));
  queue.Close();
  EXPECT_TRUE(queue.Pop().has_value());
  EXPECT_FALSE(queue.Pop().has_value());
  EXPECT_FALSE(queue.Pop().has_value());
}

TEST(ImportQueueTest, APopWaitsForAGroup) {
  ImportQueue queue(2);
  std::optional<ImportGroup> popped;
  std::thread worker([&] { popped = queue.Pop(); });
  absl::SleepFor(absl::Milliseconds(20));
  queue.Push(GroupOfRows(9, 1));
  worker.join();
  ASSERT_TRUE(popped.has_value());
  EXPECT_EQ(popped->jobs[0].row, 9);
}

TEST(ImportQueueTest, APushWaitsWhileItIsFull) {
  ImportQueue queue(1);
  queue.Push(GroupOfRows(1, 1));
  absl::Notification pushed;
  std::thread reader([&] {
    queue.Push(GroupOfRows(2, 1));
    pushed.Notify();
  });
  EXPECT_FALSE(pushed.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  EXPECT_EQ(queue.Pop()->jobs[0].row, 1);
  pushed.WaitForNotification();
  reader.join();
  EXPECT_EQ(queue.Pop()->jobs[0].row, 2);
}

TEST(ImportQueueTest, EveryGroupReachesOneWorker) {
  ImportQueue queue(3);
  std::atomic<int64_t> rows{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      while (std::optional<ImportGroup> group = queue.Pop()) {
        for (const ImportJob& job : group->jobs) rows += job.row;
      }
    });
  }
  int64_t expected = 0;
  for (int64_t i = 1; i <= 200; ++i) {
    queue.Push(GroupOfRows(i, 1));
    expected += i;
  }
  queue.Close();
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(rows.load(), expected);
}

}  // namespace
}  // namespace certreg
