#include "registry/server/admin_service.h"

#include "verifier/grpc/grpc_serving.h"
#include "verifier/grpc/grpc_status.h"

namespace certreg {

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  // A backup writes on the server's disk: only from the server's machine,
  // whatever address the registry listens on.
  absl::StatusOr<v1::BackupResponse> result =
      IsLocalPeer(context->peer())
          ? backups_->Backup(*request)
          : absl::PermissionDeniedError(
                "Backup: only a client on the registry's own machine may "
                "ask for a backup");
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace certreg
