#include "registry/server/registry_service.h"

#include <algorithm>

#include "registry/server/watch_stream.h"
#include "verifier/base/status_answer.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/grpc/request_parse_errors.h"

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

// Answers a call `quota` refused (a quota refusal after its delay).
grpc::ServerUnaryReactor* Refused(CallQuota* quota,
                                  grpc::CallbackServerContext* context,
                                  const absl::Status& refusal) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  quota->AnswerRefusal(reactor, refusal);
  return reactor;
}

// Runs `work` for a call of `call_class` once `quota` (when there is one)
// admits it, holding its ticket meanwhile; finishes the call either way.
template <typename T, typename Work>
grpc::ServerUnaryReactor* Metered(CallQuota* quota,
                                  grpc::CallbackServerContext* context,
                                  CallClass call_class, T* response, Work work,
                                  int cost = 1) {
  absl::StatusOr<CallQuota::Ticket> ticket =
      quota == nullptr ? CallQuota::Ticket()
                       : quota->Admit(*context, call_class, cost);
  if (!ticket.ok()) return Refused(quota, context, ticket.status());
  return Finish<T>(context, work(), response);
}

}  // namespace

// Writes finish from the registry's commit thread once durable: no gRPC
// thread waits for the disk.
grpc::ServerUnaryReactor* RegistryService::Submit(
    grpc::CallbackServerContext* context, v1::StatementKind kind,
    const v1::SubmitStatementRequest* request, v1::StatementReceipt* response) {
  if (quota_ != nullptr) {
    absl::StatusOr<CallQuota::Ticket> admitted =
        quota_->Admit(*context, CallClass::kWrite);
    if (!admitted.ok()) return Refused(quota_, context, admitted.status());
  }
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
  if (quota_ != nullptr) {
    absl::StatusOr<CallQuota::Ticket> admitted =
        quota_->Admit(*context, CallClass::kWrite,
                      std::max(1, request->signed_statements_size()));
    if (!admitted.ok()) return Refused(quota_, context, admitted.status());
  }
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
  return Metered<v1::GetCertificateResponse>(
      quota_, context, CallClass::kLookup, response,
      [&] { return registry_->GetCertificate(*request); });
}

namespace {

// One LookupCertificates stream: reads a request, answers it, reads the
// next. It answers on the gRPC thread that read the request, as
// GetCertificate does; a slow reader only holds back its own stream.
class LookupReactor final
    : public grpc::ServerBidiReactor<v1::GetCertificateRequest,
                                     v1::CertificateLookup> {
 public:
  // Refused at once with `refusal` unless it is OK.
  LookupReactor(const Registry* registry, CallQuota* quota,
                grpc::CallbackServerContext* context,
                const absl::Status& refusal, absl::Duration max_age)
      : registry_(*registry),
        quota_(quota),
        context_(*context),
        ends_(max_age > absl::ZeroDuration() ? absl::Now() + max_age
                                             : absl::InfiniteFuture()),
        max_age_(max_age) {
    if (!refusal.ok()) {
      Finish(ToGrpcStatus(refusal));
      return;
    }
    Read();
  }

  void OnReadDone(bool ok) override {
    if (!ok && Unparsed()) {
      Finish(grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          RequestParseErrorMessage(
              "/certreg.v1.RegistryService/LookupCertificates", "")));
      return;
    }
    if (!ok) {  // the client closed its side, or the call ended
      Finish(grpc::Status::OK);
      return;
    }
    if (absl::Now() >= ends_) {
      Finish(grpc::Status(
          grpc::StatusCode::DEADLINE_EXCEEDED,
          absl::StrCat("the stream reached the server's limit of ",
                       absl::FormatDuration(max_age_),
                       "; the request was not read: send it on a new stream")));
      return;
    }
    // Each lookup of the stream spends the client's lookup budget.
    absl::StatusOr<CallQuota::Ticket> ticket =
        quota_ == nullptr ? CallQuota::Ticket()
                          : quota_->Admit(context_, CallClass::kLookup);
    absl::StatusOr<v1::GetCertificateResponse> found =
        ticket.ok()
            ? registry_.GetCertificate(request_)
            : absl::StatusOr<v1::GetCertificateResponse>(ticket.status());
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
    Read();
  }

  void OnDone() override { delete this; }

