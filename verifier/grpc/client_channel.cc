#include "verifier/grpc/client_channel.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "verifier/base/durable_file.h"

namespace certreg {
namespace {

// The PEM file at `path`, or INVALID_ARGUMENT naming `flag`.
absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        const std::string& flag) {
  absl::StatusOr<std::optional<std::string>> contents = ReadFileIfExists(path);
  if (!contents.ok() || !contents->has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": cannot read ", path));
  }
  if (!absl::StrContains(**contents, "-----BEGIN ")) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " holds no PEM block"));
  }
  return **std::move(contents);
}

}  // namespace

absl::StatusOr<ClientTls> LoadClientTls(const std::string& ca_file,
                                        const std::string& cert_file,
                                        const std::string& key_file,
                                        const std::string& server_name,
                                        const std::string& flag_prefix) {
  ClientTls tls;
  tls.server_name = server_name;
  const absl::StatusOr<std::string> roots =
      ReadPemFile(ca_file.empty() ? kSystemRootsFile : ca_file,
                  flag_prefix + "tls_ca_file");
  if (!roots.ok()) return roots.status();
  tls.root_certs = *roots;
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag_prefix, "tls_cert_file, --", flag_prefix,
                     "tls_key_file: give both (a client certificate and its "
                     "key) or neither"));
  }
  if (cert_file.empty()) return tls;
  absl::StatusOr<std::string> chain =
      ReadPemFile(cert_file, flag_prefix + "tls_cert_file");
  if (!chain.ok()) return chain.status();
  absl::StatusOr<std::string> key =
      ReadPemFile(key_file, flag_prefix + "tls_key_file");
  if (!key.ok()) return key.status();
  tls.cert_chain = *chain;
  tls.private_key = *key;
  return tls;
}

std::string InitialMetadataField(const grpc::ClientContext& context,
                                 const std::string& name) {
  const auto& metadata = context.GetServerInitialMetadata();
  auto found = metadata.find(name);
  return found == metadata.end()
             ? std::string()
             : std::string(found->second.data(), found->second.size());
}

std::vector<std::string> AddressList(const std::string& address) {
  std::vector<std::string> addresses;
  for (absl::string_view one :
       absl::StrSplit(address, ',', absl::SkipWhitespace())) {
    addresses.emplace_back(absl::StripAsciiWhitespace(one));
  }
  return addresses;
}

std::string ClientTarget(const std::string& address) {
  if (address.find(',') == std::string::npos) return address;
  std::vector<std::string> hosts = AddressList(address);
  for (std::string& host : hosts) {
    if (absl::StartsWith(host, "localhost:")) host.replace(0, 9, "127.0.0.1");
  }
  return absl::StrCat("ipv4:", absl::StrJoin(hosts, ","));
}

std::shared_ptr<grpc::Channel> NewClientChannel(
    const std::string& address, const std::optional<ClientTls>& tls,
    grpc::ChannelArguments arguments) {
  const std::string target = ClientTarget(address);
  if (!tls.has_value()) {
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                     arguments);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = tls->root_certs;
  ssl.pem_cert_chain = tls->cert_chain;
  ssl.pem_private_key = tls->private_key;
  if (!tls->server_name.empty()) {
    arguments.SetSslTargetNameOverride(tls->server_name);
  }
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl),
                                   arguments);
}

}  // namespace certreg
