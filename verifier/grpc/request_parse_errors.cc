#include "verifier/grpc/request_parse_errors.h"

#include <cstdio>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/interceptor.h"

namespace certreg {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr absl::string_view kInvalidUtf8 =
    "contains invalid UTF-8 data when parsing";

// Protobuf's log line about the request being parsed on this thread. gRPC
// parses a request and then runs the server interceptors on the same thread,
// in one step; the interceptor takes the line and clears it.
thread_local std::string last_parse_error;

void LogProtobuf(google::protobuf::LogLevel level, const char* filename,
                 int line, const std::string& message) {
  if (absl::StrContains(message, kInvalidUtf8)) {
    last_parse_error = message;
    return;
  }
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  const int index = level < 0 || level > 3 ? 2 : static_cast<int>(level);
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n", kLevels[index], filename,
               line, message.c_str());
  std::fflush(stderr);
}

class RequestParseErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RequestParseErrorInterceptor(const char* method)
      : method_(method == nullptr ? "" : method) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    // A received request that gRPC could not parse arrives as no message.
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
      protobuf_log_ = std::exchange(last_parse_error, std::string());
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(
                         InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // gRPC's answer to a unary request that did not parse; or a stream's
      // handler saying so without protobuf's reason, which is known here.
      const bool generic =
          status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
          status.error_message() == RequestParseErrorMessage(method_, "") &&
          !protobuf_log_.empty();
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED || generic) {
        methods->ModifySendStatus(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                         RequestParseErrorMessage(method_, protobuf_log_)));
      }
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  bool unparsed_ = false;
  std::string protobuf_log_;
};

class RequestParseErrorInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RequestParseErrorInterceptor(info->method());
  }
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRequestParseErrorInterceptorFactory() {
  return std::make_unique<RequestParseErrorInterceptorFactory>();
}

void CaptureProtobufParseErrors() {
  google::protobuf::SetLogHandler(&LogProtobuf);
}

std::string RequestParseErrorMessage(absl::string_view method,
                                     absl::string_view protobuf_log) {
  // "String field 'pkg.Message.field' contains invalid UTF-8 data ..."
  const size_t open = protobuf_log.find('\'');
  const size_t close = open == absl::string_view::npos
                           ? absl::string_view::npos
                           : protobuf_log.find('\'', open + 1);
  if (absl::StrContains(protobuf_log, kInvalidUtf8) &&
      close != absl::string_view::npos) {
    return absl::StrCat(
        "request: field ", protobuf_log.substr(open + 1, close - open - 1),
        " is not valid UTF-8 (string fields must be UTF-8; the request was "
        "not read)");
  }
  return absl::StrCat("request: the bytes sent to ", method,
                      " are not a valid protobuf message of its request type "
                      "(the request was not read)");
}

}  // namespace certreg