 private:
  // gRPC ends a read with the same `false` for a client that closed its
  // side and for a message that did not parse; only parsing clears the
  // request, so a request marked before the read tells them apart.
  void Read() {
    request_.Clear();
    request_.set_number(kUnread);
    StartRead(&request_);
  }
  bool Unparsed() const { return request_.number() != kUnread; }
  static constexpr const char* kUnread = "\xff(no message read)";

  const Registry& registry_;
  CallQuota* const quota_;
  grpc::CallbackServerContext& context_;
  const absl::Time ends_;  // max_age after the start
  const absl::Duration max_age_;
  v1::GetCertificateRequest request_;
  v1::CertificateLookup answer_;
};

}  // namespace

grpc::ServerBidiReactor<v1::GetCertificateRequest, v1::CertificateLookup>*
RegistryService::LookupCertificates(grpc::CallbackServerContext* context) {
  absl::Status opened = absl::OkStatus();
  if (quota_ != nullptr) {
    opened = quota_->Admit(*context, CallClass::kStream).status();
  }
  return new LookupReactor(registry_, quota_, context, opened,
                           streams_.max_age);
}

grpc::ServerWriteReactor<v1::CertificateChange>*
RegistryService::WatchCertificates(
    grpc::CallbackServerContext* context,
    const v1::WatchCertificatesRequest* request) {
  absl::Status opened = absl::OkStatus();
  if (quota_ != nullptr) {
    opened = quota_->Admit(*context, CallClass::kStream).status();
  }
  return NewWatchStream(registry_, context, request, opened, streams_);
}

absl::StatusOr<std::string> RegistryService::Owner(
    const grpc::CallbackServerContext& context) const {
  const std::string name = quota_ == nullptr ? "" : quota_->KeyName(context);
  if (name.empty()) {
    return absl::UnauthenticatedError(
        "x-api-key: watchlists belong to an API key; send one the registry "
        "knows (its --api_keys_file)");
  }
  return name;
}

grpc::ServerUnaryReactor* RegistryService::CreateWatchlist(
    grpc::CallbackServerContext* context,
    const v1::CreateWatchlistRequest* request, v1::Watchlist* response) {
  return Metered<v1::Watchlist>(
      quota_, context, CallClass::kWrite, response,
      [&]() -> absl::StatusOr<v1::Watchlist> {
        absl::StatusOr<std::string> owner = Owner(*context);
        if (!owner.ok()) return owner.status();
        return registry_->watchlists().Create(*owner, request->watchlist());
      });
}

grpc::ServerUnaryReactor* RegistryService::ListWatchlists(
    grpc::CallbackServerContext* context, const v1::ListWatchlistsRequest*,
    v1::ListWatchlistsResponse* response) {
  return Metered<v1::ListWatchlistsResponse>(
      quota_, context, CallClass::kLookup, response,
      [&]() -> absl::StatusOr<v1::ListWatchlistsResponse> {
        absl::StatusOr<std::string> owner = Owner(*context);
        if (!owner.ok()) return owner.status();
        absl::StatusOr<std::vector<v1::Watchlist>> listed =
            registry_->watchlists().List(*owner);
        if (!listed.ok()) return listed.status();
        v1::ListWatchlistsResponse answer;
        for (v1::Watchlist& watchlist : *listed) {
          *answer.add_watchlists() = std::move(watchlist);
        }
        return answer;
      });
}

grpc::ServerUnaryReactor* RegistryService::DeleteWatchlist(
    grpc::CallbackServerContext* context,
    const v1::DeleteWatchlistRequest* request,
    v1::DeleteWatchlistResponse* response) {
  return Metered<v1::DeleteWatchlistResponse>(
      quota_, context, CallClass::kWrite, response,
      [&]() -> absl::StatusOr<v1::DeleteWatchlistResponse> {
        absl::StatusOr<std::string> owner = Owner(*context);
        if (!owner.ok()) return owner.status();
        absl::Status deleted =
            registry_->watchlists().Delete(*owner, request->id());
        if (!deleted.ok()) return deleted;
        return v1::DeleteWatchlistResponse();
      });
}

