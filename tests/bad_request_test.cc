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
#include <vector>

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

// Sends `messages` (raw bytes each) on one LookupCertificates stream and
// half-closes it; the answers read and the stream's status.
struct StreamResult {
  int answers = 0;
  grpc::Status status;
};
StreamResult LookupStreamRaw(const std::string& address,
                             const std::vector<std::string>& messages) {
  class Reactor
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Reactor(std::vector<std::string> messages)
        : messages_(std::move(messages)) {}
    void Start() {
      StartRead(&answer_);
      WriteNext();
      StartCall();
    }
    void OnWriteDone(bool ok) override {
      if (ok) WriteNext();
    }
    void OnReadDone(bool ok) override {
      if (!ok) return;
      ++result_.answers;
      StartRead(&answer_);
    }
    void OnDone(const grpc::Status& status) override {
      std::lock_guard<std::mutex> lock(mu_);
      result_.status = status;
      done_ = true;
      done_cv_.notify_one();
    }
    StreamResult Wait() {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] { return done_; });
      return result_;
    }

   private:
    void WriteNext() {
      if (next_ == messages_.size()) {
        StartWritesDone();
        return;
      }
      grpc::Slice slice(messages_[next_++]);
      request_ = grpc::ByteBuffer(&slice, 1);
      StartWrite(&request_);
    }
    std::vector<std::string> messages_;
    size_t next_ = 0;
    grpc::ByteBuffer request_, answer_;
    StreamResult result_;
    std::mutex mu_;
    std::condition_variable done_cv_;
    bool done_ = false;
  };
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  Reactor reactor(messages);
  stub.PrepareBidiStreamingCall(
      &context, "/certreg.v1.RegistryService/LookupCertificates",
      grpc::StubOptions(), &reactor);
  reactor.Start();
  return reactor.Wait();
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

// A stream is answered until a message that does not parse, which ends it
// with INVALID_ARGUMENT (it used to end quietly, with OK); a stream closed
// by its client still ends OK.
TEST_F(BadRequestTest, AnUnparseableMessageEndsALookupStream) {
  const std::string lookup(
      "\x0a\x0e"
      "90126Q21540R2M",
      16);  // number
  StreamResult garbage =
      LookupStreamRaw(server_->address(), {lookup, "\xff\xff\xff", lookup});
  EXPECT_EQ(garbage.answers, 1);
  EXPECT_EQ(garbage.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(garbage.status.error_message(),
                                "LookupCertificates are not a valid protobuf "
                                "message"))
      << garbage.status.error_message();

  StreamResult utf8 = LookupStreamRaw(
      server_->address(), {lookup, std::string("\x0a\x03\xff\xfe\x41", 5)});
  EXPECT_EQ(utf8.answers, 1);
  EXPECT_EQ(utf8.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(utf8.status.error_message(),
            "request: field certreg.v1.GetCertificateRequest.number is not "
            "valid UTF-8 (string fields must be UTF-8; the request was not "
            "read)");

  StreamResult clean = LookupStreamRaw(server_->address(), {lookup, lookup});
  EXPECT_EQ(clean.answers, 2);
  EXPECT_TRUE(clean.status.ok()) << clean.status.error_message();
}

TEST_F(BadRequestTest, AMissingMethodIsStillUnimplemented) {
  const grpc::Status status =
      CallRaw(server_->address(), "/certreg.v1.RegistryService/NoSuchMethod",
              std::string("\xff\xff", 2));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace certreg
