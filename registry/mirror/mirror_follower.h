#ifndef CERTREG_REGISTRY_MIRROR_MIRROR_FOLLOWER_H_
#define CERTREG_REGISTRY_MIRROR_MIRROR_FOLLOWER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/registry.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/grpc/client_channel.h"
#include "verifier/grpc/registry_client.h"

namespace certreg {

struct MirrorOptions {
  // The registry (or its replicas, comma-separated) to follow.
  std::string upstream;
  std::optional<ClientTls> upstream_tls;
  // How often the registry's latest checkpoint is asked for.
  absl::Duration poll_interval = absl::Seconds(1);
  // Where the evidence of a fork goes (the two checkpoints, as JSON).
  std::string evidence_file;
  // Told what the mirror did (caught up, a fork), for the server's log.
  std::function<void(absl::string_view)> log;
};

// A verifying mirror (certreg-mirror): follows a registry through
// GetEntries and trusts nothing it is told. Every entry is applied through
// the registry core's own writer, on the statement's date: its signature by
// the operator or a key an earlier entry registered for the body, the
// authority and chain rules, all checked, or the mirror stops. Every
// checkpoint must carry the pinned log key's signature and the root of the
// mirror's own leaves at its size, which also proves it consistent with
// every checkpoint adopted before. The mirror signs nothing: it serves the
// registry's checkpoints, and the registry's bundles once each statement in
// them is the mirror's own leaf at that index.
//
// Fed a fork -- a checkpoint whose root is not that of the entries served,
// or an entry that breaks the rules -- it stops following, keeps serving
// its last consistent state (marked stale), writes the two checkpoints to
// options.evidence_file and says so.
class MirrorFollower final : public WriteRouter {
 public:
  // Before the registry core exists: its bundle functions call Bundle and
  // Bundles.
  explicit MirrorFollower(MirrorOptions options);
  ~MirrorFollower() override { Stop(); }

  // Starts following into `registry` (which must outlive this).
  void Start(Registry* registry);
  void Stop();

  // A mirror takes no writes: FAILED_PRECONDITION naming the registry.
  absl::Status Accepting() const override;
  void SubmitAsync(
      v1::StatementKind, v1::SignedStatement,
      std::function<void(absl::StatusOr<v1::StatementReceipt>)> done) override {
    done(Accepting());
  }

  // The registry's bundle, checked against this mirror's log;
  // UNAVAILABLE when the mirror is stale or not yet at its checkpoint.
  absl::StatusOr<v1::VerificationBundle> Bundle(
      const v1::GetVerificationBundleRequest& request);
  absl::StatusOr<v1::GetVerificationBundlesResponse> Bundles(
      const v1::GetVerificationBundlesRequest& request);

  // "following", or "stale" once a fork was found.
  std::string state() const;
  // Why it stopped following; OK while it follows.
  absl::Status fork() const;
  const std::string& upstream() const { return options_.upstream; }

  // One round: the registry's latest checkpoint, the entries up to it,
  // the checkpoint adopted. Public for tests.
  absl::Status SyncOnce();

 private:
  void Loop();
  // Applies the entries [size(), tree_size) from upstream.
  absl::Status CatchUp(uint64_t tree_size);
  // Stops following: `why`, with the last adopted checkpoint and
  // `conflicting` as evidence.
  absl::Status Forked(const absl::Status& why,
                      const v1::SignedCheckpoint& conflicting);
  // OK when every statement of `bundle` is this mirror's leaf at its index
  // and its checkpoint is the root of this mirror's leaves.
  absl::Status CheckBundle(const v1::VerificationBundle& bundle) const;
  void Log(absl::string_view line) const;

  const MirrorOptions options_;
  RegistryClient upstream_;
  Registry* registry_ = nullptr;
  absl::Notification stop_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  absl::Status fork_ ABSL_GUARDED_BY(mu_);
  bool caught_up_logged_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_MIRROR_MIRROR_FOLLOWER_H_
