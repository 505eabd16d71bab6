#include "verifier/verifier_service.h"

#include "registry/grpc_status.h"

namespace certreg {

grpc::ServerUnaryReactor* VerifierService::Verify(
    grpc::CallbackServerContext* context, const v1::VerifyRequest* request,
    v1::VerifyResponse* response) {
  *response = verifier_->Verify(request->claim());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* VerifierService::BatchVerify(
    grpc::CallbackServerContext* context, const v1::BatchVerifyRequest* request,
    v1::BatchVerifyResponse* response) {
  absl::StatusOr<v1::BatchVerifyResponse> result =
      verifier_->BatchVerify(*request);
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace certreg
