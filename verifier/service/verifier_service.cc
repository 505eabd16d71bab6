#include "verifier/service/verifier_service.h"

#include <algorithm>
#include <memory>

#include "verifier/grpc/grpc_status.h"

namespace certreg {

absl::StatusOr<std::shared_ptr<CallQuota::Ticket>> VerifierService::Admit(
    grpc::CallbackServerContext* context, int claims) {
  if (quota_ == nullptr) return std::make_shared<CallQuota::Ticket>();
  absl::StatusOr<CallQuota::Ticket> ticket =
      quota_->Admit(*context, CallClass::kVerify, std::max(1, claims));
  if (!ticket.ok()) return ticket.status();
  return std::make_shared<CallQuota::Ticket>(*std::move(ticket));
}

// Both answer from the verifier's worker threads: no gRPC thread waits for
// the registry. The quota's ticket is held until the answer is sent.
grpc::ServerUnaryReactor* VerifierService::Verify(
    grpc::CallbackServerContext* context, const v1::VerifyRequest* request,
    v1::VerifyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::shared_ptr<CallQuota::Ticket>> ticket = Admit(context, 1);
  if (!ticket.ok()) {
    quota_->AnswerRefusal(reactor, ticket.status());
    return reactor;
  }
  verifier_->VerifyAsync(
      request->claim(),
      [reactor, response, ticket = *ticket](v1::VerifyResponse answer) {
        *response = std::move(answer);
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
}

grpc::ServerUnaryReactor* VerifierService::BatchVerify(
    grpc::CallbackServerContext* context, const v1::BatchVerifyRequest* request,
    v1::BatchVerifyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::shared_ptr<CallQuota::Ticket>> ticket =
      Admit(context, request->claims_size());
  if (!ticket.ok()) {
    quota_->AnswerRefusal(reactor, ticket.status());
    return reactor;
  }
  verifier_->BatchVerifyAsync(
      *request, [reactor, response, ticket = *ticket](
                    absl::StatusOr<v1::BatchVerifyResponse> answer) {
        if (answer.ok()) *response = *std::move(answer);
        reactor->Finish(ToGrpcStatus(answer.status()));
      });
  return reactor;
}

}  // namespace certreg
