#ifndef CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
#define CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace certreg {

// The one conversion from the core's absl::Status to grpc::Status: code for
// code, message unchanged.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients of the gRPC services.
absl::Status FromGrpcStatus(const grpc::Status& status);

// One item's answer inside a response (SubmitStatementResult,
// CertificateLookup, VerificationBundleResult: a google.rpc.Code number and
// its message) as an absl::Status. 0 is OK; a number absl does not know
// reads as UNKNOWN, its message kept.
absl::Status StatusFromAnswer(int code, absl::string_view message);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
