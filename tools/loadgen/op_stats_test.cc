#include "tools/loadgen/op_stats.h"

#include <chrono>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace certreg::loadgen {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(OpStatsTest, MergeAddsRequestsAndErrorsByCode) {
  OpStats a;
  a.ok = 2;
  a.latency.Record(1000);
  a.latency.Record(3000);
  a.errors["NOT_FOUND"] = 1;
  OpStats b;
  b.ok = 1;
  b.latency.Record(2000);
  b.errors["NOT_FOUND"] = 2;
  b.errors["UNAVAILABLE"] = 1;
  a.Merge(b);
  EXPECT_EQ(a.ok, 3u);
  EXPECT_EQ(a.error_count(), 4u);
  EXPECT_EQ(a.requests(), 7u);
  EXPECT_EQ(a.latency.count(), 3u);
  EXPECT_THAT(a.errors,
              ElementsAre(Pair("NOT_FOUND", 3u), Pair("UNAVAILABLE", 1u)));
}

TEST(CodeNameTest, AsAbslSpellsThem) {
  EXPECT_EQ(CodeName(grpc::StatusCode::DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  EXPECT_EQ(CodeName(grpc::StatusCode::NOT_FOUND), "NOT_FOUND");
}

TEST(RecorderTest, LatencyOfSuccessesAndCodesOfFailures) {
  Recorder recorder;
  recorder.Record(0, kGet, std::chrono::milliseconds(2), grpc::Status::OK);
  recorder.Record(5, kGet, std::chrono::milliseconds(4), grpc::Status::OK);
  recorder.Record(17, kSearch, std::chrono::milliseconds(1),
                  grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  const RunResults results = recorder.Collect();
  EXPECT_EQ(results[kGet].ok, 2u);
  EXPECT_EQ(results[kGet].latency.max(), 4'000'000);
  EXPECT_EQ(results[kGet].latency.min(), 2'000'000);
  EXPECT_EQ(results[kSearch].ok, 0u);
  EXPECT_EQ(results[kSearch].latency.count(), 0u);
  EXPECT_THAT(results[kSearch].errors, ElementsAre(Pair("UNAVAILABLE", 1u)));
  EXPECT_EQ(results[kWrite].requests(), 0u);
}

TEST(RecorderTest, RecordsFromManyThreadsAtOnce) {
  Recorder recorder;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&recorder, t] {
      for (int i = 0; i < 1000; ++i) {
        recorder.Record(t * 1000 + i, kVerify, std::chrono::microseconds(i),
                        grpc::Status::OK);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(recorder.Collect()[kVerify].ok, 8000u);
}

}  // namespace
}  // namespace certreg::loadgen
