#ifndef CERTREG_TOOLS_REGISTRY_CLIENT_H_
#define CERTREG_TOOLS_REGISTRY_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "certreg/v1/registry.grpc.pb.h"

namespace certreg {

// A blocking client of certreg.v1.RegistryService returning absl::Status.
// Every call has a deadline; an unreachable registry is UNAVAILABLE with a
// message naming the address. Thread-safe.
class RegistryClient {
 public:
  explicit RegistryClient(
      const std::string& address,
      std::chrono::seconds timeout = std::chrono::seconds(10));

  const std::string& address() const { return address_; }

  // Sends a signed statement to the RPC for its kind.
  absl::StatusOr<v1::StatementReceipt> Submit(
      v1::StatementKind kind, const v1::SignedStatement& signed_statement);

  absl::StatusOr<v1::GetCertificateResponse> GetCertificate(
      const v1::GetCertificateRequest& request);
  absl::StatusOr<v1::SearchCertificatesResponse> SearchCertificates(
      const v1::SearchCertificatesRequest& request);
  absl::StatusOr<v1::ListBodiesResponse> ListBodies(
      const v1::ListBodiesRequest& request);
  absl::StatusOr<v1::GetRegistryKeysResponse> GetRegistryKeys();

  v1::RegistryService::Stub& stub() { return *stub_; }

 private:
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request);

  std::string address_;
  std::chrono::seconds timeout_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_REGISTRY_CLIENT_H_
