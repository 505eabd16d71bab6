#include "tools/demo/demo_registry.h"

#include <utility>
#include <vector>

#include "tools/demo/demo_data.h"
#include "verifier/base/status_macros.h"

namespace certreg {

absl::StatusOr<DemoRegistry> OpenDemoRegistry(Store* store,
                                              RegistryOptions options,
                                              absl::CivilDay today) {
  CERTREG_ASSIGN_OR_RETURN(Ed25519PrivateKey operator_key,
                           Ed25519PrivateKey::Generate());
  std::vector<Ed25519PrivateKey> body_keys;
  for (size_t i = 0; i < DemoBodies().size(); ++i) {
    CERTREG_ASSIGN_OR_RETURN(Ed25519PrivateKey key,
                             Ed25519PrivateKey::Generate());
    body_keys.push_back(std::move(key));
  }
  CERTREG_ASSIGN_OR_RETURN(Ed25519PrivateKey log_key,
                           Ed25519PrivateKey::Generate());
  DemoRegistry demo;
  demo.operator_key =
      std::make_shared<const Ed25519PublicKey>(operator_key.public_key());
  demo.log_key = std::make_shared<const Ed25519PrivateKey>(std::move(log_key));
  options.operator_key = demo.operator_key;
  options.log_key = demo.log_key;
  CERTREG_ASSIGN_OR_RETURN(demo.registry,
                           Registry::Open(store, std::move(options)));
  Registry& registry = *demo.registry;
  CERTREG_RETURN_IF_ERROR(
      SeedDemo(operator_key, body_keys, today,
               [&registry](v1::StatementKind kind,
                           const v1::SignedStatement& statement) {
                 return registry.Submit(kind, statement);
               })
          .status());
  return demo;
}

}  // namespace certreg
