#include "verifier/bundle/bundle_verifier.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "verifier/bundle/check_result.h"
#include "verifier/bundle/check_texts.h"
#include "verifier/bundle/claim_checks.h"
#include "verifier/bundle/signed_head.h"
#include "verifier/crypto/signature_memo.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"
#include "verifier/rules/authority_rules.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using ProvenStatements =
    google::protobuf::RepeatedPtrField<v1::ProvenStatement>;

// What the checks establish about one bundle, in the order they run: each
// check reads what the earlier ones established and adds its own. Lives for
// one VerifyBundle call.
struct BundleContext {
  BundleContext(const v1::VerificationBundle& bundle, const v1::Claim& claim,
                const PinnedKeys& keys, const VerifyPolicy& policy,
                absl::Time now, SignatureMemo* memo)
      : bundle(bundle),
        claim(claim),
        policy(policy),
        now(now),
        memo(memo),
        as_of(IsSet(claim.as_of()) ? ToCivilDay(claim.as_of())
                                   : TodayInChina(now)) {
    if (keys.log_key != nullptr) log_key.emplace(*keys.log_key, memo);
    if (keys.operator_key != nullptr) {
      operator_key.emplace(*keys.operator_key, memo);
    }
  }

  const ProvenStatements& authority_proven() const {
    return bundle.authority_statements();
  }
  const ProvenStatements& certificate_proven() const {
    return bundle.certificate_statements();
  }

  const v1::VerificationBundle& bundle;
  const v1::Claim& claim;  // well-formed (ClaimProblem found nothing)
  const VerifyPolicy& policy;
  const absl::Time now;
  SignatureMemo* const memo;
  // The claim's date, or today in China Standard Time.
  const absl::CivilDay as_of;
  // The pinned keys, answering from `memo` what they verified before; unset
  // when not pinned.
  std::optional<MemoizedVerifier> log_key;
  std::optional<MemoizedVerifier> operator_key;

  // checkpoint_signature: the checkpoint, once its signature verified.
  std::optional<v1::Checkpoint> checkpoint;
  // ReadStatements: the bundle's statements parsed (an empty statement for
  // one that does not parse), and the first that does not, as a failure.
  std::vector<v1::Statement> authority;
  std::vector<v1::Statement> certificate;
  std::optional<CheckResult> unreadable;
  // Each certificate statement's hash, once: the signature check, the chain
  // and the chain as of the claim's date all need it.
  std::vector<std::string> certificate_hashes;
  // statement_signature: the body its issue statement names, and the body's
  // record (keys, accreditation) replayed from the authority statements, or
  // why there is none (signer_accredited's failure).
  std::string body_number;
  std::optional<v1::CertificationBody> record;
  std::optional<CheckResult> record_problem;
  // event_chain: the certificate's chain, when it is legal.
  std::optional<CertificateChain> chain;
  // scheme_rules: the rules the status is computed under.
  v1::SchemeRules rules;
};

// Parses every statement of `list` (an empty statement for one that does not
// parse), keeping the first that does not in `unreadable`.
std::vector<v1::Statement> Parse(bool authority, const ProvenStatements& list,
                                 std::optional<CheckResult>& unreadable) {
  std::vector<v1::Statement> out;
  out.reserve(list.size());
  for (int i = 0; i < list.size(); ++i) {
    absl::StatusOr<v1::Statement> parsed =
        ParseSignedStatement(list[i].signed_statement());
    if (parsed.ok()) {
      out.push_back(*std::move(parsed));
      continue;
    }
    if (!unreadable.has_value()) {
      unreadable =
          Failed(texts::Unreadable(texts::StatementLabel(authority, i, list[i]),
                                   parsed.status().message()));
    }
    out.emplace_back();
  }
  return out;
}

