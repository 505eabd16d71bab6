#include "verifier/grpc/grpc_status.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(GrpcStatusTest, CodesAndMessagesCarryOverBothWays) {
  const std::pair<absl::Status, grpc::StatusCode> cases[] = {
      {absl::OkStatus(), grpc::StatusCode::OK},
      {absl::InvalidArgumentError("certificate.number: empty"),
       grpc::StatusCode::INVALID_ARGUMENT},
      {absl::NotFoundError("x"), grpc::StatusCode::NOT_FOUND},
      {absl::AlreadyExistsError("x"), grpc::StatusCode::ALREADY_EXISTS},
      {absl::PermissionDeniedError("x"), grpc::StatusCode::PERMISSION_DENIED},
      {absl::FailedPreconditionError("x"),
       grpc::StatusCode::FAILED_PRECONDITION},
      {absl::UnavailableError("x"), grpc::StatusCode::UNAVAILABLE},
      {absl::OutOfRangeError("x"), grpc::StatusCode::OUT_OF_RANGE},
  };
  for (const auto& [status, code] : cases) {
    grpc::Status converted = ToGrpcStatus(status);
    EXPECT_EQ(converted.error_code(), code) << status;
    EXPECT_EQ(converted.error_message(), std::string(status.message()));
    EXPECT_EQ(FromGrpcStatus(converted), status);
  }
}

}  // namespace
}  // namespace certreg
