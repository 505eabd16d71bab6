#include "verifier/service/registry_bundle_source.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "registry/core/registry.h"
#include "registry/server/registry_service.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_registry.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

const char kValid[] = "90126Q21540R2M";
const char kUnknown[] = "99999Q99999R9M";
const char kSuspended[] = "90115E30472R1S";

// A registry (or mirror) from before GetVerificationBundles: it serves one
// bundle per call and answers UNIMPLEMENTED to the batched method.
class SingleBundleService : public v1::RegistryService::CallbackService {
 public:
  explicit SingleBundleService(RegistryService* full) : full_(full) {}
  RegistryService* full() const { return full_; }
  grpc::ServerUnaryReactor* GetVerificationBundle(
      grpc::CallbackServerContext* context,
      const v1::GetVerificationBundleRequest* request,
      v1::VerificationBundle* response) override {
    return full_->GetVerificationBundle(context, request, response);
  }

 private:
  RegistryService* const full_;
};

// A registry whose grouped answer is too large for the client to receive.
class OversizedGroupService : public SingleBundleService {
 public:
  using SingleBundleService::SingleBundleService;
  grpc::ServerUnaryReactor* GetVerificationBundles(
      grpc::CallbackServerContext* context,
      const v1::GetVerificationBundlesRequest*,
      v1::GetVerificationBundlesResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "received message larger than max"));
    return reactor;
  }
};

class RegistryBundleSourceTest : public testing::Test {
 protected:
  void SetUp() override {
    RegistryOptions options;
    options.max_bundles_bytes = max_bundles_bytes_;
    auto demo = OpenDemoRegistry(&store_, options, TodayInChina());
    ASSERT_TRUE(demo.ok()) << demo.status();
    registry_ = std::move(demo->registry);
    full_ = std::make_unique<RegistryService>(registry_.get(), nullptr);
  }

  // Serves `service` on a free loopback port.
  StartedServer Serve(grpc::Service* service) {
    GrpcServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto started = StartGrpcServer(options, {service});
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : StartedServer();
  }

  // Fetches a known and an unknown number from `service` and expects single
  // bundles (each with its own signed head) and the unknown one's NOT_FOUND.
  void ExpectOneBundlePerCall(grpc::Service* service) {
    StartedServer server = Serve(service);
    ASSERT_NE(server.server, nullptr);
    RegistryClient client(server.address);
    RegistryBundleSource source(&client);
    google::protobuf::Arena arena;
    auto bundles = source.FetchBundles({kValid, kUnknown}, arena);
    ASSERT_EQ(bundles.size(), 2u);
    ASSERT_TRUE(bundles[0].ok()) << bundles[0].status();
    EXPECT_EQ((*bundles[0])->GetArena(), &arena);
    EXPECT_TRUE((*bundles[0])->has_head());
    EXPECT_FALSE((*bundles[0])->has_head_in_tree());
    EXPECT_EQ(bundles[1].status().code(), absl::StatusCode::kNotFound)
        << bundles[1].status();
    server.server->Shutdown();
  }

  size_t max_bundles_bytes_ = RegistryOptions().max_bundles_bytes;
  MemoryStore store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RegistryService> full_;
};

// The full service, counting GetVerificationBundles calls.
class CountingService : public SingleBundleService {
 public:
  using SingleBundleService::SingleBundleService;
  grpc::ServerUnaryReactor* GetVerificationBundles(
      grpc::CallbackServerContext* context,
      const v1::GetVerificationBundlesRequest* request,
      v1::GetVerificationBundlesResponse* response) override {
    ++grouped_calls;
    return full()->GetVerificationBundles(context, request, response);
  }
  std::atomic<int> grouped_calls{0};
};

// A registry whose answers have room for one bundle each.
class OneBundlePerAnswerTest : public RegistryBundleSourceTest {
 protected:
  OneBundlePerAnswerTest() { max_bundles_bytes_ = 1; }
};

TEST_F(RegistryBundleSourceTest, FetchesSeveralInOneCallWithSharedHeads) {
  StartedServer server = Serve(full_.get());
  ASSERT_NE(server.server, nullptr);
  RegistryClient client(server.address);
  RegistryBundleSource source(&client);
  google::protobuf::Arena arena;
  auto bundles = source.FetchBundles({kValid, kUnknown, kValid}, arena);
  ASSERT_EQ(bundles.size(), 3u);
  ASSERT_TRUE(bundles[0].ok()) << bundles[0].status();
  ASSERT_TRUE(bundles[2].ok()) << bundles[2].status();
  // Parsed onto the caller's arena, not one allocation per field.
  EXPECT_EQ((*bundles[0])->GetArena(), &arena);
  EXPECT_EQ((*bundles[0])->certificate_number(), kValid);
  EXPECT_TRUE((*bundles[0])->has_head_in_tree());
  EXPECT_EQ((*bundles[0])->head_in_tree().tree().signature(),
            (*bundles[2])->head_in_tree().tree().signature());
  EXPECT_EQ(bundles[1].status().code(), absl::StatusCode::kNotFound)
      << bundles[1].status();
  server.server->Shutdown();
}

TEST_F(RegistryBundleSourceTest, FallsBackToOneBundlePerCall) {
  SingleBundleService older(full_.get());
  ExpectOneBundlePerCall(&older);
}

TEST_F(RegistryBundleSourceTest, AGroupTooLargeForOneAnswerIsFetchedOneByOne) {
  OversizedGroupService oversized(full_.get());
  ExpectOneBundlePerCall(&oversized);
}

// Numbers an answer had no room for are asked for again, in a group of
// their own, until each has its bundle or error.
TEST_F(OneBundlePerAnswerTest, NumbersLeftOutOfAFullAnswerAreAskedAgain) {
  CountingService counting(full_.get());
  StartedServer server = Serve(&counting);
  ASSERT_NE(server.server, nullptr);
  RegistryClient client(server.address);
  RegistryBundleSource source(&client);
  const std::vector<std::string> numbers = {kValid, kUnknown, kSuspended,
                                            kValid};
  google::protobuf::Arena arena;
  auto bundles = source.FetchBundles(numbers, arena);
  ASSERT_EQ(bundles.size(), numbers.size());
  for (size_t i : {0, 2, 3}) {
    ASSERT_TRUE(bundles[i].ok()) << i << ": " << bundles[i].status();
    EXPECT_EQ((*bundles[i])->certificate_number(), numbers[i]);
    EXPECT_TRUE((*bundles[i])->has_head_in_tree());
  }
  EXPECT_EQ(bundles[1].status().code(), absl::StatusCode::kNotFound)
      << bundles[1].status();
  // One bundle per answer: three calls, the unknown number settled in the
  // first.
  EXPECT_EQ(counting.grouped_calls.load(), 3);
  server.server->Shutdown();
}

}  // namespace
}  // namespace certreg
