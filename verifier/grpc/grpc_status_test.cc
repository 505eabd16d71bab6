#include "verifier/grpc/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
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

TEST(GrpcStatusTest, RetryInfoTravelsAsTheStandardDetail) {
  const absl::Status refusal =
      WithRetryInfo(absl::ResourceExhaustedError("quota: retry after 0.250 s"),
                    absl::Milliseconds(250));
  const grpc::Status sent = ToGrpcStatus(refusal);
  EXPECT_EQ(sent.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(sent.error_details()));
  EXPECT_EQ(details.code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/google.rpc.RetryInfo");
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().nanos(), 250000000);

  const absl::Status received = FromGrpcStatus(sent);
  EXPECT_EQ(RetryDelay(received), absl::Milliseconds(250));
  EXPECT_EQ(RetryDelay(absl::ResourceExhaustedError("x")), std::nullopt);
  // Other payloads stay on this side.
  absl::Status own = absl::InternalError("x");
  own.SetPayload("type.certreg/own", absl::Cord("y"));
  EXPECT_TRUE(ToGrpcStatus(own).error_details().empty());
}

TEST(GrpcStatusTest, ErrorInfoCarriesAReasonAndFacts) {
  const absl::Status refused =
      WithErrorInfo(absl::FailedPreconditionError("a follower"), "NOT_LEADER",
                    {{"leader", "10.0.0.2:50051"}});
  const absl::Status received = FromGrpcStatus(ToGrpcStatus(refused));
  EXPECT_EQ(ErrorReason(received), "NOT_LEADER");
  EXPECT_EQ(ErrorFact(received, "leader"), "10.0.0.2:50051");
  EXPECT_EQ(ErrorFact(received, "other"), "");
  EXPECT_EQ(ErrorReason(absl::FailedPreconditionError("x")), "");
}

}  // namespace
}  // namespace certreg
