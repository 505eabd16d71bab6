#include "tools/registry_client.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "registry/grpc_status.h"

namespace certreg {

RegistryClient::RegistryClient(const std::string& address,
                               std::chrono::seconds timeout)
    : address_(address),
      timeout_(timeout),
      stub_(v1::RegistryService::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> RegistryClient::Call(Method method,
                                              const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::UnavailableError(absl::StrCat(
        "registry at ", address_, " is unreachable: ", status.error_message()));
  }
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::StatementReceipt> RegistryClient::Submit(
    v1::StatementKind kind, const v1::SignedStatement& signed_statement) {
  using Stub = v1::RegistryService::Stub;
  grpc::Status (Stub::*method)(grpc::ClientContext*,
                               const v1::SubmitStatementRequest&,
                               v1::StatementReceipt*) = nullptr;
  switch (kind) {
    case v1::STATEMENT_KIND_ISSUE:
      method = &Stub::IssueCertificate;
      break;
    case v1::STATEMENT_KIND_SURVEILLANCE:
      method = &Stub::RecordSurveillance;
      break;
    case v1::STATEMENT_KIND_SUSPEND:
      method = &Stub::SuspendCertificate;
      break;
    case v1::STATEMENT_KIND_REINSTATE:
      method = &Stub::ReinstateCertificate;
      break;
    case v1::STATEMENT_KIND_REVOKE:
      method = &Stub::RevokeCertificate;
      break;
    case v1::STATEMENT_KIND_WITHDRAW:
      method = &Stub::WithdrawCertificate;
      break;
    case v1::STATEMENT_KIND_RENEW:
      method = &Stub::RenewCertificate;
      break;
    case v1::STATEMENT_KIND_CHANGE_SCOPE:
      method = &Stub::ChangeScope;
      break;
    case v1::STATEMENT_KIND_ACCREDIT_BODY:
      method = &Stub::AccreditBody;
      break;
    case v1::STATEMENT_KIND_ROTATE_BODY_KEY:
      method = &Stub::RotateBodyKey;
      break;
    case v1::STATEMENT_KIND_RETIRE_BODY_KEY:
      method = &Stub::RetireBodyKey;
      break;
    default:
      return absl::InvalidArgumentError("statement kind is unspecified");
  }
  v1::SubmitStatementRequest request;
  *request.mutable_signed_statement() = signed_statement;
  return Call<v1::SubmitStatementRequest, v1::StatementReceipt>(method,
                                                                request);
}

absl::StatusOr<v1::GetCertificateResponse> RegistryClient::GetCertificate(
    const v1::GetCertificateRequest& request) {
  return Call<v1::GetCertificateRequest, v1::GetCertificateResponse>(
      &v1::RegistryService::Stub::GetCertificate, request);
}

absl::StatusOr<v1::SearchCertificatesResponse>
RegistryClient::SearchCertificates(
    const v1::SearchCertificatesRequest& request) {
  return Call<v1::SearchCertificatesRequest, v1::SearchCertificatesResponse>(
      &v1::RegistryService::Stub::SearchCertificates, request);
}

absl::StatusOr<v1::ListBodiesResponse> RegistryClient::ListBodies(
    const v1::ListBodiesRequest& request) {
  return Call<v1::ListBodiesRequest, v1::ListBodiesResponse>(
      &v1::RegistryService::Stub::ListBodies, request);
}

absl::StatusOr<v1::GetRegistryKeysResponse> RegistryClient::GetRegistryKeys() {
  return Call<v1::GetRegistryKeysRequest, v1::GetRegistryKeysResponse>(
      &v1::RegistryService::Stub::GetRegistryKeys,
      v1::GetRegistryKeysRequest());
}

}  // namespace certreg
