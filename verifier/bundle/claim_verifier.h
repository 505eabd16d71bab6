#ifndef CERTREG_VERIFIER_BUNDLE_CLAIM_VERIFIER_H_
#define CERTREG_VERIFIER_BUNDLE_CLAIM_VERIFIER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "google/protobuf/arena.h"
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/bundle/worker_pool.h"
#include "verifier/crypto/signature_memo.h"
#include "verifier/log/trusted_log.h"

namespace certreg {

// Where bundles and consistency proofs come from: the registry over gRPC, a
// mirror, or a test double. Implementations MUST be thread-safe.
class BundleSource {
 public:
  virtual ~BundleSource() = default;
  virtual absl::StatusOr<v1::VerificationBundle> FetchBundle(
      const std::string& certificate_number) = 0;
  // One answer per number, in order: the bundle, which lives on `arena`
  // (so it lasts as long as the arena, and its thousands of strings are
  // freed with it at once), or why there is none. By default one
  // FetchBundle each, copied onto the arena; a source that can fetch
  // several at once (and sign their heads together) overrides it.
  virtual std::vector<absl::StatusOr<const v1::VerificationBundle*>>
  FetchBundles(const std::vector<std::string>& certificate_numbers,
               google::protobuf::Arena& arena);
  virtual absl::StatusOr<v1::ConsistencyProof> FetchConsistencyProof(
      uint64_t from_size, uint64_t to_size) = 0;
};

// A certificate for display: its bundle, the verification of that bundle
// as of a date, and the view built from it when it verified.
struct VerifiedCertificate {
  // Why there is no bundle (NOT_FOUND for an unknown certificate,
  // INVALID_ARGUMENT for a malformed number, UNAVAILABLE ...); OK with one.
  absl::Status fetch_status;
  // The bundle as fetched (empty when fetch_status is not OK): what a user
  // downloads to check the page offline.
  v1::VerificationBundle bundle;
  // Verdict and checks, as Verify answers the claim {number, as_of}.
  v1::VerifyResponse verification;
  // The GetCertificate-shaped view (see CertificateViewOf), only when the
  // bundle was authentic: nothing unverified is ever in it.
  std::optional<v1::GetCertificateResponse> view;
};

struct ClaimVerifierOptions {
  PinnedKeys keys;
  VerifyPolicy policy;
  // The state file of the last trusted checkpoint (required; created on
  // first use).
  std::string state_path;
  // Worker threads shared by every VerifyAsync and BatchVerifyAsync call:
  // however many calls arrive, no more claim groups than this are fetched
  // and checked at once, and no gRPC thread waits for the registry. A worker
  // waits while the registry assembles its bundles, so about twice the cores
  // keeps the cores busy.
  int threads = 2;
  // Answers kept, keyed by (checkpoint, day, claim). An answer is kept when
  // the same claim comes a second time: one-off claims (most of a batch)
  // cost no copy.
  size_t cache_entries = 100000;
  // Signatures remembered as verified (about 100 bytes each): the
  // checkpoint, the bodies' accreditations and popular certificates are
  // checked once.
  size_t signature_memo_entries = 200000;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// Answers claims: fetches the certificate's bundle, makes sure its checkpoint
// extends the last one trusted (so a registry that rewrites or forks its
// history is caught), and verifies the bundle offline. No gRPC here.
// Thread-safe.
class ClaimVerifier {
 public:
  inline static constexpr int kMaxBatch = 1000;
  // Bundles asked for in one FetchBundles call at most (the registry's
  // GetVerificationBundles limit).
  inline static constexpr int kBundlesPerFetch = 100;

  static absl::StatusOr<std::unique_ptr<ClaimVerifier>> New(
      BundleSource* source, ClaimVerifierOptions options);

  // Never fails as a call: problems become verdicts (UNKNOWN when the
  // registry cannot be reached, FAIL when the evidence is forged or the log
  // was rewritten) with the check that says why. Runs on the calling thread.
  v1::VerifyResponse Verify(const v1::Claim& claim);
  // Fetches and verifies the bundle of claim.certificate_number as of
  // claim.as_of (the claim's other fields are checked too, when set) and
  // builds the certificate view from it; `full` puts the signed statements
  // in the view's history. Runs on the calling thread.
  VerifiedCertificate Lookup(const v1::Claim& claim, bool full = false);

  // Verify on a worker thread, which then calls `done`; ahead of the groups
  // of batches still queued.
  void VerifyAsync(const v1::Claim& claim,
                   std::function<void(v1::VerifyResponse)> done);

  // Verifies up to kMaxBatch claims; result i answers claim i. The claims
  // are split into groups spread over the workers (at most kBundlesPerFetch
  // each); a worker fetches a group's bundles at once (FetchBundles), then
  // verifies them. Calls `done` once: from a worker, or at once for an
  // empty batch or an over-long one (INVALID_ARGUMENT, the only error).
  // `request` must stay valid until then.
  using BatchDone =
      std::function<void(absl::StatusOr<v1::BatchVerifyResponse>)>;
  void BatchVerifyAsync(const v1::BatchVerifyRequest& request, BatchDone done);
  // BatchVerifyAsync, waiting for its answer (not from a worker thread).
  absl::StatusOr<v1::BatchVerifyResponse> BatchVerify(
      const v1::BatchVerifyRequest& request);

  const TrustedLog& trusted_log() const { return *trusted_; }
  // Signatures verified and remembered (see SignatureMemo): it does not
  // grow while the same certificates are asked for again.
  size_t remembered_signatures() const { return memo_.size(); }
  // How many answers are kept for claims that come again.
  size_t kept_answers() const ABSL_LOCKS_EXCLUDED(cache_mu_);

 private:
  // Verify, with the bundle (or why there is none) already fetched.
  v1::VerifyResponse VerifyFetched(
      const v1::Claim& claim,
      const absl::StatusOr<const v1::VerificationBundle*>& bundle);
  // Answers claims [start, end) of `request` into `response`'s results,
  // with one FetchBundles call.
  void VerifyGroup(const v1::BatchVerifyRequest& request, int start, int end,
                   v1::BatchVerifyResponse& response);

  ClaimVerifier(BundleSource* source, ClaimVerifierOptions options)
      : source_(source),
        options_(std::move(options)),
        memo_(options_.signature_memo_entries),
        workers_(std::make_unique<WorkerPool>(options_.threads)) {}

  BundleSource* const source_;
  const ClaimVerifierOptions options_;
  SignatureMemo memo_;
  std::unique_ptr<TrustedLog> trusted_;
  mutable absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, v1::VerifyResponse> cache_
      ABSL_GUARDED_BY(cache_mu_);
  // Hashes of the cache keys answered once and not kept.
  absl::flat_hash_set<size_t> answered_once_ ABSL_GUARDED_BY(cache_mu_);
  // Last, so that it is destroyed first: its destructor runs the tasks
  // still queued, which use the members above.
  std::unique_ptr<WorkerPool> workers_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_CLAIM_VERIFIER_H_