// Parses the bundle's statements and hashes its certificate statements.
void ReadStatements(BundleContext& context) {
  context.authority =
      Parse(true, context.authority_proven(), context.unreadable);
  context.certificate =
      Parse(false, context.certificate_proven(), context.unreadable);
  context.certificate_hashes.reserve(context.certificate_proven().size());
  for (const v1::ProvenStatement& proven : context.certificate_proven()) {
    context.certificate_hashes.push_back(
        StatementHash(proven.signed_statement()));
  }
}

// The checks, each named after its v1::Check, in the order they run; the
// helpers of each come before it.
namespace checks {

CheckResult CheckpointSignature(BundleContext& context) {
  if (!context.log_key.has_value()) return Failed(texts::NoLogKey());
  absl::StatusOr<v1::Checkpoint> verified =
      VerifyCheckpoint(context.bundle.checkpoint(), *context.log_key);
  if (!verified.ok()) {
    return Failed(texts::CheckpointNotSigned(verified.status().message()));
  }
  context.checkpoint = *std::move(verified);
  return Passed(texts::CheckpointSigned(context.checkpoint->origin(),
                                        context.checkpoint->tree_size()));
}

// OK when `proven`'s inclusion proof leads to `checkpoint`'s root.
absl::Status ProveInclusion(const v1::ProvenStatement& proven,
                            const v1::Checkpoint& checkpoint) {
  const v1::InclusionProof& proof = proven.inclusion_proof();
  if (proof.tree_size() != checkpoint.tree_size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("proof is for tree size ", proof.tree_size(),
                     ", the checkpoint's is ", checkpoint.tree_size()));
  }
  // The path's hashes read in place (at most 64 for any tree).
  const absl::InlinedVector<absl::string_view, 64> path(proof.hashes().begin(),
                                                        proof.hashes().end());
  return VerifyInclusion(proof.leaf_index(), proof.tree_size(),
                         LeafHash(LeafData(proven.signed_statement())), path,
                         checkpoint.root_hash());
}

CheckResult InclusionProof(BundleContext& context) {
  if (!context.checkpoint.has_value()) {
    return Skipped(texts::InclusionUnchecked());
  }
  for (const bool authority : {true, false}) {
    const ProvenStatements& list =
        authority ? context.authority_proven() : context.certificate_proven();
    for (int i = 0; i < list.size(); ++i) {
      const absl::Status status = ProveInclusion(list[i], *context.checkpoint);
      if (!status.ok()) {
        return Failed(texts::NotInLog(
            texts::StatementLabel(authority, i, list[i]), status.message()));
      }
    }
  }
  return Passed(texts::AllInLog(
      context.authority_proven().size() + context.certificate_proven().size(),
      context.checkpoint->tree_size()));
}

// Why the authority statements are not all signed by the pinned operator
// key (or a statement cannot be read, or no operator key is pinned), or
// nullopt.
std::optional<CheckResult> AuthoritySignatureProblem(
    const BundleContext& context) {
  if (context.unreadable.has_value()) return context.unreadable;
  if (!context.operator_key.has_value()) {
    return Failed(texts::NoOperatorKey());
  }
  const ProvenStatements& proven = context.authority_proven();
  for (int i = 0; i < proven.size(); ++i) {
    const v1::SignedStatement& signed_statement = proven[i].signed_statement();
    const auto label = [&] {
      return texts::StatementLabel(true, i, proven[i]);
    };
    if (signed_statement.key_id() != context.operator_key->key_id()) {
      return Failed(texts::NotSignedByOperator(
          label(), signed_statement.key_id(), context.operator_key->key_id()));
    }
    const absl::Status status =
        VerifyStatementSignature(signed_statement, *context.operator_key);
    if (!status.ok()) {
      return Failed(texts::BadSignature(label(), status.message()));
    }
  }
  return std::nullopt;
}

