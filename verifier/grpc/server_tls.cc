#include "verifier/grpc/server_tls.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "verifier/base/durable_file.h"
#include "verifier/crypto/openssl_handles.h"

namespace certreg {
namespace {

// The contents of `path`, or INVALID_ARGUMENT naming `flag`.
absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view flag) {
  absl::StatusOr<std::optional<std::string>> contents = ReadFileIfExists(path);
  if (!contents.ok() || !contents->has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read ", path));
  }
  return **std::move(contents);
}

UniqueBio MemoryBio(const std::string& pem) {
  return UniqueBio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The first certificate of `pem`, or INVALID_ARGUMENT naming `flag`.
absl::StatusOr<UniqueX509> FirstCertificate(const std::string& pem,
                                            const std::string& path,
                                            absl::string_view flag) {
  UniqueBio bio = MemoryBio(pem);
  UniqueX509 certificate(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (certificate == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": ", path, " holds no PEM certificate (BEGIN CERTIFICATE)"));
  }
  return certificate;
}

}  // namespace

absl::Status CheckServerTlsFiles(const ServerTlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls_cert_file, tls_key_file: give both (the server's certificate "
        "and its private key) or neither");
  }
  absl::StatusOr<std::string> cert_pem =
      ReadPem(files.cert_file, "tls_cert_file");
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<UniqueX509> certificate =
      FirstCertificate(*cert_pem, files.cert_file, "tls_cert_file");
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<std::string> key_pem = ReadPem(files.key_file, "tls_key_file");
  if (!key_pem.ok()) return key_pem.status();
  UniqueBio key_bio = MemoryBio(*key_pem);
  UniqueEvpPkey key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls_key_file: ", files.key_file,
                     " holds no unencrypted PEM private key"));
  }
  if (X509_check_private_key(certificate->get(), key.get()) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls_key_file: ", files.key_file,
        " is not the private key of the certificate in ", files.cert_file));
  }
  if (files.client_ca_file.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> ca_pem =
      ReadPem(files.client_ca_file, "tls_client_ca_file");
  if (!ca_pem.ok()) return ca_pem.status();
  return FirstCertificate(*ca_pem, files.client_ca_file, "tls_client_ca_file")
      .status();
}

std::shared_ptr<grpc::ServerCredentials> NewServerTlsCredentials(
    const ServerTlsFiles& files) {
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          files.key_file, files.cert_file, files.client_ca_file,
          kTlsReloadSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (!files.client_ca_file.empty()) {
    options.watch_root_certs();
    // Requested, and verified when presented: public callers have none.
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

std::string VerifiedClientIdentity(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return "";
  for (const char* property :
       {"x509_common_name", "x509_subject_alternative_name"}) {
    std::vector<grpc::string_ref> values = auth->FindPropertyValues(property);
    if (!values.empty()) return std::string(values[0].data(), values[0].size());
  }
  return "(a verified certificate without a name)";
}

bool IsLocalListenAddress(absl::string_view listen_address) {
  if (absl::StartsWith(listen_address, "unix:")) return true;
  const size_t colon = listen_address.rfind(':');
  const absl::string_view host = listen_address.substr(0, colon);
  return host == "localhost" || host == "[::1]" ||
         absl::StartsWith(host, "127.");
}

}  // namespace certreg
