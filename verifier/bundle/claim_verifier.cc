#include "verifier/bundle/claim_verifier.h"

#include <atomic>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "verifier/base/status_macros.h"
#include "verifier/bundle/certificate_view.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

v1::VerifyResponse Undecided(const v1::Claim& claim, v1::Verdict verdict,
                             absl::string_view check, absl::string_view detail,
                             absl::string_view detail_zh) {
  v1::VerifyResponse response;
  response.set_verdict(verdict);
  response.set_certificate_number(claim.certificate_number());
  v1::Check* failed = response.add_checks();
  failed->set_name(std::string(check));
  failed->set_outcome(v1::CHECK_OUTCOME_FAILED);
  failed->set_detail(std::string(detail));
  failed->set_detail_zh(std::string(detail_zh));
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ClaimVerifier>> ClaimVerifier::New(
    BundleSource* source, ClaimVerifierOptions options) {
  if (options.keys.operator_key == nullptr || options.keys.log_key == nullptr) {
    return absl::InvalidArgumentError(
        "keys: the operator and log public keys must be pinned");
  }
  auto verifier = absl::WrapUnique(new ClaimVerifier(source, options));
  CERTREG_ASSIGN_OR_RETURN(
      verifier->trusted_,
      TrustedLog::Open(options.state_path, options.keys.log_key));
  return verifier;
}

std::vector<absl::StatusOr<const v1::VerificationBundle*>>
BundleSource::FetchBundles(const std::vector<std::string>& certificate_numbers,
                           google::protobuf::Arena& arena) {
  std::vector<absl::StatusOr<const v1::VerificationBundle*>> bundles;
  bundles.reserve(certificate_numbers.size());
  for (const std::string& number : certificate_numbers) {
    absl::StatusOr<v1::VerificationBundle> fetched = FetchBundle(number);
    if (!fetched.ok()) {
      bundles.push_back(fetched.status());
      continue;
    }
    auto* kept =
        google::protobuf::Arena::CreateMessage<v1::VerificationBundle>(&arena);
    *kept = *std::move(fetched);
    bundles.push_back(kept);
  }
  return bundles;
}

namespace {
v1::VerifyResponse NumberMissing(const v1::Claim& claim) {
  return Undecided(claim, v1::VERDICT_UNKNOWN, "claim",
                   "claim.certificate_number: is required", "未填写证书编号");
}
}  // namespace

v1::VerifyResponse ClaimVerifier::Verify(const v1::Claim& claim) {
  if (claim.certificate_number().empty()) return NumberMissing(claim);
  absl::StatusOr<v1::VerificationBundle> bundle =
      source_->FetchBundle(claim.certificate_number());
  if (!bundle.ok()) return VerifyFetched(claim, bundle.status());
  return VerifyFetched(claim, &*bundle);
}

VerifiedCertificate ClaimVerifier::Lookup(const v1::Claim& claim, bool full) {
  VerifiedCertificate result;
  if (claim.certificate_number().empty()) {
    result.fetch_status =
        absl::InvalidArgumentError("number: a certificate number is required");
    result.verification = NumberMissing(claim);
    return result;
  }
  absl::StatusOr<v1::VerificationBundle> bundle =
      source_->FetchBundle(claim.certificate_number());
  if (!bundle.ok()) {
    result.fetch_status = bundle.status();
    result.verification = VerifyFetched(claim, bundle.status());
    return result;
  }
  result.verification = VerifyFetched(claim, &*bundle);
  if (result.verification.has_certificate()) {
    const absl::CivilDay as_of = claim.has_as_of()
                                     ? ToCivilDay(claim.as_of())
                                     : TodayInChina(options_.now());
    absl::StatusOr<v1::GetCertificateResponse> view =
        CertificateViewOf(*bundle, result.verification, as_of, full);
    if (view.ok()) result.view = *std::move(view);
  }
  result.bundle = *std::move(bundle);
  return result;
}

v1::VerifyResponse ClaimVerifier::VerifyFetched(
    const v1::Claim& claim,
    const absl::StatusOr<const v1::VerificationBundle*>& fetched) {
  if (absl::IsNotFound(fetched.status())) {
    return Undecided(claim, v1::VERDICT_FAIL, "registry",
                     absl::StrCat("the registry has no certificate ",
                                  claim.certificate_number()),
                     "注册库中不存在该证书");
  }
  if (!fetched.ok()) {
    return Undecided(
        claim, v1::VERDICT_UNKNOWN, "registry",
        absl::StrCat("cannot fetch the bundle: ", fetched.status().message()),
        "无法从注册库获取验证材料");
  }

  const v1::VerificationBundle& bundle = **fetched;

  // The bundle's checkpoint must extend what this verifier saw before.
  absl::Status consistent = trusted_->Advance(
      bundle.checkpoint(), [this](uint64_t from, uint64_t to) {
        return source_->FetchConsistencyProof(from, to);
      });
  if (absl::IsFailedPrecondition(consistent) ||
      absl::IsPermissionDenied(consistent) ||
      absl::IsInvalidArgument(consistent)) {
    return Undecided(claim, v1::VERDICT_FAIL, "log_consistency",
                     consistent.message(),
                     "注册库日志与此前验证的记录不一致（历史被改写或分叉）");
  }
  if (!consistent.ok()) {
    return Undecided(claim, v1::VERDICT_UNKNOWN, "log_consistency",
                     consistent.message(), "无法确认注册库日志的一致性");
  }

  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(bundle.checkpoint().checkpoint());
  // Same checkpoint and same claim give the same answer (freshness aside,
  // which depends on the time and is re-checked by re-verifying stale ones).
  // Keyed by today too: a claim without as_of means "today".
  const absl::Time now = options_.now();
  std::string key = absl::StrCat(
      checkpoint.tree_size(), "|", bundle.checkpoint().signature(), "|",
      absl::FormatCivilTime(TodayInChina(now)), "|", claim.SerializeAsString());
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() &&
        now - absl::FromUnixMillis(checkpoint.timestamp_unix_millis()) <=
            options_.policy.max_checkpoint_age) {
      return it->second;
    }
  }
  v1::VerifyResponse response =
      VerifyBundle(bundle, claim, options_.keys, options_.policy, now, &memo_);
  // Kept (a copy of every string in it) only for a claim seen before.
  const size_t key_hash = absl::Hash<std::string>{}(key);
  absl::MutexLock lock(&cache_mu_);
  if (answered_once_.erase(key_hash) == 0) {
    if (answered_once_.size() >= options_.cache_entries) answered_once_.clear();
    answered_once_.insert(key_hash);
    return response;
  }
  if (cache_.size() >= options_.cache_entries) cache_.clear();
  cache_[key] = response;
  return response;
}

