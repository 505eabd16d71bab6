#include "registry/replication/etcd_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "verifier/grpc/client_channel.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {
namespace {

// UNAVAILABLE for anything that means "etcd cannot answer now" (no
// member reachable, no leader, a timeout), naming etcd; the rest as is.
absl::Status EtcdStatus(const grpc::Status& status, absl::string_view call) {
  if (status.ok()) return absl::OkStatus();
  const absl::Status converted = FromGrpcStatus(status);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::UnavailableError(
        absl::StrCat("etcd ", call, ": ", status.error_message()));
  }
  return absl::Status(converted.code(),
                      absl::StrCat("etcd ", call, ": ", converted.message()));
}

}  // namespace

std::string PrefixEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(end.back() + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

absl::StatusOr<std::unique_ptr<EtcdClient>> EtcdClient::Connect(
    const std::string& endpoints, absl::Duration timeout) {
  // etcd's client URLs, as its own flags write them, or host:port.
  const std::string list = absl::StrReplaceAll(endpoints, {{"http://", ""}});
  if (AddressList(list).empty()) {
    return absl::InvalidArgumentError(
        "etcd_endpoints: empty (give host:port,host:port,...)");
  }
  // One channel over every member; pick_first moves on when one fails.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  auto channel = grpc::CreateCustomChannel(
      ClientTarget(list), grpc::InsecureChannelCredentials(), args);
  return std::unique_ptr<EtcdClient>(
      new EtcdClient(std::move(channel), timeout));
}

EtcdClient::EtcdClient(std::shared_ptr<grpc::Channel> channel,
                       absl::Duration timeout)
    : timeout_(timeout),
      kv_(etcdserverpb::KV::NewStub(channel)),
      lease_(etcdserverpb::Lease::NewStub(channel)),
      election_(v3electionpb::Election::NewStub(channel)) {}

void EtcdClient::SetDeadline(grpc::ClientContext& context) const {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
}

absl::StatusOr<int64_t> EtcdClient::GrantLease(absl::Duration ttl) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(absl::ToInt64Seconds(ttl));
  etcdserverpb::LeaseGrantResponse response;
  const grpc::Status status = lease_->LeaseGrant(&context, request, &response);
  if (!status.ok()) return EtcdStatus(status, "LeaseGrant");
  if (!response.error().empty()) {
    return absl::UnavailableError(
        absl::StrCat("etcd LeaseGrant: ", response.error()));
  }
  return response.id();
}

absl::Status EtcdClient::KeepAlive(int64_t lease) {
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = lease_->LeaseKeepAlive(&context);
  etcdserverpb::LeaseKeepAliveRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseKeepAliveResponse response;
  const bool answered = stream->Write(request) && stream->Read(&response);
  stream->WritesDone();
  context.TryCancel();
  const grpc::Status status = stream->Finish();
  if (!answered) {
    return EtcdStatus(
        status.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "no answer")
                    : status,
        "LeaseKeepAlive");
  }
  if (response.ttl() <= 0) {
    return absl::NotFoundError(
        absl::StrCat("etcd lease ", lease, " has expired"));
  }
  return absl::OkStatus();
}

absl::Status EtcdClient::RevokeLease(int64_t lease) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseRevokeResponse response;
  return EtcdStatus(lease_->LeaseRevoke(&context, request, &response),
                    "LeaseRevoke");
}

absl::StatusOr<EtcdClient::Leadership> EtcdClient::Campaign(
    const std::string& name, int64_t lease, const std::string& value,
    absl::Duration wait) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + wait));
  v3electionpb::CampaignRequest request;
  request.set_name(name);
  request.set_lease(lease);
  request.set_value(value);
  v3electionpb::CampaignResponse response;
  const grpc::Status status = election_->Campaign(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::DeadlineExceededError("not elected yet");
  }
  if (!status.ok()) return EtcdStatus(status, "Campaign");
  return Leadership{response.leader().key(), response.leader().rev(),
                    response.leader().lease()};
}

