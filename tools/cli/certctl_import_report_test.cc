#include "tools/cli/certctl_import_report.h"

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

TEST(ImportReportTest, AFailedRowIsALine) {
  std::ostringstream errors;
  ImportReport report(&errors, 1000, nullptr);
  report.Failed(8, 7, "90126Q21540R2M", "credit_code: check character is 'X'");
  report.Failed(10, 8, "", "number: empty");
  EXPECT_EQ(errors.str(),
            "line 8 (row 7, 90126Q21540R2M): credit_code: check character "
            "is 'X'\n"
            "line 10 (row 8): number: empty\n");
  EXPECT_TRUE(report.AnyFailed());
}

TEST(ImportReportTest, TheSummaryCountsEveryOutcome) {
  std::ostringstream errors;
  ImportReport report(&errors, 1000, nullptr);
  for (int i = 0; i < 5; ++i) report.Read();
  report.Imported();
  report.Imported();
  report.Completed();
  report.Skipped();
  EXPECT_FALSE(report.AnyFailed());
  report.Failed(6, 5, "N", "m");
  EXPECT_THAT(report.SummaryText(),
              MatchesRegex("import: 5 rows read, 2 imported, 1 completed "
                           "\\(resumed\\), 1 already there, 1 failed "
                           "\\([0-9]+\\.[0-9]s\\)\n"));
}

TEST(ImportReportTest, OneRow) {
  std::ostringstream errors;
  ImportReport report(&errors, 1000, nullptr);
  report.Read();
  EXPECT_THAT(report.SummaryText(), StartsWith("import: 1 row read, "));
}

TEST(ImportReportTest, NoProgressLineOffATerminal) {
  std::ostringstream errors;
  ImportReport report(&errors, 1000, nullptr);
  report.Progress(500, /*final=*/true);
  EXPECT_EQ(errors.str(), "");
}

TEST(ImportReportTest, TheProgressLineShowsTheFurthestPoint) {
  std::ostringstream progress;
  ImportReport report(&progress, 1000, &progress);
  report.Imported();
  report.Progress(500);
  EXPECT_THAT(progress.str(),
              StartsWith("\r[###############...............]  50.0% 1 row, "));
  EXPECT_THAT(progress.str(), ContainsRegex("rows/s, ETA [0-9]+s\033\\[K$"));
  progress.str("");
  // A group that finished late does not move the line back.
  report.Progress(250, /*final=*/true);
  EXPECT_THAT(progress.str(), StartsWith("\r[###############..."));
  EXPECT_THAT(progress.str(), HasSubstr(" 50.0% "));
  EXPECT_THAT(progress.str(), testing::EndsWith("\033[K\n"));
  progress.str("");
  report.Progress(1000, /*final=*/true);
  EXPECT_THAT(progress.str(),
              StartsWith("\r[##############################] 100.0% "));
  EXPECT_THAT(progress.str(), HasSubstr("ETA -"));
}

TEST(ImportReportTest, AFailedRowClearsTheProgressLineItIsWrittenOver) {
  std::ostringstream stderr_like;
  ImportReport report(&stderr_like, 1000, &stderr_like);
  report.Failed(4, 3, "N", "m");
  EXPECT_EQ(stderr_like.str(), "\r\033[Kline 4 (row 3, N): m\n");
}

TEST(ImportReportTest, WorkersReportAtOnce) {
  std::ostringstream errors;
  ImportReport report(&errors, 1000, nullptr);
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&report] {
      for (int i = 0; i < 100; ++i) {
        report.Read();
        report.Imported();
      }
      report.Failed(2, 1, "N", "m");
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_THAT(report.SummaryText(),
              StartsWith("import: 400 rows read, 400 imported, 0 completed "
                         "(resumed), 0 already there, 4 failed"));
  // Whole lines, never interleaved.
  EXPECT_EQ(errors.str(),
            "line 2 (row 1, N): m\nline 2 (row 1, N): m\nline 2 (row 1, N): m\n"
            "line 2 (row 1, N): m\n");
}

}  // namespace
}  // namespace certreg
