#ifndef CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_
#define CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_

#include "certreg/v1/verifier.grpc.pb.h"
#include "verifier/bundle/claim_verifier.h"

namespace certreg {

// certreg.v1.VerifierService over gRPC's callback API, adapting a
// ClaimVerifier. The ClaimVerifier must outlive the service.
class VerifierService final : public v1::VerifierService::CallbackService {
 public:
  explicit VerifierService(ClaimVerifier* verifier) : verifier_(verifier) {}

  grpc::ServerUnaryReactor* Verify(grpc::CallbackServerContext* context,
                                   const v1::VerifyRequest* request,
                                   v1::VerifyResponse* response) override;
  grpc::ServerUnaryReactor* BatchVerify(
      grpc::CallbackServerContext* context,
      const v1::BatchVerifyRequest* request,
      v1::BatchVerifyResponse* response) override;

 private:
  ClaimVerifier* const verifier_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_SERVICE_VERIFIER_SERVICE_H_
