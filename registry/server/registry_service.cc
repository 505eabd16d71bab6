#include "registry/server/registry_service.h"

#include "verifier/base/status_answer.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {
namespace {

// Finishes `context`'s call with `result`: its value into `response` on
// success, its status either way.
template <typename T>
grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 absl::StatusOr<T> result, T* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace

// Writes finish from the registry's commit thread once durable: no gRPC
// thread waits for the disk.
grpc::ServerUnaryReactor* RegistryService::Submit(
    grpc::CallbackServerContext* context, v1::StatementKind kind,
    const v1::SubmitStatementRequest* request, v1::StatementReceipt* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  registry_->SubmitAsync(
      kind, request->signed_statement(),
      [reactor, response](absl::StatusOr<v1::StatementReceipt> receipt) {
        if (receipt.ok()) *response = *std::move(receipt);
        reactor->Finish(ToGrpcStatus(receipt.status()));
      });
  return reactor;
}

#define CERTREG_SUBMIT_RPC(Method, Kind)                 \
  grpc::ServerUnaryReactor* RegistryService::Method(     \
      grpc::CallbackServerContext* context,              \
      const v1::SubmitStatementRequest* request,         \
      v1::StatementReceipt* response) {                  \
    return Submit(context, v1::Kind, request, response); \
  }

CERTREG_SUBMIT_RPC(IssueCertificate, STATEMENT_KIND_ISSUE)
CERTREG_SUBMIT_RPC(RecordSurveillance, STATEMENT_KIND_SURVEILLANCE)
CERTREG_SUBMIT_RPC(SuspendCertificate, STATEMENT_KIND_SUSPEND)
CERTREG_SUBMIT_RPC(ReinstateCertificate, STATEMENT_KIND_REINSTATE)
CERTREG_SUBMIT_RPC(RevokeCertificate, STATEMENT_KIND_REVOKE)
CERTREG_SUBMIT_RPC(WithdrawCertificate, STATEMENT_KIND_WITHDRAW)
CERTREG_SUBMIT_RPC(RenewCertificate, STATEMENT_KIND_RENEW)
CERTREG_SUBMIT_RPC(ChangeScope, STATEMENT_KIND_CHANGE_SCOPE)
CERTREG_SUBMIT_RPC(ChangeHolder, STATEMENT_KIND_CHANGE_HOLDER)
CERTREG_SUBMIT_RPC(AccreditBody, STATEMENT_KIND_ACCREDIT_BODY)
CERTREG_SUBMIT_RPC(RotateBodyKey, STATEMENT_KIND_ROTATE_BODY_KEY)
CERTREG_SUBMIT_RPC(RetireBodyKey, STATEMENT_KIND_RETIRE_BODY_KEY)
CERTREG_SUBMIT_RPC(PublishRules, STATEMENT_KIND_PUBLISH_RULES)

#undef CERTREG_SUBMIT_RPC

grpc::ServerUnaryReactor* RegistryService::SubmitStatements(
    grpc::CallbackServerContext* context,
    const v1::SubmitStatementsRequest* request,
    v1::SubmitStatementsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::vector<const v1::SignedStatement*> statements;
  for (const v1::SignedStatement& s : request->signed_statements()) {
    statements.push_back(&s);
  }
  absl::Status accepted = registry_->SubmitBatchAsync(
      statements,
      [reactor,
       response](std::vector<absl::StatusOr<v1::StatementReceipt>> receipts) {
        for (absl::StatusOr<v1::StatementReceipt>& receipt : receipts) {
          v1::SubmitStatementResult* result = response->add_results();
          SetAnswerStatus(receipt.status(), result);
          if (receipt.ok()) *result->mutable_receipt() = *std::move(receipt);
        }
        reactor->Finish(grpc::Status::OK);
      });
  if (!accepted.ok()) reactor->Finish(ToGrpcStatus(accepted));
  return reactor;
}

grpc::ServerUnaryReactor* RegistryService::GetCertificate(
    grpc::CallbackServerContext* context,
    const v1::GetCertificateRequest* request,
    v1::GetCertificateResponse* response) {
  return Finish(context, registry_->GetCertificate(*request), response);
}

namespace {

// One LookupCertificates stream: reads a request, answers it, reads the
// next. It answers on the gRPC thread that read the request, as
// GetCertificate does; a slow reader only holds back its own stream.
class LookupReactor final
    : public grpc::ServerBidiReactor<v1::GetCertificateRequest,
                                     v1::CertificateLookup> {
 public:
  explicit LookupReactor(const Registry* registry) : registry_(*registry) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side, or the call ended
      Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<v1::GetCertificateResponse> found =
        registry_.GetCertificate(request_);
    answer_.Clear();
    SetAnswerStatus(found.status(), &answer_);
    if (found.ok()) *answer_.mutable_certificate() = *std::move(found);
    StartWrite(&answer_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {  // the call ended under the write: nobody reads the status
      Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                          "the stream ended before the answer was sent"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const Registry& registry_;
  v1::GetCertificateRequest request_;
  v1::CertificateLookup answer_;
};

}  // namespace

grpc::ServerBidiReactor<v1::GetCertificateRequest, v1::CertificateLookup>*
RegistryService::LookupCertificates(grpc::CallbackServerContext*) {
  return new LookupReactor(registry_);
}

grpc::ServerUnaryReactor* RegistryService::SearchCertificates(
    grpc::CallbackServerContext* context,
    const v1::SearchCertificatesRequest* request,
    v1::SearchCertificatesResponse* response) {
  return Finish(context, registry_->SearchCertificates(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::ListBodies(
    grpc::CallbackServerContext* context, const v1::ListBodiesRequest* request,
    v1::ListBodiesResponse* response) {
  return Finish(context, registry_->ListBodies(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetRegistryKeys(
    grpc::CallbackServerContext* context, const v1::GetRegistryKeysRequest*,
    v1::GetRegistryKeysResponse* response) {
  return Finish(
      context,
      absl::StatusOr<v1::GetRegistryKeysResponse>(registry_->GetRegistryKeys()),
      response);
}

grpc::ServerUnaryReactor* RegistryService::GetCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::GetCheckpointRequest* request, v1::SignedCheckpoint* response) {
  return Finish(context, registry_->GetCheckpoint(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const v1::GetInclusionProofRequest* request, v1::InclusionProof* response) {
  return Finish(context, registry_->GetInclusionProof(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return Finish(context, registry_->GetConsistencyProof(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetEntries(
    grpc::CallbackServerContext* context, const v1::GetEntriesRequest* request,
    v1::GetEntriesResponse* response) {
  return Finish(context, registry_->GetEntries(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetVerificationBundle(
    grpc::CallbackServerContext* context,
    const v1::GetVerificationBundleRequest* request,
    v1::VerificationBundle* response) {
  return Finish(context, registry_->GetVerificationBundle(*request), response);
}

grpc::ServerUnaryReactor* RegistryService::GetVerificationBundles(
    grpc::CallbackServerContext* context,
    const v1::GetVerificationBundlesRequest* request,
    v1::GetVerificationBundlesResponse* response) {
  return Finish(context, registry_->GetVerificationBundles(*request), response);
}

}  // namespace certreg
