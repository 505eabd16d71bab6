#ifndef CERTREG_TOOLS_DEMO_DEMO_REGISTRY_H_
#define CERTREG_TOOLS_DEMO_DEMO_REGISTRY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "registry/core/registry.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// A registry holding the demo data (SeedDemo) as of a given day, under
// fresh operator, log and body keys: where tests of the registry's clients
// start from.
struct DemoRegistry {
  std::shared_ptr<const Ed25519PublicKey> operator_key;
  std::shared_ptr<const Ed25519PrivateKey> log_key;
  std::unique_ptr<Registry> registry;
};

// Opens a registry over `store` (which must outlive it) with `options`, its
// keys replaced by fresh ones, and seeds it with the demo data as of
// `today`.
absl::StatusOr<DemoRegistry> OpenDemoRegistry(Store* store,
                                              RegistryOptions options,
                                              absl::CivilDay today);

}  // namespace certreg

#endif  // CERTREG_TOOLS_DEMO_DEMO_REGISTRY_H_
