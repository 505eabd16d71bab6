#ifndef CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
#define CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

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

inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kErrorDomain = "certreg.v1";
// How a replica's refusals say where the leader is (google.rpc.ErrorInfo
// in certreg's domain): NOT_LEADER with the fact "leader" (host:port) from
// a follower; LEADER_CHANGING (with a RetryInfo) while none is elected or
// the leader stepped down mid-write. RegistryClient follows them.
inline constexpr char kNotLeaderReason[] = "NOT_LEADER";
inline constexpr char kLeaderChangingReason[] = "LEADER_CHANGING";
inline constexpr char kLeaderFact[] = "leader";

// `status` with a google.rpc.ErrorInfo: a machine-readable `reason`
// (UPPER_SNAKE_CASE) in certreg's domain and facts about it.
absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    const std::vector<std::pair<std::string, std::string>>& metadata = {});
// The reason of `status`'s ErrorInfo in certreg's domain ("" when none),
// and one of its facts ("" when absent).
std::string ErrorReason(const absl::Status& status);
std::string ErrorFact(const absl::Status& status, absl::string_view key);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
