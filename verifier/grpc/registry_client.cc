#include "verifier/grpc/registry_client.h"

#include <thread>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "verifier/base/status_answer.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {

RegistryClient::RegistryClient(const std::string& address,
                               std::chrono::seconds timeout,
                               const std::optional<ClientTls>& tls)
    : RegistryClient(address, timeout, NewClientChannel(address, tls), tls) {}

RegistryClient::RegistryClient(std::string address,
                               std::chrono::seconds timeout,
                               std::shared_ptr<grpc::Channel> channel,
                               std::optional<ClientTls> tls)
    : address_(std::move(address)),
      timeout_(timeout),
      channel_(std::move(channel)),
      stub_(v1::RegistryService::NewStub(channel_)),
      admin_stub_(v1::AdminService::NewStub(channel_)),
      tls_(std::move(tls)) {
  if (address_.find(',') != std::string::npos) {
    replicas_ = AddressList(address_);
  }
}

std::shared_ptr<v1::RegistryService::Stub> RegistryClient::WriteStub() {
  absl::MutexLock lock(&leader_mu_);
  if (leader_stub_ == nullptr) {
    leader_stub_ = v1::RegistryService::NewStub(channel_);
  }
  return leader_stub_;
}

void RegistryClient::FollowLeader(const std::string& leader) {
  absl::MutexLock lock(&leader_mu_);
  if (!leader.empty()) {
    leader_stub_ = v1::RegistryService::NewStub(NewClientChannel(leader, tls_));
  } else if (!replicas_.empty()) {
    leader_stub_ = v1::RegistryService::NewStub(
        NewClientChannel(replicas_[next_replica_++ % replicas_.size()], tls_));
  } else {
    leader_stub_ = v1::RegistryService::NewStub(channel_);
  }
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> RegistryClient::CallWrite(Method method,
                                                   const Request& request) {
  const absl::Time give_up = absl::Now() + absl::FromChrono(timeout_);
  const bool replicas = !replicas_.empty();
  // With replicas, a try gets a part of the timeout, so that one that does
  // not answer leaves time for the others.
  const std::chrono::milliseconds per_try =
      replicas ? std::min<std::chrono::milliseconds>(
                     timeout_, std::max<std::chrono::milliseconds>(
                                   std::chrono::seconds(2), timeout_ / 4))
               : std::chrono::milliseconds(timeout_);
  for (int attempt = 0;; ++attempt) {
    std::shared_ptr<v1::RegistryService::Stub> stub = WriteStub();
    Response response;
    const absl::Status status =
        CallInto(*stub, method, request, &response, per_try);
    if (status.ok()) return response;
    const std::string reason = ErrorReason(status);
    const std::string leader = ErrorFact(status, kLeaderFact);
    const bool redirect = reason == kNotLeaderReason && !leader.empty();
    const bool wait = reason == kLeaderChangingReason ||
                      (replicas && absl::IsUnavailable(status));
    if (!(redirect || wait)) return status;
    if (absl::Now() >= give_up || attempt >= 50) {
      // Sent from replica to replica until the time ran out: no leader
      // took the write.
      return absl::UnavailableError(
          absl::StrCat("no leader took the write within ", timeout_.count(),
                       " s: ", status.message()));
    }
    FollowLeader(redirect ? leader : "");
    if (wait) {
      absl::SleepFor(
          std::min(RetryDelay(status).value_or(absl::Milliseconds(300)),
                   absl::Seconds(1)));
    }
  }
}

std::unique_ptr<RegistryClient> RegistryClient::WithApiKey(
    std::string key) const {
  auto client =
      absl::WrapUnique(new RegistryClient(address_, timeout_, channel_, tls_));
  client->set_api_key(std::move(key));
  return client;
}

void RegistryClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  if (!api_key_.empty()) context.AddMetadata("x-api-key", api_key_);
}