size_t ClaimVerifier::kept_answers() const {
  absl::MutexLock lock(&cache_mu_);
  return cache_.size();
}

void ClaimVerifier::VerifyAsync(const v1::Claim& claim,
                                std::function<void(v1::VerifyResponse)> done) {
  // One claim is quick: it goes ahead of the batches' queued groups.
  workers_->ScheduleFirst(
      [this, claim, done = std::move(done)] { done(Verify(claim)); });
}

void ClaimVerifier::VerifyGroup(const v1::BatchVerifyRequest& request,
                                int start, int end,
                                v1::BatchVerifyResponse& response) {
  std::vector<std::string> numbers;
  std::vector<int> fetched;  // claims whose bundle is asked for
  for (int i = start; i < end; ++i) {
    const v1::Claim& claim = request.claims(i);
    if (claim.certificate_number().empty()) {
      *response.mutable_results(i) = NumberMissing(claim);
      continue;
    }
    numbers.push_back(claim.certificate_number());
    fetched.push_back(i);
  }
  if (numbers.empty()) return;
  // The group's bundles live on one arena, freed with it at once.
  google::protobuf::Arena arena;
  std::vector<absl::StatusOr<const v1::VerificationBundle*>> bundles =
      source_->FetchBundles(numbers, arena);
  for (size_t k = 0; k < fetched.size(); ++k) {
    const v1::Claim& claim = request.claims(fetched[k]);
    *response.mutable_results(fetched[k]) =
        k < bundles.size()
            ? VerifyFetched(claim, bundles[k])
            : VerifyFetched(
                  claim, absl::InternalError("the bundle source answered for "
                                             "fewer certificates than asked"));
  }
}

void ClaimVerifier::BatchVerifyAsync(const v1::BatchVerifyRequest& request,
                                     BatchDone done) {
  if (request.claims_size() > kMaxBatch) {
    done(absl::InvalidArgumentError(
        absl::StrCat("claims: ", request.claims_size(),
                     " claims in one call; the limit is ", kMaxBatch)));
    return;
  }
  struct Batch {
    v1::BatchVerifyResponse response;
    std::atomic<int> groups_left{0};
    BatchDone done;
  };
  auto batch = std::make_shared<Batch>();
  const int claims = request.claims_size();
  // Every result exists before any worker writes one: each writes only its
  // own, so they need no lock.
  for (int i = 0; i < claims; ++i) batch->response.add_results();
  if (claims == 0) {
    done(std::move(batch->response));
    return;
  }
  // As many groups as workers (a lone batch uses them all), and no more
  // bundles per group than the registry serves at once.
  const int spread = std::min(workers_->size(), claims);
  const int group_size =
      std::min((claims + spread - 1) / spread, kBundlesPerFetch);
  batch->groups_left = (claims + group_size - 1) / group_size;
  batch->done = std::move(done);
  for (int start = 0; start < claims; start += group_size) {
    const int end = std::min(start + group_size, claims);
    workers_->Schedule([this, &request, batch, start, end] {
      VerifyGroup(request, start, end, batch->response);
      // The last group to finish answers, once every result is written.
      if (--batch->groups_left == 0) batch->done(std::move(batch->response));
    });
  }
}

absl::StatusOr<v1::BatchVerifyResponse> ClaimVerifier::BatchVerify(
    const v1::BatchVerifyRequest& request) {
  absl::Notification answered;
  absl::StatusOr<v1::BatchVerifyResponse> answer;
  BatchVerifyAsync(request,
                   [&](absl::StatusOr<v1::BatchVerifyResponse> result) {
                     answer = std::move(result);
                     answered.Notify();
                   });
  answered.WaitForNotification();
  return answer;
}

}  // namespace certreg