// Applies authority statement `i` to the body's record, or says why it
// cannot be applied.
std::optional<CheckResult> ApplyAuthority(BundleContext& context, int i) {
  const ProvenStatements& proven = context.authority_proven();
  const v1::Statement& statement = context.authority[i];
  const auto label = [&] { return texts::StatementLabel(true, i, proven[i]); };
  if (i > 0 && proven[i].inclusion_proof().leaf_index() <=
                   proven[i - 1].inclusion_proof().leaf_index()) {
    return Failed(texts::AuthorityOutOfOrder(label()));
  }
  if (!IsAuthorityKind(KindOf(statement))) {
    return Failed(
        texts::NotAnAuthorityStatement(label(), KindName(KindOf(statement))));
  }
  const absl::string_view subject = AuthoritySubject(statement);
  if (subject != context.body_number) {
    return Failed(
        texts::ConcernsAnotherBody(label(), subject, context.body_number));
  }
  absl::StatusOr<v1::CertificationBody> next =
      ApplyAuthorityStatement(context.record, statement);
  if (!next.ok()) {
    return Failed(
        texts::AuthorityNotApplicable(label(), next.status().message()));
  }
  context.record = *std::move(next);
  return std::nullopt;
}

// Sets the body's number, and its record replayed from the authority
// statements in log order or the reason there is none.
void EstablishBodyRecord(BundleContext& context, bool authority_authentic) {
  const std::vector<v1::Statement>& certificate = context.certificate;
  if (!certificate.empty() &&
      certificate.front().kind_case() == v1::Statement::kIssue) {
    context.body_number =
        certificate.front().issue().certificate().body_approval_number();
  }
  if (!authority_authentic) {
    context.record_problem = Failed(texts::AuthorityNotAuthentic());
    return;
  }
  if (context.body_number.empty()) {
    context.record_problem = Failed(texts::BodyUnknown());
    return;
  }
  for (int i = 0; i < context.authority_proven().size(); ++i) {
    context.record_problem = ApplyAuthority(context, i);
    if (context.record_problem.has_value()) return;
  }
  if (!context.record.has_value()) {
    context.record_problem =
        Failed(texts::NoAccreditation(context.body_number));
  }
}

// Whether each certificate statement is vouched for by the next one: signed
// with the same key and naming its hash as previous_event_hash, which that
// signature covers.
std::vector<bool> VouchedByNext(const BundleContext& context) {
  const ProvenStatements& proven = context.certificate_proven();
  std::vector<bool> vouched(proven.size(), false);
  for (int i = 0; i + 1 < proven.size(); ++i) {
    vouched[i] = proven[i].signed_statement().key_id() ==
                     proven[i + 1].signed_statement().key_id() &&
                 context.certificate[i + 1].previous_event_hash() ==
                     context.certificate_hashes[i];
  }
  return vouched;
}

// The body's key with `key_id`, or null.
const v1::BodyKey* KeyOf(const v1::CertificationBody& record,
                         absl::string_view key_id) {
  const v1::BodyKey* key = nullptr;
  for (const v1::BodyKey& k : record.keys()) {
    if (k.key_id() == key_id) key = &k;
  }
  return key;
}

absl::Status VerifyWithBodyKey(const v1::SignedStatement& signed_statement,
                               const v1::BodyKey& key, SignatureMemo* memo) {
  const absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> public_key =
      PublicKeyOf(memo, key.public_key());
  if (!public_key.ok()) return public_key.status();
  return VerifyStatementSignature(signed_statement,
                                  MemoizedVerifier(**public_key, memo));
}

