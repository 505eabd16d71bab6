#include "registry/server/admin_service.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/grpc/server_tls.h"

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

}  // namespace

absl::StatusOr<std::string> AdminService::Caller(
    grpc::CallbackServerContext* context, absl::string_view what) const {
  if (access_ == AdminAccess::kAnyoneConnected) return "the admin socket";
  const std::string identity = VerifiedClientIdentity(*context);
  if (!identity.empty()) return absl::StrCat("client certificate ", identity);
  return absl::PermissionDeniedError(absl::StrCat(
      what,
      ": admin calls need the registry's admin socket (certctl "
      "--admin=unix:PATH, the registry's --admin_socket) or, over TLS, a "
      "client certificate from the CA in the registry's "
      "--tls_client_ca_file; ",
      context->peer(), " has neither"));
}

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  absl::StatusOr<std::string> caller = Caller(context, "Backup");
  if (!caller.ok())
    return Finish<v1::BackupResponse>(context, caller.status(), response);
  std::cerr << "certreg-registry: Backup " << request->name() << " by "
            << *caller << std::endl;
  return Finish(context, backups_->Backup(*request), response);
}

grpc::ServerUnaryReactor* AdminService::Scrub(
    grpc::CallbackServerContext* context, const v1::ScrubRequest* /*request*/,
    v1::ScrubReport* response) {
  absl::StatusOr<std::string> caller = Caller(context, "Scrub");
  if (!caller.ok())
    return Finish<v1::ScrubReport>(context, caller.status(), response);
  std::cerr << "certreg-registry: Scrub by " << *caller << std::endl;
  return Finish(context, registry_->Scrub(), response);
}

}  // namespace certreg
