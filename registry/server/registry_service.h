#ifndef CERTREG_REGISTRY_SERVER_REGISTRY_SERVICE_H_
#define CERTREG_REGISTRY_SERVER_REGISTRY_SERVICE_H_

#include "certreg/v1/registry.grpc.pb.h"
#include "registry/core/registry.h"
#include "registry/server/watch_stream.h"
#include "verifier/grpc/call_quota.h"

namespace certreg {

// certreg.v1.RegistryService over gRPC's callback API: each handler builds
// the core's input, calls the Registry and converts the status. Nothing else
// happens here. The Registry must outlive the service.
class RegistryService final : public v1::RegistryService::CallbackService {
 public:
  // `quota` (may be null: no quotas) meters every call by client and class;
  // `streams` bounds the streams (watch_stream.h).
  RegistryService(Registry* registry, CallQuota* quota,
                  const StreamLimits& streams = {})
      : registry_(registry), quota_(quota), streams_(streams) {}

  grpc::ServerUnaryReactor* IssueCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* RecordSurveillance(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* SuspendCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* ReinstateCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* RevokeCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* WithdrawCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* RenewCertificate(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* ChangeScope(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* ChangeHolder(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* AccreditBody(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* RotateBodyKey(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* RetireBodyKey(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* PublishRules(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementRequest* request,
      v1::StatementReceipt* response) override;
  grpc::ServerUnaryReactor* SubmitStatements(
      grpc::CallbackServerContext* context,
      const v1::SubmitStatementsRequest* request,
      v1::SubmitStatementsResponse* response) override;

  grpc::ServerUnaryReactor* GetCertificate(
      grpc::CallbackServerContext* context,
      const v1::GetCertificateRequest* request,
      v1::GetCertificateResponse* response) override;
  grpc::ServerBidiReactor<v1::GetCertificateRequest, v1::CertificateLookup>*
  LookupCertificates(grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<v1::CertificateChange>* WatchCertificates(
      grpc::CallbackServerContext* context,
      const v1::WatchCertificatesRequest* request) override;
  grpc::ServerUnaryReactor* CreateWatchlist(
      grpc::CallbackServerContext* context,
      const v1::CreateWatchlistRequest* request,
      v1::Watchlist* response) override;
  grpc::ServerUnaryReactor* ListWatchlists(
      grpc::CallbackServerContext* context,
      const v1::ListWatchlistsRequest* request,
      v1::ListWatchlistsResponse* response) override;
  grpc::ServerUnaryReactor* DeleteWatchlist(
      grpc::CallbackServerContext* context,
      const v1::DeleteWatchlistRequest* request,
      v1::DeleteWatchlistResponse* response) override;
  grpc::ServerUnaryReactor* ListDeliveries(
      grpc::CallbackServerContext* context,
      const v1::ListDeliveriesRequest* request,
      v1::ListDeliveriesResponse* response) override;
  grpc::ServerUnaryReactor* ReplayDelivery(
      grpc::CallbackServerContext* context,
      const v1::ReplayDeliveryRequest* request,
      v1::WebhookDelivery* response) override;
  grpc::ServerUnaryReactor* SearchCertificates(
      grpc::CallbackServerContext* context,
      const v1::SearchCertificatesRequest* request,
      v1::SearchCertificatesResponse* response) override;
  grpc::ServerUnaryReactor* ListBodies(
      grpc::CallbackServerContext* context,
      const v1::ListBodiesRequest* request,
      v1::ListBodiesResponse* response) override;
  grpc::ServerUnaryReactor* GetRegistryKeys(
      grpc::CallbackServerContext* context,
      const v1::GetRegistryKeysRequest* request,
      v1::GetRegistryKeysResponse* response) override;

  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::GetCheckpointRequest* request,
      v1::SignedCheckpoint* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* context,
      const v1::GetInclusionProofRequest* request,
      v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context,
      const v1::GetConsistencyProofRequest* request,
      v1::ConsistencyProof* response) override;
  grpc::ServerUnaryReactor* GetEntries(
      grpc::CallbackServerContext* context,
      const v1::GetEntriesRequest* request,
      v1::GetEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetVerificationBundle(
      grpc::CallbackServerContext* context,
      const v1::GetVerificationBundleRequest* request,
      v1::VerificationBundle* response) override;
  grpc::ServerUnaryReactor* GetVerificationBundles(
      grpc::CallbackServerContext* context,
      const v1::GetVerificationBundlesRequest* request,
      v1::GetVerificationBundlesResponse* response) override;

 private:
  // The caller's API key name (watchlists belong to it); UNAUTHENTICATED
  // without a key the registry knows.
  absl::StatusOr<std::string> Owner(
      const grpc::CallbackServerContext& context) const;

  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext* context,
                                   v1::StatementKind kind,
                                   const v1::SubmitStatementRequest* request,
                                   v1::StatementReceipt* response);

  Registry* const registry_;
  CallQuota* const quota_;
  const StreamLimits streams_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_REGISTRY_SERVICE_H_