template <typename Request, typename Response, typename Stub, typename Method>
absl::Status RegistryClient::CallInto(
    Stub& stub, Method method, const Request& request, Response* response,
    std::optional<std::chrono::milliseconds> timeout) {
  grpc::ClientContext context;
  Prepare(context);
  if (timeout.has_value()) {
    context.set_deadline(std::chrono::system_clock::now() + *timeout);
  }
  return CallStatus((stub.*method)(&context, request, response));
}

template <typename Request, typename Response, typename Stub, typename Method>
absl::StatusOr<Response> RegistryClient::Call(Stub& stub, Method method,
                                              const Request& request) {
  Response response;
  absl::Status status = CallInto(stub, method, request, &response);
  if (!status.ok()) return status;
  return response;
}

absl::Status RegistryClient::CallStatus(const grpc::Status& status) const {
  // The server's own UNAVAILABLE (a replica without a leader) says more
  // than "unreachable": it has details.
  if ((status.error_code() == grpc::StatusCode::UNAVAILABLE ||
       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) &&
      status.error_details().empty()) {
    return absl::UnavailableError(absl::StrCat(
        "registry at ", address_, " is unreachable: ", status.error_message()));
  }
  return FromGrpcStatus(status);
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
    case v1::STATEMENT_KIND_CHANGE_HOLDER:
      method = &Stub::ChangeHolder;
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
    case v1::STATEMENT_KIND_PUBLISH_RULES:
      method = &Stub::PublishRules;
      break;
    default:
      return absl::InvalidArgumentError("statement kind is unspecified");
  }
  v1::SubmitStatementRequest request;
  *request.mutable_signed_statement() = signed_statement;
  return CallWrite<v1::SubmitStatementRequest, v1::StatementReceipt>(method,
                                                                     request);
}

absl::StatusOr<std::vector<absl::StatusOr<v1::StatementReceipt>>>
RegistryClient::SubmitBatch(
    const std::vector<v1::SignedStatement>& statements) {
  v1::SubmitStatementsRequest request;
  for (const v1::SignedStatement& s : statements) {
    *request.add_signed_statements() = s;
  }
  absl::StatusOr<v1::SubmitStatementsResponse> response =
      CallWrite<v1::SubmitStatementsRequest, v1::SubmitStatementsResponse>(
          &v1::RegistryService::Stub::SubmitStatements, request);
  if (!response.ok()) return response.status();
  if (response->results_size() != request.signed_statements_size()) {
    return absl::InternalError(absl::StrCat(
        "the registry answered ", response->results_size(), " results for ",
        request.signed_statements_size(), " statements"));
  }
  std::vector<absl::StatusOr<v1::StatementReceipt>> results;
  for (const v1::SubmitStatementResult& result : response->results()) {
    if (result.code() == 0) {
      results.push_back(result.receipt());
    } else {
      results.push_back(AnswerStatus(result.code(), result.message()));
    }
  }
  return results;
}

absl::StatusOr<v1::GetCertificateResponse> RegistryClient::GetCertificate(
    const v1::GetCertificateRequest& request) {
  return Call<v1::GetCertificateRequest, v1::GetCertificateResponse>(
      &v1::RegistryService::Stub::GetCertificate, request);
}