grpc::ServerUnaryReactor* RegistryService::ListDeliveries(
    grpc::CallbackServerContext* context,
    const v1::ListDeliveriesRequest* request,
    v1::ListDeliveriesResponse* response) {
  return Metered<v1::ListDeliveriesResponse>(
      quota_, context, CallClass::kLookup, response,
      [&]() -> absl::StatusOr<v1::ListDeliveriesResponse> {
        absl::StatusOr<std::string> owner = Owner(*context);
        if (!owner.ok()) return owner.status();
        if (request->page_size() < 0 || request->page_size() > 1000) {
          return absl::InvalidArgumentError("page_size: must be 0-1000");
        }
        absl::StatusOr<std::vector<v1::WebhookDelivery>> listed =
            registry_->watchlists().Deliveries(
                *owner, request->watchlist_id(), request->state(),
                request->page_size() == 0 ? 100 : request->page_size());
        if (!listed.ok()) return listed.status();
        v1::ListDeliveriesResponse answer;
        for (v1::WebhookDelivery& delivery : *listed) {
          *answer.add_deliveries() = std::move(delivery);
        }
        return answer;
      });
}

grpc::ServerUnaryReactor* RegistryService::ReplayDelivery(
    grpc::CallbackServerContext* context,
    const v1::ReplayDeliveryRequest* request, v1::WebhookDelivery* response) {
  return Metered<v1::WebhookDelivery>(
      quota_, context, CallClass::kWrite, response,
      [&]() -> absl::StatusOr<v1::WebhookDelivery> {
        absl::StatusOr<std::string> owner = Owner(*context);
        if (!owner.ok()) return owner.status();
        return registry_->watchlists().Replay(*owner, request->watchlist_id(),
                                              request->delivery_id());
      });
}

grpc::ServerUnaryReactor* RegistryService::SearchCertificates(
    grpc::CallbackServerContext* context,
    const v1::SearchCertificatesRequest* request,
    v1::SearchCertificatesResponse* response) {
  return Metered<v1::SearchCertificatesResponse>(
      quota_, context, CallClass::kSearch, response,
      [&] { return registry_->SearchCertificates(*request); });
}

grpc::ServerUnaryReactor* RegistryService::ListBodies(
    grpc::CallbackServerContext* context, const v1::ListBodiesRequest* request,
    v1::ListBodiesResponse* response) {
  return Metered<v1::ListBodiesResponse>(
      quota_, context, CallClass::kLookup, response,
      [&] { return registry_->ListBodies(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetRegistryKeys(
    grpc::CallbackServerContext* context, const v1::GetRegistryKeysRequest*,
    v1::GetRegistryKeysResponse* response) {
  return Metered<v1::GetRegistryKeysResponse>(
      quota_, context, CallClass::kLookup, response, [&] {
        return absl::StatusOr<v1::GetRegistryKeysResponse>(
            registry_->GetRegistryKeys());
      });
}

grpc::ServerUnaryReactor* RegistryService::GetCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::GetCheckpointRequest* request, v1::SignedCheckpoint* response) {
  return Metered<v1::SignedCheckpoint>(
      quota_, context, CallClass::kLookup, response,
      [&] { return registry_->GetCheckpoint(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const v1::GetInclusionProofRequest* request, v1::InclusionProof* response) {
  return Metered<v1::InclusionProof>(
      quota_, context, CallClass::kVerify, response,
      [&] { return registry_->GetInclusionProof(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return Metered<v1::ConsistencyProof>(
      quota_, context, CallClass::kVerify, response,
      [&] { return registry_->GetConsistencyProof(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetEntries(
    grpc::CallbackServerContext* context, const v1::GetEntriesRequest* request,
    v1::GetEntriesResponse* response) {
  return Metered<v1::GetEntriesResponse>(
      quota_, context, CallClass::kVerify, response,
      [&] { return registry_->GetEntries(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetVerificationBundle(
    grpc::CallbackServerContext* context,
    const v1::GetVerificationBundleRequest* request,
    v1::VerificationBundle* response) {
  return Metered<v1::VerificationBundle>(
      quota_, context, CallClass::kVerify, response,
      [&] { return registry_->GetVerificationBundle(*request); });
}

grpc::ServerUnaryReactor* RegistryService::GetVerificationBundles(
    grpc::CallbackServerContext* context,
    const v1::GetVerificationBundlesRequest* request,
    v1::GetVerificationBundlesResponse* response) {
  return Metered<v1::GetVerificationBundlesResponse>(
      quota_, context, CallClass::kVerify, response,
      [&] { return registry_->GetVerificationBundles(*request); },
      std::max(1, request->numbers_size()));
}

}  // namespace certreg
