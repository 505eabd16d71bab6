#include "registry/admin_service.h"

#include "registry/grpc_status.h"

namespace certreg {

grpc::ServerUnaryReactor* AdminService::Backup(
    grpc::CallbackServerContext* context, const v1::BackupRequest* request,
    v1::BackupResponse* response) {
  absl::StatusOr<v1::BackupResponse> result = backups_->Backup(*request);
  if (result.ok()) *response = *std::move(result);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace certreg