absl::StatusOr<std::vector<absl::StatusOr<v1::GetCertificateResponse>>>
RegistryClient::LookupCertificates(
    const std::vector<v1::GetCertificateRequest>& requests) {
  grpc::ClientContext context;
  Prepare(context);
  context.set_deadline(std::chrono::system_clock::now() +
                       timeout_ *
                           static_cast<int64_t>(1 + requests.size() / 1000));
  std::unique_ptr<grpc::ClientReaderWriter<v1::GetCertificateRequest,
                                           v1::CertificateLookup>>
      stream = stub_->LookupCertificates(&context);
  // The requests go out from a thread of their own while this one reads
  // the answers, so neither side's flow-control window can fill with
  // answers nobody reads.
  std::thread writer([&stream, &requests] {
    for (const v1::GetCertificateRequest& request : requests) {
      if (!stream->Write(request)) return;  // the stream failed: Finish says
    }
    stream->WritesDone();
  });
  std::vector<absl::StatusOr<v1::GetCertificateResponse>> results;
  results.reserve(requests.size());
  v1::CertificateLookup answer;
  while (results.size() < requests.size() && stream->Read(&answer)) {
    if (answer.code() == 0) {
      results.push_back(std::move(*answer.mutable_certificate()));
    } else {
      results.push_back(AnswerStatus(answer.code(), answer.message()));
    }
  }
  // Reading stopped early only once the call had ended: its status is there
  // to take before the cancel that frees a writer still waiting to send
  // (a cancel first would replace the status with CANCELLED).
  absl::Status finished = CallStatus(stream->Finish());
  if (results.size() < requests.size()) context.TryCancel();
  writer.join();
  if (absl::IsUnimplemented(finished) && results.empty()) {
    // A registry from before LookupCertificates (or a proxy that does not
    // pass it on) still answers GetCertificate: one call per number.
    for (const v1::GetCertificateRequest& request : requests) {
      results.push_back(GetCertificate(request));
      if (absl::IsUnavailable(results.back().status())) {
        return results.back().status();
      }
    }
    return results;
  }
  if (!finished.ok()) return finished;
  if (results.size() < requests.size()) {
    return absl::InternalError(
        absl::StrCat("registry at ", address_, " answered ", results.size(),
                     " of ", requests.size(), " lookups and ended the stream"));
  }
  return results;
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

absl::StatusOr<v1::SignedCheckpoint> RegistryClient::GetCheckpoint(
    uint64_t tree_size) {
  v1::GetCheckpointRequest request;
  request.set_tree_size(tree_size);
  return Call<v1::GetCheckpointRequest, v1::SignedCheckpoint>(
      &v1::RegistryService::Stub::GetCheckpoint, request);
}

absl::Status RegistryClient::Watch(
    const v1::WatchCertificatesRequest& request,
    const std::function<bool(const v1::CertificateChange&)>& on_change) {
  v1::WatchCertificatesRequest next = request;
  int tries_without_message = 0;
  for (;;) {
    grpc::ClientContext context;
    if (!api_key_.empty()) context.AddMetadata("x-api-key", api_key_);
    std::unique_ptr<grpc::ClientReader<v1::CertificateChange>> reader =
        stub_->WatchCertificates(&context, next);
    v1::CertificateChange change;
    bool stopped = false, received = false;
    while (reader->Read(&change)) {
      received = true;
      if (!change.cursor().empty()) next.set_cursor(change.cursor());
      if (!on_change(change)) {
        stopped = true;
        context.TryCancel();
        break;
      }
    }
    const grpc::Status status = reader->Finish();
    if (stopped) return absl::OkStatus();
    const bool resumable =
        (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         status.error_code() == grpc::StatusCode::UNAVAILABLE) &&
        !next.cursor().empty();
    tries_without_message = received ? 0 : tries_without_message + 1;
    if (!resumable || tries_without_message >= 5) return CallStatus(status);
    if (tries_without_message > 0) {
      absl::SleepFor(absl::Milliseconds(200) * (1 << tries_without_message));
    }
  }
}

absl::StatusOr<v1::Watchlist> RegistryClient::CreateWatchlist(
    const v1::Watchlist& watchlist) {
  v1::CreateWatchlistRequest request;
  *request.mutable_watchlist() = watchlist;
  return Call<v1::CreateWatchlistRequest, v1::Watchlist>(
      &v1::RegistryService::Stub::CreateWatchlist, request);
}

absl::StatusOr<v1::ListWatchlistsResponse> RegistryClient::ListWatchlists() {
  return Call<v1::ListWatchlistsRequest, v1::ListWatchlistsResponse>(
      &v1::RegistryService::Stub::ListWatchlists, v1::ListWatchlistsRequest());
}

absl::Status RegistryClient::DeleteWatchlist(const std::string& id) {
  v1::DeleteWatchlistRequest request;
  request.set_id(id);
  return Call<v1::DeleteWatchlistRequest, v1::DeleteWatchlistResponse>(
             &v1::RegistryService::Stub::DeleteWatchlist, request)
      .status();
}

absl::StatusOr<v1::ListDeliveriesResponse> RegistryClient::ListDeliveries(
    const v1::ListDeliveriesRequest& request) {
  return Call<v1::ListDeliveriesRequest, v1::ListDeliveriesResponse>(
      &v1::RegistryService::Stub::ListDeliveries, request);
}

absl::StatusOr<v1::WebhookDelivery> RegistryClient::ReplayDelivery(
    const std::string& watchlist_id, const std::string& delivery_id) {
  v1::ReplayDeliveryRequest request;
  request.set_watchlist_id(watchlist_id);
  request.set_delivery_id(delivery_id);
  return Call<v1::ReplayDeliveryRequest, v1::WebhookDelivery>(
      &v1::RegistryService::Stub::ReplayDelivery, request);
}

absl::StatusOr<v1::InclusionProof> RegistryClient::GetInclusionProof(
    const v1::GetInclusionProofRequest& request) {
  return Call<v1::GetInclusionProofRequest, v1::InclusionProof>(
      &v1::RegistryService::Stub::GetInclusionProof, request);
}

absl::StatusOr<v1::ConsistencyProof> RegistryClient::GetConsistencyProof(
    uint64_t from_size, uint64_t to_size) {
  v1::GetConsistencyProofRequest request;
  request.set_from_size(from_size);
  request.set_to_size(to_size);
  return Call<v1::GetConsistencyProofRequest, v1::ConsistencyProof>(
      &v1::RegistryService::Stub::GetConsistencyProof, request);
}

absl::StatusOr<v1::GetEntriesResponse> RegistryClient::GetEntries(
    uint64_t start, uint64_t end) {
  v1::GetEntriesRequest request;
  request.set_start(start);
  request.set_end(end);
  return Call<v1::GetEntriesRequest, v1::GetEntriesResponse>(
      &v1::RegistryService::Stub::GetEntries, request);
}

absl::StatusOr<v1::VerificationBundle> RegistryClient::GetVerificationBundle(
    const std::string& number) {
  v1::GetVerificationBundleRequest request;
  request.set_number(number);
  return Call<v1::GetVerificationBundleRequest, v1::VerificationBundle>(
      &v1::RegistryService::Stub::GetVerificationBundle, request);
}

absl::StatusOr<v1::GetVerificationBundlesResponse*>
RegistryClient::GetVerificationBundles(const std::vector<std::string>& numbers,
                                       google::protobuf::Arena& arena) {
  v1::GetVerificationBundlesRequest request;
  for (const std::string& number : numbers) request.add_numbers(number);
  auto* response = google::protobuf::Arena::CreateMessage<
      v1::GetVerificationBundlesResponse>(&arena);
  absl::Status status =
      CallInto(*stub_, &v1::RegistryService::Stub::GetVerificationBundles,
               request, response);
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::BackupResponse> RegistryClient::Backup(
    const std::string& name) {
  v1::BackupRequest request;
  request.set_name(name);
  return Call<v1::BackupRequest, v1::BackupResponse>(
      *admin_stub_, &v1::AdminService::Stub::Backup, request);
}

absl::StatusOr<v1::ScrubReport> RegistryClient::Scrub(
    const std::function<void(const v1::ScrubProgress&)>& on_progress) {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::ScrubUpdate>> reader =
      admin_stub_->ScrubWithProgress(&context, v1::ScrubRequest());
  v1::ScrubUpdate update;
  std::optional<v1::ScrubReport> report;
  while (reader->Read(&update)) {
    if (update.has_report()) {
      report = update.report();
    } else if (on_progress != nullptr) {
      on_progress(update.progress());
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return CallStatus(status);
  if (!report.has_value()) {
    return absl::DataLossError(
        "ScrubWithProgress: the stream ended without "
        "a report");
  }
  return *std::move(report);
}

}  // namespace certreg
