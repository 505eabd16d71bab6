#include "verifier/grpc/grpc_status.h"

#include <string>

#include "absl/strings/match.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace certreg {

// absl::StatusCode and grpc::StatusCode share their numbering (both follow
// google.rpc.Code), so the conversion is a cast; the static_asserts keep it
// honest.
static_assert(static_cast<int>(absl::StatusCode::kInvalidArgument) ==
              grpc::StatusCode::INVALID_ARGUMENT);
static_assert(static_cast<int>(absl::StatusCode::kNotFound) ==
              grpc::StatusCode::NOT_FOUND);
static_assert(static_cast<int>(absl::StatusCode::kAlreadyExists) ==
              grpc::StatusCode::ALREADY_EXISTS);
static_assert(static_cast<int>(absl::StatusCode::kPermissionDenied) ==
              grpc::StatusCode::PERMISSION_DENIED);
static_assert(static_cast<int>(absl::StatusCode::kFailedPrecondition) ==
              grpc::StatusCode::FAILED_PRECONDITION);
static_assert(static_cast<int>(absl::StatusCode::kOutOfRange) ==
              grpc::StatusCode::OUT_OF_RANGE);
static_assert(static_cast<int>(absl::StatusCode::kUnavailable) ==
              grpc::StatusCode::UNAVAILABLE);
static_assert(static_cast<int>(absl::StatusCode::kUnauthenticated) ==
              grpc::StatusCode::UNAUTHENTICATED);

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  status.ForEachPayload(
      [&details](absl::string_view type_url, const absl::Cord& payload) {
        if (!absl::StartsWith(type_url, kGoogleRpcTypeUrlPrefix)) return;
        google::protobuf::Any* detail = details.add_details();
        detail->set_type_url(std::string(type_url));
        detail->set_value(std::string(payload));
      });
  if (details.details().empty()) {
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        std::string(status.message()));
  }
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status converted(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : details.details()) {
      if (absl::StartsWith(detail.type_url(), kGoogleRpcTypeUrlPrefix)) {
        converted.SetPayload(detail.type_url(), absl::Cord(detail.value()));
      }
    }
  }
  return converted;
}

absl::Status WithRetryInfo(absl::Status status, absl::Duration retry_after) {
  google::rpc::RetryInfo retry;
  const int64_t nanos = absl::ToInt64Nanoseconds(retry_after);
  retry.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  retry.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(nanos % 1000000000));
  status.SetPayload(kRetryInfoTypeUrl, absl::Cord(retry.SerializeAsString()));
  return status;
}

namespace {
std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload)) ||
      info.domain() != kErrorDomain) {
    return std::nullopt;
  }
  return info;
}
}  // namespace

absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    const std::vector<std::pair<std::string, std::string>>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = value;
  }
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::string ErrorReason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  return info.has_value() ? info->reason() : "";
}

std::string ErrorFact(const absl::Status& status, absl::string_view key) {
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(status);
  if (!info.has_value()) return "";
  auto found = info->metadata().find(std::string(key));
  return found == info->metadata().end() ? "" : found->second;
}

std::optional<absl::Duration> RetryDelay(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRetryInfoTypeUrl);
  google::rpc::RetryInfo retry;
  if (!payload.has_value() || !retry.ParseFromString(std::string(*payload))) {
    return std::nullopt;
  }
  return absl::Seconds(retry.retry_delay().seconds()) +
         absl::Nanoseconds(retry.retry_delay().nanos());
}

}  // namespace certreg
