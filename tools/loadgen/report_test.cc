#include "tools/loadgen/report.h"

#include <cmath>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg::loadgen {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunSettings ClosedLoop() {
  RunSettings settings;
  settings.mode = ModeDescription(0, 4, 16);
  settings.registry = "127.0.0.1:56101";
  settings.duration_seconds = 2;
  settings.warmup_seconds = 1;
  settings.channels = 4;
  settings.concurrency = 16;
  settings.view = "basic";
  settings.max_outstanding = 10000;
  settings.weights = OpWeights{1, 0, 0, 0, 0};
  return settings;
}

// Four lookups of 1, 2, 3 and 4 ms and one NOT_FOUND.
RunFigures Lookups() {
  RunFigures figures;
  OpStats& get = figures.results[kGet];
  for (int ms = 1; ms <= 4; ++ms) get.latency.Record(ms * 1'000'000);
  get.ok = 4;
  get.errors["NOT_FOUND"] = 1;
  return figures;
}

TEST(ModeDescriptionTest, ClosedAndOpenLoop) {
  EXPECT_EQ(ModeDescription(0, 4, 16),
            "closed loop, 4 channels x 16 outstanding = 64 in flight");
  EXPECT_EQ(ModeDescription(2500, 2, 16),
            "open loop at 2500.0 requests/s over 2 channels");
}

// tools/benchmark/ reads these fields: their names and form are fixed.
TEST(ReportJsonTest, EveryFigureOfTheRun) {
  RunFigures figures = Lookups();
  figures.cpu_names = {"loadgen", "registry"};
  figures.cpu_used = {0.5, std::nan("")};
  EXPECT_EQ(
      ReportJson(ClosedLoop(), figures),
      "{\"duration_s\":2,\"warmup_s\":1,\"mode\":\"closed\",\"rate\":0,"
      "\"channels\":4,\"concurrency\":16,\"view\":\"basic\",\"dropped\":0,"
      "\"writes_exhausted\":0,\"write_batch\":1,"
      "\"total\":{\"ops\":5,\"ok\":4,\"ops_per_s\":2.5,\"errors\":1,"
      "\"errors_by_code\":{\"NOT_FOUND\":1},\"mean_ms\":2.500,"
      "\"p50_ms\":2.003,\"p90_ms\":4.000,\"p99_ms\":4.000,"
      "\"p99_9_ms\":4.000,\"max_ms\":4.000},"
      "\"by_op\":{\"get\":{\"ops\":5,\"ok\":4,\"ops_per_s\":2.5,\"errors\":1,"
      "\"errors_by_code\":{\"NOT_FOUND\":1},\"mean_ms\":2.500,"
      "\"p50_ms\":2.003,\"p90_ms\":4.000,\"p99_ms\":4.000,"
      "\"p99_9_ms\":4.000,\"max_ms\":4.000}},"
      "\"cpu\":{\"loadgen\":{\"cpu_s\":0.500,\"cores\":0.250,"
      "\"us_per_request\":100000.000},"
      "\"registry\":{\"cpu_s\":null,\"cores\":null,\"us_per_request\":null}}}");
}

TEST(ReportJsonTest, OpenLoopHasNoConcurrency) {
  RunSettings settings = ClosedLoop();
  settings.rate = 1500;
  const std::string json = ReportJson(settings, Lookups());
  EXPECT_THAT(json, HasSubstr("\"mode\":\"open\",\"rate\":1500,"));
  EXPECT_THAT(json, HasSubstr("\"concurrency\":0,"));
  EXPECT_THAT(json, HasSubstr("\"cpu\":{}}"));
}

TEST(WriteReportTest, TableThenNotesThenJson) {
  RunSettings settings = ClosedLoop();
  RunFigures figures = Lookups();
  figures.dropped = 3;
  figures.cpu_names = {"loadgen", "registry"};
  figures.cpu_used = {0.5, std::nan("")};
  std::ostringstream out;
  WriteReport(settings, figures, out);
  EXPECT_EQ(
      out.str(),
      "certreg-loadgen: closed loop, 4 channels x 16 outstanding = 64 in "
      "flight\n"
      "registry 127.0.0.1:56101; 2 s measured after 1 s warmup; latency of "
      "successful requests in ms\n"
      "op          count  errors      ops/s       p50       p90       p99     "
      "p99.9       max\n"
      "get             5       1        2.5     2.003     4.000     4.000     "
      "4.000     4.000\n"
      "total           5       1        2.5     2.003     4.000     4.000     "
      "4.000     4.000\n"
      "errors: get NOT_FOUND x1\n"
      "dropped: 3 requests not sent (--max_outstanding=10000 in flight, or "
      "writes exhausted); they are not in count\n"
      "cpu per request over the measured window: loadgen 100000.0 us (0.25 "
      "cores), registry not measured (it ended, or no request completed)\n"
      "JSON: " +
          ReportJson(settings, figures) + "\n");
}

TEST(WriteReportTest, WritesInCallsOfManyAndRunningOut) {
  RunSettings settings = ClosedLoop();
  settings.verifier = "127.0.0.1:56102";
  settings.weights = OpWeights{0, 0, 0, 0, 1};
  settings.write_batch = 32;
  RunFigures figures;
  figures.results[kWrite].ok = 10;
  figures.results[kWrite].latency.Record(5'000'000);
  figures.writes_exhausted = 2;
  figures.presigned_writes = 320;
  std::ostringstream out;
  WriteReport(settings, figures, out);
  EXPECT_THAT(out.str(), HasSubstr("registry 127.0.0.1:56101, verifier "
                                   "127.0.0.1:56102; 2 s measured"));
  EXPECT_THAT(out.str(), HasSubstr("\nwrite          10       0        5.0"));
  EXPECT_THAT(out.str(),
              HasSubstr("\nwrites: 32 statements per request: 160.0 "
                        "statements/s\n"
                        "writes: the 320 pre-signed statements ran out; raise "
                        "--write_count\n"));
  EXPECT_THAT(out.str(), Not(HasSubstr("\nget ")));
  EXPECT_THAT(out.str(), Not(HasSubstr("cpu per request")));
}

TEST(WriteReportTest, NoLatencyWithoutASuccess) {
  RunFigures figures;
  figures.results[kGet].errors["UNAVAILABLE"] = 2;
  std::ostringstream out;
  WriteReport(ClosedLoop(), figures, out);
  EXPECT_THAT(out.str(),
              HasSubstr("\nget             2       2        1.0         -      "
                        "   -         -         -         -\n"));
}

}  // namespace
}  // namespace certreg::loadgen
