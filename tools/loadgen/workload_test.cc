#include "tools/loadgen/workload.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg::loadgen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A file of `text` in the test's temporary directory.
std::string WriteFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path =
      std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ReadListFileTest, OneEntryALineWithoutBlanksOrComments) {
  const std::string path =
      WriteFile("queries.txt", "\xEF\xBB\xBF青岛\n\n  # a comment\n 软件 \n");
  absl::StatusOr<std::vector<std::string>> entries =
      ReadListFile(path, "queries_file", false);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, ElementsAre("青岛", "软件"));
}

TEST(ReadListFileTest, TheFirstColumnOfACertregCsv) {
  const std::string path =
      WriteFile("certificates.csv",
                "\xEF\xBB\xBFnumber,type,holder_name\n"
                "00226Q21540R2M,management_system,\"青岛,海岳\"\n"
                "\"00226Q21541R0S\",management_system,x\n"
                ",service,no number\n");
  absl::StatusOr<std::vector<std::string>> entries =
      ReadListFile(path, "numbers_file", true);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, ElementsAre("00226Q21540R2M", "00226Q21541R0S"));
}

TEST(ReadListFileTest, AListOfNumbersWithoutHeader) {
  const std::string path = WriteFile("numbers.txt", "A1\nB2\n");
  absl::StatusOr<std::vector<std::string>> entries =
      ReadListFile(path, "numbers_file", true);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, ElementsAre("A1", "B2"));
}

TEST(ReadListFileTest, ErrorsNameTheFlag) {
  absl::StatusOr<std::vector<std::string>> missing =
      ReadListFile("/nonexistent/list", "numbers_file", true);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(),
            "--numbers_file: cannot read /nonexistent/list");
  const std::string path = WriteFile("empty.txt", "number\n# none\n\n");
  absl::StatusOr<std::vector<std::string>> empty =
      ReadListFile(path, "numbers_file", true);
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("has no entries"));
}

Workload TestWorkload() {
  Workload workload;
  workload.numbers = {"N1", "N2", "N3"};
  workload.queries = {"Q1", "Q2"};
  workload.view = v1::CERTIFICATE_VIEW_BASIC;
  workload.batch_size = 5;
  for (int i = 0; i < 4; ++i) {
    v1::SignedStatement statement;
    statement.set_statement(std::string(1, static_cast<char>('a' + i)));
    workload.writes.push_back(statement);
  }
  return workload;
}

TEST(WorkloadTest, RequestsDrawFromTheWorkload) {
  const Workload workload = TestWorkload();
  std::mt19937_64 rng(1);
  const std::set<std::string> numbers(workload.numbers.begin(),
                                      workload.numbers.end());
  v1::GetCertificateRequest lookup;
  FillLookup(workload, rng, &lookup);
  EXPECT_EQ(numbers.count(lookup.number()), 1u);
  EXPECT_EQ(lookup.view(), v1::CERTIFICATE_VIEW_BASIC);
  v1::SearchCertificatesRequest search;
  FillSearch(workload, rng, &search);
  EXPECT_TRUE(search.query() == "Q1" || search.query() == "Q2");
  v1::VerifyRequest verify;
  FillVerify(workload, rng, &verify);
  EXPECT_EQ(numbers.count(verify.claim().certificate_number()), 1u);
  v1::BatchVerifyRequest batch;
  FillBatchVerify(workload, rng, &batch);
  ASSERT_EQ(batch.claims_size(), 5);
  for (const auto& claim : batch.claims()) {
    EXPECT_EQ(numbers.count(claim.certificate_number()), 1u);
  }
}

TEST(WorkloadTest, EveryNumberIsLookedUpInTime) {
  const Workload workload = TestWorkload();
  std::mt19937_64 rng(1);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(RandomNumber(workload, rng));
  EXPECT_EQ(seen.size(), 3u);
}

TEST(WorkloadTest, WritesAreThePreSignedStatementsInOrder) {
  const Workload workload = TestWorkload();
  v1::SubmitStatementRequest one;
  FillIssue(workload, 2, &one);
  EXPECT_EQ(one.signed_statement().statement(), "c");
  v1::SubmitStatementsRequest many;
  FillSubmitMany(workload, 1, 3, &many);
  ASSERT_EQ(many.signed_statements_size(), 3);
  EXPECT_EQ(many.signed_statements(0).statement(), "b");
  EXPECT_EQ(many.signed_statements(2).statement(), "d");
}

TEST(WorkloadTest, WhatTheOperationsNeed) {
  Workload workload;
  workload.weights = OpWeights{0, 1, 0, 0, 1};
  EXPECT_FALSE(workload.NeedsNumbers());
  EXPECT_FALSE(workload.NeedsVerifier());
  workload.weights = OpWeights{1, 0, 0, 0, 0};
  EXPECT_TRUE(workload.NeedsNumbers());
  EXPECT_FALSE(workload.NeedsVerifier());
  workload.weights = OpWeights{0, 0, 0, 1, 0};
  EXPECT_TRUE(workload.NeedsNumbers());
  EXPECT_TRUE(workload.NeedsVerifier());
}

TEST(DefaultQueriesTest, FragmentsOfTwoToFourCharacters) {
  const std::vector<std::string>& queries = DefaultQueries();
  EXPECT_EQ(queries.size(), 49u);
  for (const std::string& q : queries) {
    // Three bytes a character in UTF-8.
    EXPECT_GE(q.size(), 6u) << q;
    EXPECT_LE(q.size(), 12u) << q;
  }
}

}  // namespace
}  // namespace certreg::loadgen