// Every certificate statement is signed by a key of the body; only the
// latest of each run of one key is verified with Ed25519 (VouchedByNext).
CheckResult CertificateSignatures(const BundleContext& context) {
  const ProvenStatements& proven = context.certificate_proven();
  const std::vector<bool> vouched_by_next = VouchedByNext(context);
  int verified_directly = 0;
  for (int i = 0; i < proven.size(); ++i) {
    const v1::SignedStatement& signed_statement = proven[i].signed_statement();
    const auto label = [&] {
      return texts::StatementLabel(false, i, proven[i]);
    };
    if (context.record_problem.has_value()) {
      return Failed(
          texts::SignatureUncheckable(label(), context.record_problem->text));
    }
    const v1::BodyKey* key = KeyOf(*context.record, signed_statement.key_id());
    if (key == nullptr) {
      return Failed(texts::NotAKeyOfBody(label(), signed_statement.key_id(),
                                         context.body_number));
    }
    if (vouched_by_next[i]) continue;
    ++verified_directly;
    const absl::Status status =
        VerifyWithBodyKey(signed_statement, *key, context.memo);
    if (!status.ok()) {
      return Failed(texts::BadSignature(label(), status.message()));
    }
  }
  return Passed(texts::SignaturesVerified(context.authority_proven().size(),
                                          proven.size(), context.body_number,
                                          proven.size() - verified_directly));
}

// The authority statements' signatures, then the body's record (which needs
// them authentic, and whose keys check the certificate statements), then the
// certificate statements' signatures.
CheckResult StatementSignature(BundleContext& context) {
  std::optional<CheckResult> problem = AuthoritySignatureProblem(context);
  EstablishBodyRecord(context, /*authority_authentic=*/!problem.has_value());
  if (problem.has_value()) return *std::move(problem);
  return CertificateSignatures(context);
}

CheckResult SignerAccredited(BundleContext& context) {
  if (context.record_problem.has_value()) return *context.record_problem;
  if (context.unreadable.has_value()) {
    return Skipped(texts::SomeStatementUnreadable());
  }
  const ProvenStatements& proven = context.certificate_proven();
  for (int i = 0; i < proven.size(); ++i) {
    const v1::Statement& statement = context.certificate[i];
    absl::Status status = ValidateDate(statement.date(), "statement.date");
    if (status.ok()) {
      status = CheckSignerAccredited(*context.record,
                                     proven[i].signed_statement().key_id(),
                                     ToCivilDay(statement.date()));
    }
    if (!status.ok()) {
      return Failed(texts::SignerNotAccredited(
          texts::StatementLabel(false, i, proven[i]), status.message()));
    }
  }
  return Passed(texts::SignersAccredited(context.body_number));
}

CheckResult EventChain(BundleContext& context) {
  if (context.unreadable.has_value()) {
    return Skipped(texts::SomeStatementUnreadable());
  }
  const std::vector<v1::Statement>& certificate = context.certificate;
  const ProvenStatements& proven = context.certificate_proven();
  if (certificate.empty()) return Failed(texts::NoCertificateStatements());
  const v1::Statement& issue = certificate.front();
  if (issue.kind_case() != v1::Statement::kIssue) {
    return Failed(texts::ChainStartsWithoutIssue());
  }
  const std::string& number = issue.issue().certificate().number();
  if (number != context.bundle.certificate_number() ||
      number != context.claim.certificate_number()) {
    return Failed(texts::ChainOfAnotherCertificate(
        number, context.bundle.certificate_number(),
        context.claim.certificate_number()));
  }
  absl::StatusOr<CertificateChain> chain =
      CertificateChain::Start(issue, context.certificate_hashes[0]);
  if (!chain.ok()) {
    return Failed(texts::InvalidIssue(
        texts::StatementLabel(false, 0, proven[0]), chain.status().message()));
  }
  for (int i = 1; i < proven.size(); ++i) {
    const absl::Status status =
        proven[i].inclusion_proof().leaf_index() <=
                proven[i - 1].inclusion_proof().leaf_index()
            ? absl::FailedPreconditionError(
                  "out of log order (leaf indexes must strictly increase)")
            : chain->Apply(certificate[i], context.certificate_hashes[i]);
    if (!status.ok()) {
      return Failed(texts::ChainBroken(
          texts::StatementLabel(false, i, proven[i]), status.message()));
    }
  }
  context.chain = *std::move(chain);
  return Passed(texts::ChainComplete(proven.size(),
                                     issue.issue().certificate().issue_date()));
}

