#ifndef CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
#define CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_

#include "certreg/v1/admin.grpc.pb.h"
#include "registry/core/registry.h"
#include "registry/server/backup.h"

namespace certreg {

// certreg.v1.AdminService over gRPC's callback API, for clients on the
// registry's own machine only. The BackupWriter and the Registry must
// outlive the service.
class AdminService final : public v1::AdminService::CallbackService {
 public:
  AdminService(BackupWriter* backups, const Registry* registry)
      : backups_(backups), registry_(registry) {}

  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const v1::BackupRequest* request,
                                   v1::BackupResponse* response) override;
  grpc::ServerUnaryReactor* Scrub(grpc::CallbackServerContext* context,
                                  const v1::ScrubRequest* request,
                                  v1::ScrubReport* response) override;

 private:
  BackupWriter* const backups_;
  const Registry* const registry_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
