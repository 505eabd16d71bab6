#ifndef CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
#define CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_

#include "certreg/v1/admin.grpc.pb.h"
#include "registry/storage/backup.h"

namespace certreg {

// certreg.v1.AdminService over gRPC's callback API. The BackupWriter must
// outlive the service.
class AdminService final : public v1::AdminService::CallbackService {
 public:
  explicit AdminService(BackupWriter* backups) : backups_(backups) {}

  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const v1::BackupRequest* request,
                                   v1::BackupResponse* response) override;

 private:
  BackupWriter* const backups_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
