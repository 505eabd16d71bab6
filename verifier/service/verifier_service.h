#ifndef CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_
#define CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_

#include <memory>

#include "certreg/v1/verifier.grpc.pb.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/grpc/call_quota.h"

namespace certreg {

// certreg.v1.VerifierService over gRPC's callback API, adapting a
// ClaimVerifier. The ClaimVerifier must outlive the service.
class VerifierService final : public v1::VerifierService::CallbackService {
 public:
  // `quota` (may be null: none) meters claims by client.
  VerifierService(ClaimVerifier* verifier, CallQuota* quota)
      : verifier_(verifier), quota_(quota) {}

  grpc::ServerUnaryReactor* Verify(grpc::CallbackServerContext* context,
                                   const v1::VerifyRequest* request,
                                   v1::VerifyResponse* response) override;
  grpc::ServerUnaryReactor* BatchVerify(
      grpc::CallbackServerContext* context,
      const v1::BatchVerifyRequest* request,
      v1::BatchVerifyResponse* response) override;

 private:
  // Admits a call of `claims` claims; the ticket to hold until answered.
  absl::StatusOr<std::shared_ptr<CallQuota::Ticket>> Admit(
      grpc::CallbackServerContext* context, int claims);

  ClaimVerifier* const verifier_;
  CallQuota* const quota_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_
