// Requests the registry cannot parse, sent as raw bytes the way a foreign or
// broken client would: garbage and invalid UTF-8 in a string field are
// INVALID_ARGUMENT naming the problem, never UNIMPLEMENTED (which clients
// read as "method absent"), and leave no error lines in the server's log.
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/child_process.h"
#include "tests/registry_process.h"
#include "verifier/crypto/key_files.h"

namespace certreg {
namespace {

// Calls `method` with `bytes` as the serialized request.
grpc::Status CallRaw(const std::string& address, const std::string& method,
                     const std::string& bytes) {
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status result;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) {
                   std::lock_guard<std::mutex> lock(mu);
                   result = status;
                   done = true;
                   done_cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  done_cv.wait(lock, [&] { return done; });
  return result;
}

class BadRequestTest : public testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(WriteKeyPair(*Ed25519PrivateKey::Generate(),
                             dir_ + "/operator.key", dir_ + "/operator.pub")
                    .ok());
    server_ = std::make_unique<RegistryProcess>(
        dir_ + "/data", dir_ + "/operator.pub", TestPort(0), Log());
    ASSERT_TRUE(server_->WaitReady());
  }

  std::string Log() const { return dir_ + "/registry.err"; }
  std::string ServerLog() const {
    std::ifstream in(Log());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  const std::string dir_ = testing::TempDir() + "/bad_request";
  std::unique_ptr<RegistryProcess> server_;
};

constexpr char kGetCertificate[] = "/certreg.v1.RegistryService/GetCertificate";

TEST_F(BadRequestTest, InvalidUtf8InAStringFieldNamesTheField) {
  // Field 1 (number), 3 bytes, not UTF-8.
  const grpc::Status status = CallRaw(server_->address(), kGetCertificate,
                                      std::string("\x0a\x03\xff\xfe\x41", 5));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "request: field certreg.v1.GetCertificateRequest.number is not "
            "valid UTF-8 (string fields must be UTF-8; the request was not "
            "read)");
  server_->Kill(SIGTERM);
  EXPECT_FALSE(absl::StrContains(ServerLog(), "libprotobuf")) << ServerLog();
}

TEST_F(BadRequestTest, GarbageBytesAreInvalidArgument) {
  for (const std::string& bytes :
       {std::string("\xff\xff\xff\xff"), std::string("\x0a\x10short", 7)}) {
    const grpc::Status status =
        CallRaw(server_->address(), kGetCertificate, bytes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(),
                                  "are not a valid protobuf message"))
        << status.error_message();
  }
  // So is a bad request to the admin service (on its socket), and the
  // server still answers.
  const grpc::Status admin =
      CallRaw(server_->admin_address(), "/certreg.v1.AdminService/Scrub",
              "\xff\xff\xff");
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CallRaw(server_->address(), kGetCertificate, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // number: empty
}

TEST_F(BadRequestTest, AMissingMethodIsStillUnimplemented) {
  const grpc::Status status =
      CallRaw(server_->address(), "/certreg.v1.RegistryService/NoSuchMethod",
              std::string("\xff\xff", 2));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace certreg