// The log key's signed head says how many statements the chain and the
// body's authority record have: a bundle with fewer (the latest events
// dropped on the way) is refused.
CheckResult Completeness(BundleContext& context) {
  const v1::VerificationBundle& bundle = context.bundle;
  if (!context.checkpoint.has_value() || !context.chain.has_value() ||
      !context.log_key.has_value()) {
    return Skipped(texts::CompletenessUnchecked());
  }
  if (!HasSignedHead(bundle)) return Failed(texts::NoCertificateHead());
  const absl::StatusOr<v1::CertificateHead> head =
      VerifyBundleHead(bundle, *context.log_key);
  if (!head.ok()) return Failed(texts::HeadNotSigned(head.status().message()));
  const absl::Status counted =
      CheckBundleComplete(*head, bundle, *context.checkpoint);
  if (!counted.ok()) return Failed(texts::StatementsMissing(counted.message()));
  return Passed(texts::BundleComplete(bundle.certificate_statements_size(),
                                      bundle.authority_statements_size(),
                                      context.checkpoint->tree_size()));
}

// Which scheme rules the status is computed under: the ones the signed head
// names (the latest published at the checkpoint), carried in the bundle; the
// built-in ones when none were published or they cannot be trusted.
CheckResult SchemeRules(BundleContext& context) {
  const v1::VerificationBundle& bundle = context.bundle;
  context.rules = DefaultSchemeRules();
  if (!context.checkpoint.has_value() || !context.log_key.has_value() ||
      !context.operator_key.has_value() || !HasSignedHead(bundle)) {
    return Skipped(texts::RulesUncheckedWithoutHead());
  }
  const absl::StatusOr<v1::CertificateHead> head =
      VerifyBundleHead(bundle, *context.log_key);
  if (!head.ok()) return Skipped(texts::RulesUncheckedHeadNotAuthentic());
  if (head->rules_statement_hash().empty()) {
    if (bundle.has_rules_statement()) {
      return Failed(texts::UnnamedRulesStatement());
    }
    return Passed(texts::BuiltInRules());
  }
  if (!bundle.has_rules_statement()) return Failed(texts::NamedRulesMissing());
  absl::StatusOr<v1::SchemeRules> rules = VerifyRulesStatement(
      bundle.rules_statement(), head->rules_statement_hash(),
      *context.operator_key, *context.checkpoint);
  if (!rules.ok()) {
    return Failed(texts::RulesNotAuthentic(rules.status().message()));
  }
  context.rules = *std::move(rules);
  return Passed(texts::PublishedRules(context.rules.version()));
}

// The effective status as of the claim's date, into `status`.
CheckResult Status(const BundleContext& context, v1::EffectiveStatus& status) {
  status = context.chain->StatusAsOf(context.as_of, context.rules);
  Text text = texts::StatusOn(status, context.as_of);
  return status.status() == v1::CERTIFICATE_STATUS_VALID
             ? Passed(std::move(text))
             : Failed(std::move(text));
}

CheckResult Freshness(const BundleContext& context) {
  const absl::Duration age =
      context.now -
      absl::FromUnixMillis(context.checkpoint->timestamp_unix_millis());
  const absl::Duration limit = context.policy.max_checkpoint_age;
  if (age > limit) return Failed(texts::CheckpointTooOld(age, limit));
  if (-age > kMaxCheckpointClockSkew) {
    return Failed(texts::CheckpointFromTheFuture(-age));
  }
  return Passed(
      texts::CheckpointFresh(std::max(age, absl::ZeroDuration()), limit));
}

}  // namespace checks

// True when every check so far passed and the chain is established: the
// later checks evaluate nothing unauthenticated.
bool Authentic(const v1::VerifyResponse& response,
               const BundleContext& context) {
  if (!context.checkpoint.has_value() || !context.chain.has_value()) {
    return false;
  }
  return std::all_of(response.checks().begin(), response.checks().end(),
                     [](const v1::Check& check) {
                       return check.outcome() == v1::CHECK_OUTCOME_PASSED;
                     });
}

