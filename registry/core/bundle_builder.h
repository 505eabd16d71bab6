#ifndef CERTREG_REGISTRY_CORE_BUNDLE_BUILDER_H_
#define CERTREG_REGISTRY_CORE_BUNDLE_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/public_log.h"
#include "registry/core/published_rules.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Verification bundles: every statement of a certificate, the operator
// statements that authorise its body's keys and the rules statement in
// force, each with an inclusion proof to one signed checkpoint (published
// now if the latest does not cover them), and the certificate's head signed
// by the log key. A batch of bundles shares one checkpoint and one signature
// over all its heads.
//
// What a bundle is built from is read from the store's latest state first;
// the checkpoint published afterwards covers it (and syncs it first).
//
// Thread-safe.
class BundleBuilder {
 public:
  static constexpr int kMaxBundles = 100;

  // `latest` (the store's latest state), `log`, `rules` and `public_log`
  // must outlive the builder. An answer carries at most `max_bundles_bytes`
  // of bundles (always the first).
  BundleBuilder(const ReadableStore* latest, const MerkleLog* log,
                const RulesInForce* rules, PublicLog* public_log,
                std::shared_ptr<const Ed25519PrivateKey> log_key,
                size_t max_bundles_bytes)
      : latest_(*latest),
        log_(*log),
        rules_(*rules),
        public_log_(*public_log),
        log_key_(std::move(log_key)),
        max_bundles_bytes_(max_bundles_bytes) {}

  // See Registry.
  absl::StatusOr<v1::VerificationBundle> GetVerificationBundle(
      const v1::GetVerificationBundleRequest& request);
  absl::StatusOr<v1::GetVerificationBundlesResponse> GetVerificationBundles(
      const v1::GetVerificationBundlesRequest& request);

 private:
  // Statements proven for one request, by leaf index: the authority
  // statements of a body recur in every bundle of its certificates.
  using ProvenByIndex = absl::flat_hash_map<uint64_t, v1::ProvenStatement>;
  // What a bundle is built from, read before its checkpoint is published so
  // that the checkpoint covers it.
  struct Sources {
    std::string number;
    v1::CertificateRecord record;
    std::vector<uint64_t> authority;  // the body's statements' leaf indexes
    std::shared_ptr<const PublishedRules> rules;
    uint64_t last_leaf_index() const;
  };
  // Bundles of one answer, waiting for their heads' one signature.
  struct HeadsToSign {
    std::vector<v1::CertificateHead> heads;
    std::vector<v1::VerificationBundle*> bundles;
    size_t bytes = 0;
  };

  // `field` names the number in errors ("number", "numbers[3]").
  absl::StatusOr<Sources> ReadSources(absl::string_view number,
                                      absl::string_view field) const;
  // The statements at `indexes`, each with its inclusion proof from
  // `prover`; those in `proven` (if given) are taken from it, the others
  // added to it.
  absl::StatusOr<std::vector<v1::ProvenStatement>> Prove(
      const std::vector<uint64_t>& indexes, const MerkleLog::Prover& prover,
      ProvenByIndex* proven) const;
  // The bundle of `sources` at `checkpoint` (of `prover`'s tree size), and
  // its head for the caller to sign. `authority` keeps the authority
  // statements proven for the request (see Prove).
  absl::StatusOr<v1::VerificationBundle> Assemble(
      const Sources& sources, const v1::SignedCheckpoint& checkpoint,
      const MerkleLog::Prover& prover, ProvenByIndex& authority,
      v1::CertificateHead& head) const;
  // One result per read in `sources`, in order: its bundle (kept in
  // `built` for signing) or why there is none.
  void AddResults(const std::vector<absl::StatusOr<Sources>>& sources,
                  const v1::SignedCheckpoint& checkpoint,
                  const MerkleLog::Prover& prover,
                  v1::GetVerificationBundlesResponse& response,
                  HeadsToSign& built) const;

  const ReadableStore& latest_;
  const MerkleLog& log_;
  const RulesInForce& rules_;
  PublicLog& public_log_;
  const std::shared_ptr<const Ed25519PrivateKey> log_key_;
  const size_t max_bundles_bytes_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_BUNDLE_BUILDER_H_
