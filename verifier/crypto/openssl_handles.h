// OpenSSL objects owned by std::unique_ptr, freed with OpenSSL's own calls.
#ifndef CERTREG_VERIFIER_CRYPTO_OPENSSL_HANDLES_H_
#define CERTREG_VERIFIER_CRYPTO_OPENSSL_HANDLES_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace certreg {

struct OpenSslFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* certificate) const { X509_free(certificate); }
};

using UniqueBio = std::unique_ptr<BIO, OpenSslFree>;
using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, OpenSslFree>;
using UniqueEvpPkey = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using UniqueX509 = std::unique_ptr<X509, OpenSslFree>;

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_OPENSSL_HANDLES_H_
