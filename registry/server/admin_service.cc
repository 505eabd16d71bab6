#include "registry/server/admin_service.h"

#include "absl/strings/str_cat.h"
#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {

namespace {

// Finishes `context`'s call with `result`.
template <typename T>
grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

// Operations act on the server's disk and read all of it: only from the
// server's machine, whatever address the registry listens on.
absl::Status LocalOnly(grpc::CallbackServerContext* context,
                       absl::string_view what) {
  if (IsLocalPeer(context->peer())) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(what,
                   ": only a client on the registry's own machine may "
                   "ask for it"));
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  absl::Status local = LocalOnly(context, "Backup");
  return Finish(context,
                local.ok() ? backups_->Backup(*request)
                           : absl::StatusOr<v1::BackupResponse>(local),
                response);
}

grpc::ServerUnaryReactor* AdminService::Scrub(
    grpc::CallbackServerContext* context, const v1::ScrubRequest* /*request*/,
    v1::ScrubReport* response) {
  absl::Status local = LocalOnly(context, "Scrub");
  return Finish(
      context,
      local.ok() ? registry_->Scrub() : absl::StatusOr<v1::ScrubReport>(local),
      response);
}

}  // namespace certreg
