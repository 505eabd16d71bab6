#ifndef CERTREG_VERIFIER_GRPC_SERVER_TLS_H_
#define CERTREG_VERIFIER_GRPC_SERVER_TLS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"

namespace certreg {

// TLS for a server's listener: its certificate and key, and optionally the
// CA whose client certificates it verifies (public callers present none;
// administrators do). PEM files.
struct ServerTlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // empty: no client certificates
};

// How often the files are read again (two small files; SIGHUP asks for
// nothing more): a renewed certificate is served to new connections within
// this many seconds, open connections undisturbed.
inline constexpr unsigned kTlsReloadSeconds = 1;

// INVALID_ARGUMENT naming the flag (--tls_cert_file, --tls_key_file,
// --tls_client_ca_file) when a file cannot be read, holds no PEM
// certificate or key, or the key is not the certificate's.
absl::Status CheckServerTlsFiles(const ServerTlsFiles& files);

// The listener's credentials: TLS 1.2 or 1.3 with gRPC's modern cipher
// suites (AES-GCM with ECDHE, TLS 1.3's own), the files re-read every
// kTlsReloadSeconds, client certificates requested and, when presented,
// verified against files.client_ca_file. Check the files first.
std::shared_ptr<grpc::ServerCredentials> NewServerTlsCredentials(
    const ServerTlsFiles& files);

// The identity of a client that presented a certificate the server
// verified (its subject's common name, else its first subject alternative
// name); empty when it presented none or the connection is not TLS.
std::string VerifiedClientIdentity(const grpc::ServerContextBase& context);

// Whether `listen_address` (host:port or unix:PATH) can only be reached
// from this machine: a unix socket, or a loopback host.
bool IsLocalListenAddress(absl::string_view listen_address);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_SERVER_TLS_H_
