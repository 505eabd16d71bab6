#ifndef CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
#define CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_

#include "certreg/v1/admin.grpc.pb.h"
#include "registry/core/registry.h"
#include "registry/server/backup.h"

namespace certreg {

// Who may call the admin service on a listener.
enum class AdminAccess {
  // Whoever reaches the listener: the admin unix socket, whose mode admits
  // only the registry's user (the kernel checks who connects).
  kAnyoneConnected,
  // Only a client that presented a certificate the listener verified
  // against --tls_client_ca_file.
  kVerifiedClientCertificate,
};

// certreg.v1.AdminService over gRPC's callback API: operations on the
// registry's own disk (backups, scrubs), served on the admin socket and, for
// clients with a verified certificate, on a TLS listener. Each call is
// logged with its caller. The BackupWriter and the Registry must outlive the
// service.
class AdminService final : public v1::AdminService::CallbackService {
 public:
  AdminService(BackupWriter* backups, const Registry* registry,
               AdminAccess access)
      : backups_(backups), registry_(registry), access_(access) {}

  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const v1::BackupRequest* request,
                                   v1::BackupResponse* response) override;
  grpc::ServerUnaryReactor* Scrub(grpc::CallbackServerContext* context,
                                  const v1::ScrubRequest* request,
                                  v1::ScrubReport* response) override;
  grpc::ServerWriteReactor<v1::ScrubUpdate>* ScrubWithProgress(
      grpc::CallbackServerContext* context,
      const v1::ScrubRequest* request) override;

 private:
  // The caller, for the log; PERMISSION_DENIED when it may not call `what`.
  absl::StatusOr<std::string> Caller(grpc::CallbackServerContext* context,
                                     absl::string_view what) const;

  BackupWriter* const backups_;
  const Registry* const registry_;
  const AdminAccess access_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_ADMIN_SERVICE_H_
