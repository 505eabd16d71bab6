#ifndef CERTREG_VERIFIER_GRPC_REGISTRY_CLIENT_H_
#define CERTREG_VERIFIER_GRPC_REGISTRY_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "certreg/v1/admin.grpc.pb.h"
#include "certreg/v1/registry.grpc.pb.h"
#include "google/protobuf/arena.h"
#include "verifier/grpc/client_channel.h"

namespace certreg {

// A blocking client of certreg.v1.RegistryService returning absl::Status.
// Every call has a deadline; an unreachable registry is UNAVAILABLE with a
// message naming the address. Thread-safe.
class RegistryClient {
 public:
  // Plaintext unless `tls` is given. `address` may list the replicas of a
  // replicated registry ("10.0.0.1:50051,10.0.0.2:50051"; IP addresses or
  // localhost): reads go to any that answers, writes follow the leader the
  // replicas name and wait out an election (up to the timeout).
  explicit RegistryClient(
      const std::string& address,
      std::chrono::seconds timeout = std::chrono::seconds(10),
      const std::optional<ClientTls>& tls = std::nullopt);

  const std::string& address() const { return address_; }

  // Sends `key` with every call (metadata x-api-key): the registry meters
  // the key's quota instead of the client's address. Empty: none.
  void set_api_key(std::string key) { api_key_ = std::move(key); }
  // A client on the same connection that sends `key` (a front-end passing
  // on its caller's key). Cheap: no new connection.
  std::unique_ptr<RegistryClient> WithApiKey(std::string key) const;

  // Sends a signed statement to the RPC for its kind.
  absl::StatusOr<v1::StatementReceipt> Submit(
      v1::StatementKind kind, const v1::SignedStatement& signed_statement);
  // Many statements in one call (SubmitStatements): one result each, in
  // order; the call itself fails only when the registry is unreachable or
  // the batch too large.
  absl::StatusOr<std::vector<absl::StatusOr<v1::StatementReceipt>>> SubmitBatch(
      const std::vector<v1::SignedStatement>& statements);

  absl::StatusOr<v1::GetCertificateResponse> GetCertificate(
      const v1::GetCertificateRequest& request);
  // Many lookups over one LookupCertificates stream: one result each, in
  // order (NOT_FOUND or INVALID_ARGUMENT for a number alone, as
  // GetCertificate would say). The call itself fails only when the stream
  // does: an unreachable registry, or the deadline, which is the client's
  // timeout for each 1,000 requests begun. A registry without the stream
  // (UNIMPLEMENTED) is asked once per request with GetCertificate instead.
  absl::StatusOr<std::vector<absl::StatusOr<v1::GetCertificateResponse>>>
  LookupCertificates(const std::vector<v1::GetCertificateRequest>& requests);
  absl::StatusOr<v1::SearchCertificatesResponse> SearchCertificates(
      const v1::SearchCertificatesRequest& request);
  absl::StatusOr<v1::ListBodiesResponse> ListBodies(
      const v1::ListBodiesRequest& request);
  absl::StatusOr<v1::GetRegistryKeysResponse> GetRegistryKeys();
  absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(uint64_t tree_size = 0);
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request);
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(uint64_t from_size,
                                                           uint64_t to_size);
  absl::StatusOr<v1::GetEntriesResponse> GetEntries(uint64_t start,
                                                    uint64_t end);
  absl::StatusOr<v1::VerificationBundle> GetVerificationBundle(
      const std::string& number);
  // The answer is parsed onto `arena`, which owns it: a hundred bundles'
  // thousands of fields and proof hashes cost a few blocks of the arena, not
  // an allocation and a free each.
  absl::StatusOr<v1::GetVerificationBundlesResponse*> GetVerificationBundles(
      const std::vector<std::string>& numbers, google::protobuf::Arena& arena);
  // Follows WatchCertificates (no deadline: a watch lasts), calling
  // `on_change` with each message until it returns false (then OK is
  // returned) or the stream ends with an error. A stream the server ends at
  // its age limit (DEADLINE_EXCEEDED) or that a connection loss ends
  // (UNAVAILABLE: the server's GOAWAY, a restart) is resumed from the last
  // cursor received, nothing lost or repeated; after five tries in a row
  // without a message (backing off from 0.2 s), its error is returned.
  absl::Status Watch(
      const v1::WatchCertificatesRequest& request,
      const std::function<bool(const v1::CertificateChange&)>& on_change);
  // Watchlists (they belong to the client's API key: set_api_key).
  absl::StatusOr<v1::Watchlist> CreateWatchlist(const v1::Watchlist& watchlist);
  absl::StatusOr<v1::ListWatchlistsResponse> ListWatchlists();
  absl::Status DeleteWatchlist(const std::string& id);
  absl::StatusOr<v1::ListDeliveriesResponse> ListDeliveries(
      const v1::ListDeliveriesRequest& request);
  absl::StatusOr<v1::WebhookDelivery> ReplayDelivery(
      const std::string& watchlist_id, const std::string& delivery_id);
  // AdminService.Backup.
  absl::StatusOr<v1::BackupResponse> Backup(const std::string& name);
  // AdminService.ScrubWithProgress: the report, `on_progress` (when given)
  // called with each progress message on the way. No deadline: a scrub of
  // a large registry takes minutes, and its progress shows it alive.
  absl::StatusOr<v1::ScrubReport> Scrub(
      const std::function<void(const v1::ScrubProgress&)>& on_progress =
          nullptr);

  v1::RegistryService::Stub& stub() { return *stub_; }

 private:
  // Sets the deadline and the API key of a call.
  void Prepare(grpc::ClientContext& context) const;
  // One call with the client's deadline, its answer into `response`.
  template <typename Request, typename Response, typename Stub, typename Method>
  absl::Status CallInto(
      Stub& stub, Method method, const Request& request, Response* response,
      std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  template <typename Request, typename Response, typename Stub, typename Method>
  absl::StatusOr<Response> Call(Stub& stub, Method method,
                                const Request& request);
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request) {
    return Call<Request, Response>(*stub_, method, request);
  }
  // A write: sent to the leader, following a follower's NOT_LEADER to the
  // address it names and waiting out LEADER_CHANGING (and, with several
  // addresses, an unreachable replica) until the client's timeout.
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> CallWrite(Method method, const Request& request);
  // The stub writes go to; `leader` (host:port) from now on, or, when
  // empty, the next of the client's replicas in turn (a replica that does
  // not answer -- stopped, paused -- is passed over on the next try).
  std::shared_ptr<v1::RegistryService::Stub> WriteStub();
  void FollowLeader(const std::string& leader);
  // A call's status as this client reports it: UNAVAILABLE naming the
  // address when the registry cannot be reached in time.
  absl::Status CallStatus(const grpc::Status& status) const;

  RegistryClient(std::string address, std::chrono::seconds timeout,
                 std::shared_ptr<grpc::Channel> channel,
                 std::optional<ClientTls> tls);

  std::string address_;
  std::string api_key_;
  std::chrono::seconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  std::unique_ptr<v1::AdminService::Stub> admin_stub_;
  std::optional<ClientTls> tls_;
  // The replicas of a replicated registry (`address` listed them); empty
  // for one address.
  std::vector<std::string> replicas_;
  absl::Mutex leader_mu_;
  size_t next_replica_ ABSL_GUARDED_BY(leader_mu_) = 0;
  std::shared_ptr<v1::RegistryService::Stub> leader_stub_
      ABSL_GUARDED_BY(leader_mu_);
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_REGISTRY_CLIENT_H_
