#include "tools/loadgen/engine.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "certreg/v1/verifier.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tools/loadgen/channels.h"
#include "tools/loadgen/op_stats.h"
#include "tools/loadgen/operation.h"
#include "tools/loadgen/workload.h"

namespace certreg::loadgen {
namespace {

using ::testing::ElementsAre;
using ::testing::Gt;
using ::testing::Pair;

// A registry that knows every number but "missing", answers after `delay`,
// and refuses statements whose bytes are "refused".
class FakeRegistry : public v1::RegistryService::Service {
 public:
  std::chrono::milliseconds delay{0};
  std::atomic<int> statements{0};
  std::atomic<int> streams{0};
  std::atomic<int> searches{0};

  grpc::Status GetCertificate(grpc::ServerContext*,
                              const v1::GetCertificateRequest* request,
                              v1::GetCertificateResponse* response) override {
    std::this_thread::sleep_for(delay);
    if (request->number() == "missing") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such number");
    }
    response->mutable_certificate()->set_number(request->number());
    return grpc::Status::OK;
  }

  grpc::Status LookupCertificates(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::CertificateLookup,
                               v1::GetCertificateRequest>* stream) override {
    ++streams;
    v1::GetCertificateRequest request;
    while (stream->Read(&request)) {
      v1::CertificateLookup answer;
      if (request.number() == "missing") {
        answer.set_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
      }
      stream->Write(answer);
    }
    return grpc::Status::OK;
  }

  grpc::Status SearchCertificates(grpc::ServerContext*,
                                  const v1::SearchCertificatesRequest*,
                                  v1::SearchCertificatesResponse*) override {
    ++searches;
    return grpc::Status::OK;
  }

  grpc::Status IssueCertificate(grpc::ServerContext*,
                                const v1::SubmitStatementRequest*,
                                v1::StatementReceipt*) override {
    ++statements;
    return grpc::Status::OK;
  }

  grpc::Status SubmitStatements(
      grpc::ServerContext*, const v1::SubmitStatementsRequest* request,
      v1::SubmitStatementsResponse* response) override {
    for (const v1::SignedStatement& s : request->signed_statements()) {
      ++statements;
      v1::SubmitStatementResult* result = response->add_results();
      if (s.statement() == "refused") {
        result->set_code(static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
      }
    }
    return grpc::Status::OK;
  }
};

class FakeVerifier : public v1::VerifierService::Service {
 public:
  grpc::Status Verify(grpc::ServerContext*, const v1::VerifyRequest*,
                      v1::VerifyResponse*) override {
    return grpc::Status::OK;
  }
  grpc::Status BatchVerify(grpc::ServerContext*,
                           const v1::BatchVerifyRequest* request,
                           v1::BatchVerifyResponse*) override {
    return request->claims_size() == 3
               ? grpc::Status::OK
               : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "size");
  }
};

// 0.1 s of warmup, 0.3 s measured.
Engine::Options Quick() {
  Engine::Options options;
  options.warmup = std::chrono::milliseconds(100);
  options.duration = std::chrono::milliseconds(300);
  return options;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&registry_);
    builder.RegisterService(&verifier_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = absl::StrCat("127.0.0.1:", port);
    workload_.numbers = {"A1", "B2", "C3"};
    workload_.queries = {"青岛"};
    workload_.batch_size = 3;
  }

  void TearDown() override { server_->Shutdown(); }

  // Runs `options` over two channels.
  RunResults Run(Engine::Options options, int concurrency,
                 uint64_t* dropped = nullptr) {
    absl::StatusOr<std::vector<Channel>> channels =
        ConnectChannels(address_, address_, 2);
    EXPECT_TRUE(channels.ok()) << channels.status();
    if (!channels.ok()) return RunResults();
    Engine engine(&workload_, &*channels, options, 1);
    RunResults results = engine.Run(concurrency);
    EXPECT_FALSE(engine.abandoned());
    if (dropped != nullptr) *dropped = engine.dropped();
    writes_exhausted_ = engine.writes_exhausted();
    return results;
  }

  FakeRegistry registry_;
  FakeVerifier verifier_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  Workload workload_;
  uint64_t writes_exhausted_ = 0;
};

TEST_F(EngineTest, ClosedLoopSendsEveryOperationOfTheMix) {
  workload_.weights = OpWeights{4, 2, 1, 1, 0};
  const RunResults results = Run(Quick(), 2);
  for (Op op : {kGet, kSearch, kVerify, kBatch}) {
    EXPECT_THAT(results[op].ok, Gt(0u)) << kOpNames[op];
    EXPECT_EQ(results[op].error_count(), 0u) << kOpNames[op];
    EXPECT_EQ(results[op].latency.count(), results[op].ok);
  }
  EXPECT_EQ(results[kWrite].requests(), 0u);
  // Lookups are drawn four times as often as verifications.
  EXPECT_GT(results[kGet].ok, results[kVerify].ok);
}

