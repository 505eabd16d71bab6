#include "tools/common/process_cpu.h"

#include <unistd.h>

#include <chrono>
#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

TEST(CpuTicksFromProcStatTest, CountsFieldsAfterTheLastParenthesis) {
  // A command name with a space and a ')' of its own, as a thread or a
  // program may be named.
  constexpr char kStat[] =
      "4242 (a b) c) S 1 4242 4242 0 -1 4194560 120 0 0 0 250 31 0 0 20 0 "
      "3 0 1000 10000000 500 18446744073709551615\n";
  absl::StatusOr<unsigned long long> ticks = CpuTicksFromProcStat(kStat);
  ASSERT_TRUE(ticks.ok()) << ticks.status();
  EXPECT_EQ(*ticks, 281u);
}

TEST(CpuTicksFromProcStatTest, RefusesTextWithoutTheFields) {
  EXPECT_FALSE(CpuTicksFromProcStat("4242 no name here").ok());
  EXPECT_FALSE(CpuTicksFromProcStat("4242 (short) S 1 2 3").ok());
  EXPECT_FALSE(
      CpuTicksFromProcStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 2 0").ok());
}

TEST(ProcessCpuSecondsTest, GrowsWhileThisProcessComputes) {
  absl::StatusOr<double> before = ProcessCpuSeconds(getpid());
  ASSERT_TRUE(before.ok()) << before.status();
  // Spin until the kernel has counted at least a few ticks of CPU.
  volatile uint64_t sink = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  absl::StatusOr<double> after = before;
  while (after.ok() && *after < *before + 0.05 &&
         std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 1000000; ++i) sink = sink + i;
    after = ProcessCpuSeconds(getpid());
  }
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(*after, *before + 0.05);
}

TEST(ProcessCpuSecondsTest, NamesAProcessThatDoesNotExist) {
  // Above the kernel's largest pid_max (2^22).
  absl::StatusOr<double> cpu = ProcessCpuSeconds(5000000);
  EXPECT_EQ(cpu.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(cpu.status().message(), HasSubstr("5000000"));
}

TEST(ParseWatchedProcessesTest, ReadsNamesAndPids) {
  absl::StatusOr<std::vector<WatchedProcess>> watched =
      ParseWatchedProcesses("registry=12,verifier-2=345", "cpu_pids");
  ASSERT_TRUE(watched.ok()) << watched.status();
  ASSERT_EQ(watched->size(), 2u);
  EXPECT_EQ((*watched)[0].name, "registry");
  EXPECT_EQ((*watched)[0].pid, 12);
  EXPECT_EQ((*watched)[1].name, "verifier-2");
  EXPECT_EQ((*watched)[1].pid, 345);
  EXPECT_TRUE(ParseWatchedProcesses("", "cpu_pids")->empty());
}

TEST(ParseWatchedProcessesTest, NamesTheItemAtFault) {
  struct Case {
    const char* text;
    const char* problem;
  };
  for (const Case& c : {Case{"12", "\"12\" has no process id"},
                        Case{"=12", "\"=12\" has no name"},
                        Case{"registry=x", "\"registry=x\" has no process id"},
                        Case{"registry=-3", "has no process id"},
                        Case{"a b=3", "\"a b=3\" has a name other than"},
                        Case{"r=1,r=2", "\"r=2\" repeats a name"}}) {
    absl::StatusOr<std::vector<WatchedProcess>> watched =
        ParseWatchedProcesses(c.text, "cpu_pids");
    EXPECT_EQ(watched.status().code(), absl::StatusCode::kInvalidArgument)
        << c.text;
    EXPECT_THAT(watched.status().message(), HasSubstr("--cpu_pids")) << c.text;
    EXPECT_THAT(watched.status().message(), HasSubstr(c.problem)) << c.text;
  }
}

}  // namespace
}  // namespace certreg
