#include "verifier/service/verifier_service.h"

#include "verifier/grpc/grpc_status.h"

namespace certreg {

// Both answer from the verifier's worker threads: no gRPC thread waits for
// the registry.
grpc::ServerUnaryReactor* VerifierService::Verify(
    grpc::CallbackServerContext* context, const v1::VerifyRequest* request,
    v1::VerifyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  verifier_->VerifyAsync(request->claim(),
                         [reactor, response](v1::VerifyResponse answer) {
                           *response = std::move(answer);
                           reactor->Finish(grpc::Status::OK);
                         });
  return reactor;
}

grpc::ServerUnaryReactor* VerifierService::BatchVerify(
    grpc::CallbackServerContext* context, const v1::BatchVerifyRequest* request,
    v1::BatchVerifyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  verifier_->BatchVerifyAsync(
      *request,
      [reactor, response](absl::StatusOr<v1::BatchVerifyResponse> answer) {
        if (answer.ok()) *response = *std::move(answer);
        reactor->Finish(ToGrpcStatus(answer.status()));
      });
  return reactor;
}

}  // namespace certreg
