#ifndef CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
#define CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace certreg {

// The one conversion from the core's absl::Status to grpc::Status: code for
// code, message unchanged, and the status's google.rpc payloads (URL
// "type.googleapis.com/google.rpc.X": RetryInfo, say) as the standard
// google.rpc.Status details (trailer grpc-status-details-bin), which gRPC
// clients in any language can read.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients of the gRPC services: the details come back as
// payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

inline constexpr absl::string_view kGoogleRpcTypeUrlPrefix =
    "type.googleapis.com/google.rpc.";
inline constexpr absl::string_view kRetryInfoTypeUrl =
    "type.googleapis.com/google.rpc.RetryInfo";

// `status` with a google.rpc.RetryInfo saying to retry after `retry_after`.
absl::Status WithRetryInfo(absl::Status status, absl::Duration retry_after);
// The retry delay of `status`'s RetryInfo, if it has one.
std::optional<absl::Duration> RetryDelay(const absl::Status& status);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
