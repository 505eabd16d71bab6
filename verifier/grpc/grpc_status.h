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

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_GRPC_STATUS_H_