absl::StatusOr<std::string> EtcdClient::LeaderValue(const std::string& name) {
  grpc::ClientContext context;
  SetDeadline(context);
  v3electionpb::LeaderRequest request;
  request.set_name(name);
  v3electionpb::LeaderResponse response;
  const grpc::Status status = election_->Leader(&context, request, &response);
  if (!status.ok()) {
    // etcd answers "election: no leader" as UNKNOWN.
    if (status.error_message().find("no leader") != std::string::npos) {
      return absl::NotFoundError("no leader elected");
    }
    return EtcdStatus(status, "Leader");
  }
  return response.kv().value();
}

absl::Status EtcdClient::Resign(const Leadership& leadership) {
  grpc::ClientContext context;
  SetDeadline(context);
  v3electionpb::ResignRequest request;
  request.mutable_leader()->set_key(leadership.key);
  request.mutable_leader()->set_rev(leadership.revision);
  request.mutable_leader()->set_lease(leadership.lease);
  v3electionpb::ResignResponse response;
  return EtcdStatus(election_->Resign(&context, request, &response), "Resign");
}

absl::StatusOr<std::vector<EtcdClient::KeyValue>> EtcdClient::Range(
    const std::string& from, const std::string& to, int64_t limit,
    bool descending) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::RangeRequest request;
  request.set_key(from);
  request.set_range_end(to);
  request.set_limit(limit);
  if (descending) {
    request.set_sort_order(etcdserverpb::RangeRequest::DESCEND);
    request.set_sort_target(etcdserverpb::RangeRequest::KEY);
  }
  etcdserverpb::RangeResponse response;
  const grpc::Status status = kv_->Range(&context, request, &response);
  if (!status.ok()) return EtcdStatus(status, "Range");
  std::vector<KeyValue> found;
  found.reserve(response.kvs_size());
  for (const mvccpb::KeyValue& kv : response.kvs()) {
    found.push_back({kv.key(), kv.value()});
  }
  return found;
}

absl::Status EtcdClient::Put(const std::string& key, const std::string& value,
                             int64_t lease) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::PutRequest request;
  request.set_key(key);
  request.set_value(value);
  request.set_lease(lease);
  etcdserverpb::PutResponse response;
  return EtcdStatus(kv_->Put(&context, request, &response), "Put");
}

absl::Status EtcdClient::PutIfLeader(const Leadership& leadership,
                                     const std::string& key,
                                     const std::string& value) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::TxnRequest request;
  etcdserverpb::Compare* fence = request.add_compare();
  fence->set_target(etcdserverpb::Compare::CREATE);
  fence->set_result(etcdserverpb::Compare::EQUAL);
  fence->set_key(leadership.key);
  fence->set_create_revision(leadership.revision);
  etcdserverpb::Compare* absent = request.add_compare();
  absent->set_target(etcdserverpb::Compare::VERSION);
  absent->set_result(etcdserverpb::Compare::EQUAL);
  absent->set_key(key);
  absent->set_version(0);
  etcdserverpb::PutRequest* put = request.add_success()->mutable_request_put();
  put->set_key(key);
  put->set_value(value);
  etcdserverpb::TxnResponse response;
  const grpc::Status status = kv_->Txn(&context, request, &response);
  if (!status.ok()) return EtcdStatus(status, "Txn");
  if (!response.succeeded()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "etcd Txn: not written: this replica's leadership (", leadership.key,
        ") has ended, or ", key, " exists already"));
  }
  return absl::OkStatus();
}

absl::Status EtcdClient::DeleteRange(const std::string& from,
                                     const std::string& to) {
  grpc::ClientContext context;
  SetDeadline(context);
  etcdserverpb::DeleteRangeRequest request;
  request.set_key(from);
  request.set_range_end(to);
  etcdserverpb::DeleteRangeResponse response;
  return EtcdStatus(kv_->DeleteRange(&context, request, &response),
                    "DeleteRange");
}

}  // namespace certreg
