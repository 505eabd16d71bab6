#ifndef CERTREG_REGISTRY_CORE_SIGNATURE_AUDIT_H_
#define CERTREG_REGISTRY_CORE_SIGNATURE_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Who signed each statement of the log, checked leaf by leaf from the first,
// with nothing but the pinned operator key: the operator's statements
// (accrediting bodies, rotating and retiring their keys, publishing rules)
// must carry the operator's signature, and build up the bodies' keys as the
// log goes; every certificate statement must carry the signature of a key an
// earlier leaf registered for the body that issued the certificate. What a
// restore or a scrub needs to trust a log it did not write itself.
//
// Not thread-safe; feed the leaves in log order.
class SignatureAudit {
 public:
  explicit SignatureAudit(const Ed25519PublicKey& operator_key)
      : operator_key_(operator_key) {}

  // Checks the signed statement at leaf `index`; nullopt when it is sound,
  // else the problem, naming the leaf.
  std::optional<std::string> Check(uint64_t index,
                                   const v1::SignedStatement& signed_statement);

 private:
  std::optional<std::string> CheckAuthority(
      uint64_t index, const v1::SignedStatement& signed_statement,
      const v1::Statement& statement);
  std::optional<std::string> CheckCertificate(
      uint64_t index, const v1::SignedStatement& signed_statement,
      const v1::Statement& statement);

  const Ed25519PublicKey& operator_key_;
  // Bodies by approval number, as the authority statements so far leave
  // them, and each registered key's body.
  absl::flat_hash_map<std::string, v1::CertificationBody> bodies_;
  absl::flat_hash_map<std::string, std::string> key_bodies_;
  // Each certificate's body, from its issue statement.
  absl::flat_hash_map<std::string, std::string> certificate_bodies_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_SIGNATURE_AUDIT_H_