// The certificate as it stood on the claim's date: the chain's prefix of
// events dated on or before it (dates never go backwards). When no event is
// later than the date (a claim as of today, mostly), that is the whole
// chain, which is moved out (it is not needed after this).
v1::Certificate CertificateAsOf(BundleContext& context) {
  const std::vector<v1::Statement>& certificate = context.certificate;
  if (ToCivilDay(certificate.back().date()) <= context.as_of) {
    return std::move(*context.chain).TakeCertificate();
  }
  absl::StatusOr<CertificateChain> as_of_chain = CertificateChain::Start(
      certificate.front(), context.certificate_hashes[0]);
  for (size_t i = 1; as_of_chain.ok() && i < certificate.size(); ++i) {
    if (ToCivilDay(certificate[i].date()) > context.as_of) break;
    absl::Status applied =
        as_of_chain->Apply(certificate[i], context.certificate_hashes[i]);
    if (!applied.ok()) as_of_chain = applied;  // cannot happen: replayed
  }
  return as_of_chain.ok() ? std::move(*as_of_chain).TakeCertificate()
                          : context.chain->certificate();
}

// FAIL when a check other than freshness failed; UNKNOWN when only freshness
// did; PASS otherwise.
v1::Verdict VerdictOf(const v1::VerifyResponse& response) {
  bool stale = false;
  for (const v1::Check& check : response.checks()) {
    if (check.outcome() != v1::CHECK_OUTCOME_FAILED) continue;
    if (check.name() != "freshness") return v1::VERDICT_FAIL;
    stale = true;
  }
  return stale ? v1::VERDICT_UNKNOWN : v1::VERDICT_PASS;
}

}  // namespace

v1::VerifyResponse VerifyBundle(const v1::VerificationBundle& bundle,
                                const v1::Claim& claim, const PinnedKeys& keys,
                                const VerifyPolicy& policy, absl::Time now,
                                SignatureMemo* memo) {
  v1::VerifyResponse response;
  response.set_certificate_number(claim.certificate_number());
  if (std::optional<CheckResult> problem = ClaimProblem(claim)) {
    AddCheck(response, "claim", *std::move(problem));
    response.set_verdict(v1::VERDICT_UNKNOWN);
    return response;
  }

  BundleContext context(bundle, claim, keys, policy, now, memo);
  AddCheck(response, "checkpoint_signature",
           checks::CheckpointSignature(context));
  if (context.checkpoint.has_value()) {
    response.set_checkpoint_tree_size(context.checkpoint->tree_size());
  }
  AddCheck(response, "inclusion_proof", checks::InclusionProof(context));
  ReadStatements(context);
  AddCheck(response, "statement_signature",
           checks::StatementSignature(context));
  AddCheck(response, "signer_accredited", checks::SignerAccredited(context));
  AddCheck(response, "event_chain", checks::EventChain(context));
  AddCheck(response, "completeness", checks::Completeness(context));
  AddCheck(response, "scheme_rules", checks::SchemeRules(context));

  if (!Authentic(response, context)) {
    AddCheck(response, "status", Skipped(texts::NotEvaluated()));
    for (const ClaimCheck& check : kClaimChecks) {
      AddCheck(response, check.name, Skipped(texts::NotEvaluated()));
    }
    AddCheck(response, "freshness", Skipped(texts::NotEvaluated()));
    response.set_verdict(v1::VERDICT_FAIL);
    return response;
  }

  AddCheck(response, "status",
           checks::Status(context, *response.mutable_status()));
  *response.mutable_certificate() = CertificateAsOf(context);
  AddClaimChecks(claim, response.certificate(), response);
  AddCheck(response, "freshness", checks::Freshness(context));
  response.set_verdict(VerdictOf(response));
  return response;
}

}  // namespace certreg
