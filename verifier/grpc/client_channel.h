#ifndef CERTREG_VERIFIER_GRPC_CLIENT_CHANNEL_H_
#define CERTREG_VERIFIER_GRPC_CLIENT_CHANNEL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/channel_arguments.h"

namespace certreg {

// What a client needs to reach a server over TLS, read from its files.
struct ClientTls {
  std::string
      root_certs;  // PEM: the CAs the server's certificate must chain to
  std::string
      cert_chain;  // PEM: the client's certificate (admin); may be empty
  std::string private_key;  // PEM: its key
  // The name the server's certificate must carry; empty: the address's host.
  std::string server_name;
};

// The CA bundle of the system (Debian's ca-certificates).
inline constexpr char kSystemRootsFile[] = "/etc/ssl/certs/ca-certificates.crt";

// Reads the files of a TLS client: `ca_file` (empty: the system's roots),
// and `cert_file` with `key_file` (both or neither). INVALID_ARGUMENT
// naming the flag (with `flag_prefix`, e.g. "registry_" for
// --registry_tls_ca_file) when one cannot be read or holds no PEM block.
absl::StatusOr<ClientTls> LoadClientTls(const std::string& ca_file,
                                        const std::string& cert_file,
                                        const std::string& key_file,
                                        const std::string& server_name,
                                        const std::string& flag_prefix = "");

// The value of the header field `name` in the initial metadata a finished
// call's server sent (a replica's "certreg-role", say); "" when absent.
std::string InitialMetadataField(const grpc::ClientContext& context,
                                 const std::string& name);

// The addresses of a comma-separated list, trimmed ("a:1, b:2" -> a:1, b:2).
std::vector<std::string> AddressList(const std::string& address);

// The gRPC target of a client `address`: itself, or for a list of
// replicas "ipv4:A,B,C" (localhost read as 127.0.0.1), which gRPC spreads
// over those that answer.
std::string ClientTarget(const std::string& address);

// A channel to `address` (one host:port, or a list: ClientTarget): TLS checking
// the server's certificate and name when `tls` is given, else plaintext.
std::shared_ptr<grpc::Channel> NewClientChannel(
    const std::string& address, const std::optional<ClientTls>& tls,
    grpc::ChannelArguments arguments = grpc::ChannelArguments());

}  // namespace certreg

#endif  // CERTREG_VERIFIER_GRPC_CLIENT_CHANNEL_H_