TEST_F(EngineTest, FailuresAreCountedByCode) {
  workload_.weights = OpWeights{1, 0, 0, 0, 0};
  workload_.numbers = {"missing"};
  const RunResults results = Run(Quick(), 1);
  EXPECT_EQ(results[kGet].ok, 0u);
  EXPECT_EQ(results[kGet].latency.count(), 0u);
  EXPECT_THAT(results[kGet].errors,
              ElementsAre(Pair("NOT_FOUND", results[kGet].requests())));
  EXPECT_THAT(results[kGet].requests(), Gt(0u));
}

TEST_F(EngineTest, OpenLoopSendsAtTheRate) {
  workload_.weights = OpWeights{1, 0, 0, 0, 0};
  Engine::Options options = Quick();
  options.rate = 200;
  uint64_t dropped = 0;
  const RunResults results = Run(options, 1, &dropped);
  // 0.3 s measured at 200/s.
  EXPECT_NEAR(static_cast<double>(results[kGet].ok), 60, 2);
  EXPECT_EQ(dropped, 0u);
}

TEST_F(EngineTest, OpenLoopDropsWhatIsDuePastMaxOutstanding) {
  workload_.weights = OpWeights{1, 0, 0, 0, 0};
  registry_.delay = std::chrono::milliseconds(100);
  Engine::Options options = Quick();
  options.rate = 500;
  options.max_outstanding = 2;
  uint64_t dropped = 0;
  const RunResults results = Run(options, 1, &dropped);
  EXPECT_THAT(dropped, Gt(100u));
  EXPECT_LT(results[kGet].ok, 20u);
}

TEST_F(EngineTest, LookupStreamsClosedLoopOneStreamPerSender) {
  workload_.weights = OpWeights{1, 0, 0, 0, 0};
  workload_.lookup_stream = true;
  const RunResults results = Run(Quick(), 3);
  EXPECT_THAT(results[kGet].ok, Gt(0u));
  EXPECT_EQ(results[kGet].error_count(), 0u);
  EXPECT_EQ(registry_.streams.load(), 6);  // 2 channels x 3
}

TEST_F(EngineTest, LookupStreamsOpenLoopShareAPool) {
  workload_.weights = OpWeights{1, 0, 0, 0, 0};
  workload_.lookup_stream = true;
  workload_.numbers = {"A1", "missing"};
  Engine::Options options = Quick();
  options.rate = 300;
  options.stream_pool = 4;
  const RunResults results = Run(options, 1);
  EXPECT_NEAR(static_cast<double>(results[kGet].requests()), 90, 3);
  EXPECT_THAT(results[kGet].ok, Gt(0u));
  EXPECT_EQ(results[kGet].errors.count("NOT_FOUND"), 1u);
  EXPECT_LE(registry_.streams.load(), 4);
}

TEST_F(EngineTest, WritesSendEachPreSignedStatementOnce) {
  workload_.weights = OpWeights{1, 0, 0, 0, 1};
  workload_.writes.resize(5);
  Run(Quick(), 2);
  EXPECT_EQ(registry_.statements.load(), 5);
  EXPECT_THAT(writes_exhausted_, Gt(0u));
}

TEST_F(EngineTest, ARefusedStatementFailsItsCall) {
  workload_.weights = OpWeights{0, 0, 0, 0, 1};
  workload_.write_batch = 2;
  workload_.writes.resize(2000);
  workload_.writes[1].set_statement("refused");
  Engine::Options options = Quick();
  options.warmup = Clock::duration::zero();
  const RunResults results = Run(options, 1);
  EXPECT_THAT(results[kWrite].errors, ElementsAre(Pair("ALREADY_EXISTS", 1u)));
}

TEST_F(EngineTest, CpuIsTheDifferenceOverTheMeasuredWindow) {
  workload_.weights = OpWeights{0, 1, 0, 0, 0};
  absl::StatusOr<std::vector<Channel>> channels =
      ConnectChannels(address_, "", 1);
  ASSERT_TRUE(channels.ok());
  std::atomic<int> samples{0};
  Engine::Options options;
  options.warmup = std::chrono::milliseconds(50);
  options.duration = std::chrono::milliseconds(100);
  options.sample_cpu = [&samples] {
    const double n = ++samples;
    return std::vector<double>{n * 10, n};
  };
  Engine engine(&workload_, &*channels, options, 2);
  engine.Run(1);
  EXPECT_EQ(samples.load(), 2);
  EXPECT_THAT(engine.cpu_used(), ElementsAre(10, 1));
}

}  // namespace
}  // namespace certreg::loadgen
