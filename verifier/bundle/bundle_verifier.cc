#include "verifier/bundle/bundle_verifier.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "verifier/base/status_macros.h"
#include "verifier/bundle/check_result.h"
#include "verifier/bundle/claim_checks.h"
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

constexpr v1::CheckOutcome kPassed = v1::CHECK_OUTCOME_PASSED;
constexpr v1::CheckOutcome kFailed = v1::CHECK_OUTCOME_FAILED;
constexpr v1::CheckOutcome kSkipped = v1::CHECK_OUTCOME_SKIPPED;

// The outcome of one check before it is added to the response.
struct Outcome {
  v1::CheckOutcome outcome = kPassed;
  std::string detail;
  std::string detail_zh;
};

Outcome Passed(std::string en, std::string zh) {
  return {kPassed, std::move(en), std::move(zh)};
}
Outcome Failed(std::string en, std::string zh) {
  return {kFailed, std::move(en), std::move(zh)};
}
Outcome Skipped(std::string en, std::string zh) {
  return {kSkipped, std::move(en), std::move(zh)};
}

// Moves the outcome's texts into the check.
void Add(v1::VerifyResponse& response, absl::string_view name,
         Outcome outcome) {
  v1::Check* check = response.add_checks();
  check->set_name(std::string(name));
  check->set_outcome(outcome.outcome);
  check->set_detail(std::move(outcome.detail));
  check->set_detail_zh(std::move(outcome.detail_zh));
}

// "certificate statement #2 (leaf 17)" and "第 2 条证书声明（日志序号 17）".
// A statement's name in a check's details, made only for a check that
// fails (a passing claim names no statement).
struct Label {
  std::string en;
  std::string zh;
};

Label LabelOf(bool authority, size_t position,
              const v1::ProvenStatement& proven) {
  const uint64_t leaf = proven.inclusion_proof().leaf_index();
  return {absl::StrCat(authority ? "authority" : "certificate", " statement #",
                       position + 1, " (leaf ", leaf, ")"),
          absl::StrCat("第 ", position + 1, " 条",
                       authority ? "机构授权声明" : "证书声明", "（日志序号 ",
                       leaf, "）")};
}

// "25 h 3 min" / "25小时3分钟" for a non-negative duration.
Label DurationText(absl::Duration d) {
  if (d == absl::InfiniteDuration()) return {"forever", "无限长"};
  const int64_t minutes = absl::ToInt64Minutes(d);
  const int64_t hours = minutes / 60;
  if (hours == 0) {
    return {absl::StrCat(minutes, " min"), absl::StrCat(minutes, "分钟")};
  }
  return {absl::StrCat(hours, " h ", minutes % 60, " min"),
          absl::StrCat(hours, "小时", minutes % 60, "分钟")};
}

Outcome CheckCompleteness(const v1::VerificationBundle& bundle,
                          const SignatureVerifier* log_key,
                          const std::optional<v1::Checkpoint>& checkpoint,
                          bool chain_ok) {
  if (!checkpoint.has_value() || !chain_ok || log_key == nullptr) {
    return Skipped("the checkpoint or the chain is not authentic",
                   "检查点或证书事件链未通过验证，未检查完整性");
  }
  if (!bundle.has_head() && !bundle.has_head_in_tree()) {
    return Failed(
        "the bundle has no signed certificate head, so it cannot "
        "show that no later event was left out",
        "验证包缺少已签名的证书最新状态，无法证明没有遗漏后续事件");
  }
  absl::StatusOr<v1::CertificateHead> head =
      bundle.has_head()
          ? VerifyCertificateHead(bundle.head(), *log_key)
          : VerifyCertificateHeadInTree(bundle.head_in_tree(), *log_key);
  if (!head.ok()) {
    return Failed(
        absl::StrCat("the certificate head is not signed by the "
                     "pinned log key: ",
                     head.status().message()),
        absl::StrCat("证书最新状态的签名无效：", head.status().message()));
  }
  const auto& certificate = bundle.certificate_statements();
  const auto& authority = bundle.authority_statements();
  std::string problem;
  if (head->tree_size() != checkpoint->tree_size()) {
    problem = absl::StrCat("the head is for tree size ", head->tree_size(),
                           ", the checkpoint's is ", checkpoint->tree_size());
  } else if (head->certificate_number() != bundle.certificate_number()) {
    problem = absl::StrCat("the head is for certificate ",
                           head->certificate_number());
  } else if (head->certificate_statement_count() !=
                 static_cast<uint32_t>(certificate.size()) ||
             certificate.empty() ||
             head->latest_statement_hash() !=
                 StatementHash(certificate.rbegin()->signed_statement())) {
    problem = absl::StrCat("the registry signed that the certificate has ",
                           head->certificate_statement_count(),
                           " statement(s); the bundle has ", certificate.size(),
                           " or a different latest one");
  } else if (head->authority_statement_count() !=
                 static_cast<uint32_t>(authority.size()) ||
             authority.empty() ||
             head->latest_authority_leaf_index() !=
                 authority.rbegin()->inclusion_proof().leaf_index()) {
    problem = absl::StrCat("the registry signed that the body has ",
                           head->authority_statement_count(),
                           " authority statement(s); the bundle has ",
                           authority.size(), " or a different latest one");
  }
  if (!problem.empty()) {
    return Failed(
        absl::StrCat("statements are missing from the bundle: ", problem),
        absl::StrCat("验证包遗漏了声明（如最新的暂停或撤销）：", problem));
  }
  return Passed(
      absl::StrCat("the bundle holds all ", certificate.size(),
                   " statement(s) of the certificate and all ",
                   authority.size(), " of its body at tree size ",
                   checkpoint->tree_size()),
      absl::StrCat("验证包包含该证书的全部 ", certificate.size(),
                   " 条声明及其认证机构的全部 ", authority.size(), " 条声明"));
}

// The rules statement a bundle carries, checked against the head that names
// it: signed by the operator, in the log at the checkpoint, and valid rules.
// `rules` receives the rules that apply (the built-in ones when none were
// published).
absl::Status CheckRulesStatement(const v1::ProvenStatement& proven,
                                 absl::string_view named_hash,
                                 const SignatureVerifier& operator_key,
                                 const v1::Checkpoint& checkpoint,
                                 v1::SchemeRules& rules) {
  const v1::SignedStatement& signed_statement = proven.signed_statement();
  if (StatementHash(signed_statement) != named_hash) {
    return absl::FailedPreconditionError(
        "it is not the rules statement the signed head names");
  }
  if (signed_statement.key_id() != operator_key.key_id()) {
    return absl::PermissionDeniedError(
        "it is not signed by the pinned operator key");
  }
  CERTREG_RETURN_IF_ERROR(
      VerifyStatementSignature(signed_statement, operator_key));
  const v1::InclusionProof& proof = proven.inclusion_proof();
  if (proof.tree_size() != checkpoint.tree_size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("its proof is for tree size ", proof.tree_size()));
  }
  const std::vector<absl::string_view> path(proof.hashes().begin(),
                                            proof.hashes().end());
  CERTREG_RETURN_IF_ERROR(VerifyInclusion(proof.leaf_index(), proof.tree_size(),
                                          LeafHash(LeafData(signed_statement)),
                                          path, checkpoint.root_hash()));
  CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                           ParseSignedStatement(signed_statement));
  if (statement.kind_case() != v1::Statement::kPublishRules) {
    return absl::InvalidArgumentError("it is not a rules statement");
  }
  CERTREG_RETURN_IF_ERROR(ValidateSchemeRules(statement.publish_rules()));
  rules = statement.publish_rules();
  return absl::OkStatus();
}

// Which scheme rules the status is computed under: the ones the signed head
// names (the latest published at the checkpoint), carried in the bundle.
Outcome CheckSchemeRules(const v1::VerificationBundle& bundle,
                         const SignatureVerifier* log_key,
                         const SignatureVerifier* operator_key,
                         const std::optional<v1::Checkpoint>& checkpoint,
                         v1::SchemeRules& rules) {
  rules = DefaultSchemeRules();
  if (!checkpoint.has_value() || log_key == nullptr ||
      operator_key == nullptr ||
      (!bundle.has_head() && !bundle.has_head_in_tree())) {
    return Skipped("the checkpoint or the head is not authentic",
                   "检查点或证书最新状态未通过验证，未检查认证规则");
  }
  absl::StatusOr<v1::CertificateHead> head =
      bundle.has_head()
          ? VerifyCertificateHead(bundle.head(), *log_key)
          : VerifyCertificateHeadInTree(bundle.head_in_tree(), *log_key);
  if (!head.ok()) {
    return Skipped("the certificate head is not authentic",
                   "证书最新状态未通过验证，未检查认证规则");
  }
  if (head->rules_statement_hash().empty()) {
    if (bundle.has_rules_statement()) {
      return Failed(
          "the bundle carries a rules statement the signed head does not name",
          "验证包携带的认证规则声明与已签名的最新状态不符");
    }
    return Passed(
        "no scheme rules were published at this checkpoint: the built-in "
        "version 1 rules apply",
        "该检查点尚未发布认证规则，适用内置第 1 版规则");
  }
  if (!bundle.has_rules_statement()) {
    return Failed(
        "the signed head names scheme rules the bundle does not carry",
        "验证包缺少已签名最新状态所指明的认证规则声明");
  }
  const absl::Status checked = CheckRulesStatement(
      bundle.rules_statement(), head->rules_statement_hash(), *operator_key,
      *checkpoint, rules);
  if (!checked.ok()) {
    rules = DefaultSchemeRules();
    return Failed(absl::StrCat("the scheme rules statement is not authentic: ",
                               checked.message()),
                  absl::StrCat("认证规则声明未通过验证：", checked.message()));
  }
  return Passed(absl::StrCat("the scheme rules version ", rules.version(),
                             " published by the operator apply"),
                absl::StrCat("适用登记系统运营方发布的第 ", rules.version(),
                             " 版认证规则"));
}

// The names of the checks after event_chain, for skipping them.
constexpr absl::string_view kLaterChecks[] = {
    "status",     "holder_name", "holder_address", "scope",    "basis",
    "star_level", "type",        "item_code",      "freshness"};

}  // namespace

v1::VerifyResponse VerifyBundle(const v1::VerificationBundle& bundle,
                                const v1::Claim& claim, const PinnedKeys& keys,
                                const VerifyPolicy& policy, absl::Time now,
                                SignatureMemo* memo) {
  v1::VerifyResponse response;
  // The pinned keys, answering from `memo` what they verified before.
  std::optional<MemoizedVerifier> log_key;
  std::optional<MemoizedVerifier> operator_key;
  if (keys.log_key != nullptr) log_key.emplace(*keys.log_key, memo);
  if (keys.operator_key != nullptr) {
    operator_key.emplace(*keys.operator_key, memo);
  }
  response.set_certificate_number(claim.certificate_number());

  // The claim itself.
  if (std::optional<CheckResult> problem = ClaimProblem(claim)) {
    AddCheck(response, "claim", *std::move(problem));
    response.set_verdict(v1::VERDICT_UNKNOWN);
    return response;
  }

  // 1. checkpoint_signature
  std::optional<v1::Checkpoint> checkpoint;
  if (keys.log_key == nullptr) {
    Add(response, "checkpoint_signature",
        Failed("no log key is pinned", "未配置登记系统的日志公钥"));
  } else {
    absl::StatusOr<v1::Checkpoint> verified =
        VerifyCheckpoint(bundle.checkpoint(), *log_key);
    if (verified.ok()) {
      checkpoint = *std::move(verified);
      response.set_checkpoint_tree_size(checkpoint->tree_size());
      Add(response, "checkpoint_signature",
          Passed(absl::StrCat("the checkpoint of \"", checkpoint->origin(),
                              "\" at tree size ", checkpoint->tree_size(),
                              " is signed by the pinned log key"),
                 absl::StrCat("检查点签名有效（日志大小 ",
                              checkpoint->tree_size(), "）")));
    } else {
      Add(response, "checkpoint_signature",
          Failed(absl::StrCat("the checkpoint is not signed by the pinned log "
                              "key: ",
                              verified.status().message()),
                 absl::StrCat("检查点签名无效，不是由登记系统的日志密钥签署：",
                              verified.status().message())));
    }
  }

  // 2. inclusion_proof
  const auto& authority_proven = bundle.authority_statements();
  const auto& certificate_proven = bundle.certificate_statements();
  Outcome inclusion = Passed("", "");
  if (!checkpoint.has_value()) {
    inclusion = Skipped("the checkpoint is not authentic",
                        "检查点未通过验证，无法检查包含证明");
  } else {
    for (int pass = 0; pass < 2 && inclusion.outcome == kPassed; ++pass) {
      const bool authority = pass == 0;
      const auto& list = authority ? authority_proven : certificate_proven;
      for (int i = 0; i < list.size(); ++i) {
        const v1::ProvenStatement& proven = list[i];
        const v1::InclusionProof& proof = proven.inclusion_proof();
        const auto label = [&] { return LabelOf(authority, i, proven); };
        absl::Status status;
        if (proof.tree_size() != checkpoint->tree_size()) {
          status = absl::FailedPreconditionError(
              absl::StrCat("proof is for tree size ", proof.tree_size(),
                           ", the checkpoint's is ", checkpoint->tree_size()));
        } else {
          // The path's hashes read in place (at most 64 for any tree).
          const absl::InlinedVector<absl::string_view, 64> path(
              proof.hashes().begin(), proof.hashes().end());
          status =
              VerifyInclusion(proof.leaf_index(), proof.tree_size(),
                              LeafHash(LeafData(proven.signed_statement())),
                              path, checkpoint->root_hash());
        }
        if (!status.ok()) {
          inclusion = Failed(
              absl::StrCat(label().en, " is not proven to be in the log: ",
                           status.message()),
              absl::StrCat(label().zh, "的包含证明无效，无法证明其已记入日志：",
                           status.message()));
          break;
        }
      }
    }
    if (inclusion.outcome == kPassed) {
      inclusion = Passed(
          absl::StrCat("all ",
                       authority_proven.size() + certificate_proven.size(),
                       " statements are in the log at tree size ",
                       checkpoint->tree_size()),
          absl::StrCat(
              "全部 ", authority_proven.size() + certificate_proven.size(),
              " 条声明均已记入日志（日志大小 ", checkpoint->tree_size(), "）"));
    }
  }
  Add(response, "inclusion_proof", std::move(inclusion));

  // Parse every statement.
  std::optional<Outcome> unreadable;  // the first statement that does not parse
  const auto parse_all = [&unreadable](bool authority, const auto& list) {
    std::vector<v1::Statement> out;
    out.reserve(list.size());
    for (int i = 0; i < list.size(); ++i) {
      absl::StatusOr<v1::Statement> parsed =
          ParseSignedStatement(list[i].signed_statement());
      if (!parsed.ok()) {
        if (!unreadable.has_value()) {
          const Label label = LabelOf(authority, i, list[i]);
          unreadable = Failed(
              absl::StrCat(label.en,
                           " cannot be read: ", parsed.status().message()),
              absl::StrCat(label.zh, "无法解析：", parsed.status().message()));
        }
        out.emplace_back();
      } else {
        out.push_back(*std::move(parsed));
      }
    }
    return out;
  };
  const std::vector<v1::Statement> authority =
      parse_all(true, authority_proven);
  const std::vector<v1::Statement> certificate =
      parse_all(false, certificate_proven);
  // Each certificate statement's hash, once: the signature check, the chain
  // and the chain as of the claim's date all need it.
  std::vector<std::string> certificate_hashes;
  certificate_hashes.reserve(certificate_proven.size());
  for (const v1::ProvenStatement& proven : certificate_proven) {
    certificate_hashes.push_back(StatementHash(proven.signed_statement()));
  }

  // 3a. Authority statements: signed by the operator.
  std::optional<Outcome> signature_problem = unreadable;
  if (!signature_problem.has_value() && keys.operator_key == nullptr) {
    signature_problem =
        Failed("no operator key is pinned", "未配置登记系统的运营方公钥");
  }
  for (int i = 0; i < authority_proven.size() && !signature_problem; ++i) {
    const v1::SignedStatement& signed_statement =
        authority_proven[i].signed_statement();
    const auto label = [&] { return LabelOf(true, i, authority_proven[i]); };
    if (signed_statement.key_id() != keys.operator_key->key_id()) {
      signature_problem =
          Failed(absl::StrCat(label().en, " is signed by key ",
                              ToHex(signed_statement.key_id()),
                              ", not by the pinned operator key ",
                              ToHex(keys.operator_key->key_id())),
                 absl::StrCat(label().zh, "不是由登记系统运营方的密钥签署"));
      break;
    }
    absl::Status status =
        VerifyStatementSignature(signed_statement, *operator_key);
    if (!status.ok()) {
      signature_problem = Failed(
          absl::StrCat(label().en, " has a bad signature: ", status.message()),
          absl::StrCat(label().zh, "的签名无效"));
    }
  }
  const bool authority_authentic = !signature_problem.has_value();

  // 4a. The body's record from the authority statements, in log order.
  std::string body_number;
  if (!certificate.empty() &&
      certificate.front().kind_case() == v1::Statement::kIssue) {
    body_number =
        certificate.front().issue().certificate().body_approval_number();
  }
  std::optional<v1::CertificationBody> record;
  std::optional<Outcome> record_problem;
  if (!authority_authentic) {
    record_problem = Failed(
        "the body's keys cannot be established: an authority statement is not "
        "authentic",
        "机构授权声明未通过验证，无法确定认证机构的密钥");
  } else if (body_number.empty()) {
    record_problem = Failed(
        "the certificate's body is unknown: the bundle's first certificate "
        "statement is not an issue statement naming a body",
        "无法确定认证机构：验证包的第一条证书声明不是颁证声明");
  } else {
    for (int i = 0; i < authority_proven.size() && !record_problem; ++i) {
      const auto label = [&] { return LabelOf(true, i, authority_proven[i]); };
      const v1::Statement& statement = authority[i];
      if (i > 0 && authority_proven[i].inclusion_proof().leaf_index() <=
                       authority_proven[i - 1].inclusion_proof().leaf_index()) {
        record_problem =
            Failed(absl::StrCat(label().en,
                                " is out of log order (leaf indexes must "
                                "strictly increase)"),
                   absl::StrCat(label().zh, "未按日志顺序排列"));
        break;
      }
      if (!IsAuthorityKind(KindOf(statement))) {
        record_problem = Failed(
            absl::StrCat(label().en, " is a ", KindName(KindOf(statement)),
                         " statement, not an authority statement"),
            absl::StrCat(label().zh, "不是机构授权类声明"));
        break;
      }
      const absl::string_view subject = AuthoritySubject(statement);
      if (subject != body_number) {
        record_problem =
            Failed(absl::StrCat(label().en, " concerns ", subject,
                                ", not the certificate's body ", body_number),
                   absl::StrCat(label().zh, "涉及的机构（", subject,
                                "）不是该证书的认证机构（", body_number, "）"));
        break;
      }
      absl::StatusOr<v1::CertificationBody> next =
          ApplyAuthorityStatement(record, statement);
      if (!next.ok()) {
        record_problem = Failed(absl::StrCat(label().en, " cannot be applied: ",
                                             next.status().message()),
                                absl::StrCat(label().zh, "不符合机构授权规则：",
                                             next.status().message()));
        break;
      }
      record = *std::move(next);
    }
    if (!record_problem.has_value() && !record.has_value()) {
      record_problem = Failed(
          absl::StrCat("the bundle carries no accreditation of ", body_number),
          absl::StrCat("验证包中没有认证机构 ", body_number, " 的批准声明"));
    }
  }

  // 3b. Certificate statements: signed by a key of the body. A statement
  // whose successor is signed with the same key and names its hash is
  // vouched for by that signature (which covers previous_event_hash), so
  // only the latest statement of each run of one key is verified.
  const int certificate_count = certificate_proven.size();
  std::vector<bool> vouched_by_next(certificate_count, false);
  if (!signature_problem.has_value()) {
    for (int i = 0; i + 1 < certificate_count; ++i) {
      vouched_by_next[i] =
          certificate_proven[i].signed_statement().key_id() ==
              certificate_proven[i + 1].signed_statement().key_id() &&
          certificate[i + 1].previous_event_hash() == certificate_hashes[i];
    }
  }
  int verified_directly = 0;
  for (int i = 0; i < certificate_count && !signature_problem; ++i) {
    const v1::SignedStatement& signed_statement =
        certificate_proven[i].signed_statement();
    const auto label = [&] { return LabelOf(false, i, certificate_proven[i]); };
    if (record_problem.has_value()) {
      signature_problem =
          Failed(absl::StrCat("cannot check the signature of ", label().en,
                              ": ", record_problem->detail),
                 absl::StrCat("无法验证", label().zh, "的签名：",
                              record_problem->detail_zh));
      break;
    }
    const v1::BodyKey* key = nullptr;
    for (const v1::BodyKey& k : record->keys()) {
      if (k.key_id() == signed_statement.key_id()) key = &k;
    }
    if (key == nullptr) {
      signature_problem = Failed(
          absl::StrCat(label().en, " is signed by key ",
                       ToHex(signed_statement.key_id()),
                       ", which is not a key of ", body_number),
          absl::StrCat(label().zh, "的签名密钥不属于认证机构 ", body_number));
      break;
    }
    if (vouched_by_next[i]) continue;
    ++verified_directly;
    const absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> public_key =
        PublicKeyOf(memo, key->public_key());
    absl::Status status =
        public_key.ok()
            ? VerifyStatementSignature(signed_statement,
                                       MemoizedVerifier(**public_key, memo))
            : public_key.status();
    if (!status.ok()) {
      signature_problem = Failed(
          absl::StrCat(label().en, " has a bad signature: ", status.message()),
          absl::StrCat(label().zh, "的签名无效"));
    }
  }
  const int vouched = certificate_count - verified_directly;
  Add(response, "statement_signature",
      signature_problem.value_or(Passed(
          absl::StrCat(
              authority_proven.size(),
              " authority statement(s) signed by the operator key and ",
              certificate_count, " certificate statement(s) signed by keys of ",
              body_number, " verified",
              vouched == 0
                  ? ""
                  : absl::StrCat(" (", vouched,
                                 " of them through the hash named by the next "
                                 "statement signed with the same key)")),
          absl::StrCat(
              "全部声明签名有效（机构授权声明 ", authority_proven.size(),
              " 条，证书声明 ", certificate_count, " 条",
              vouched == 0 ? ""
                           : absl::StrCat("，其中 ", vouched,
                                          " 条由同一密钥签署的下一条声明以"
                                          "哈希值担保"),
              "）"))));

  // 4b. signer_accredited
  Outcome accredited =
      Passed(absl::StrCat("every certificate statement is signed by a key of ",
                          body_number, " accredited on its date"),
             absl::StrCat("每条证书声明的签名密钥在其日期均属于获批的认证机构 ",
                          body_number));
  if (record_problem.has_value()) {
    accredited = *record_problem;
  } else if (unreadable.has_value()) {
    accredited = Skipped("a statement cannot be read (see statement_signature)",
                         "有声明无法解析，未检查");
  } else {
    for (int i = 0; i < certificate_proven.size(); ++i) {
      const auto label = [&] {
        return LabelOf(false, i, certificate_proven[i]);
      };
      absl::Status status =
          ValidateDate(certificate[i].date(), "statement.date");
      if (status.ok()) {
        status = CheckSignerAccredited(
            *record, certificate_proven[i].signed_statement().key_id(),
            ToCivilDay(certificate[i].date()));
      }
      if (!status.ok()) {
        accredited =
            Failed(absl::StrCat(label().en, ": ", status.message()),
                   absl::StrCat(label().zh, "的签署者在声明日期未获认可：",
                                status.message()));
        break;
      }
    }
  }
  Add(response, "signer_accredited", std::move(accredited));

  // 5. event_chain
  std::optional<CertificateChain> chain;
  Outcome chain_outcome;
  if (unreadable.has_value()) {
    chain_outcome =
        Skipped("a statement cannot be read (see statement_signature)",
                "有声明无法解析，未检查");
  } else if (certificate.empty()) {
    chain_outcome = Failed("the bundle has no certificate statements",
                           "验证包中没有证书声明");
  } else if (certificate.front().kind_case() != v1::Statement::kIssue) {
    chain_outcome =
        Failed("the certificate's chain does not start with an issue statement",
               "证书事件链的第一条不是颁证声明");
  } else {
    const std::string& number =
        certificate.front().issue().certificate().number();
    if (number != bundle.certificate_number() ||
        number != claim.certificate_number()) {
      chain_outcome = Failed(
          absl::StrCat("the bundle's chain is for certificate \"", number,
                       "\"; the bundle names \"", bundle.certificate_number(),
                       "\" and the claim \"", claim.certificate_number(), "\""),
          absl::StrCat("验证包中的证书编号（", number, "）与所核查的证书编号（",
                       claim.certificate_number(), "）不一致"));
    } else {
      absl::StatusOr<CertificateChain> started =
          CertificateChain::Start(certificate.front(), certificate_hashes[0]);
      if (!started.ok()) {
        const Label label = LabelOf(false, 0, certificate_proven[0]);
        chain_outcome =
            Failed(absl::StrCat(label.en, " is not a valid issue statement: ",
                                started.status().message()),
                   absl::StrCat(label.zh, "不是有效的颁证声明：",
                                started.status().message()));
      } else {
        chain = *std::move(started);
        for (int i = 1; i < certificate_proven.size(); ++i) {
          const auto label = [&] {
            return LabelOf(false, i, certificate_proven[i]);
          };
          absl::Status status;
          if (certificate_proven[i].inclusion_proof().leaf_index() <=
              certificate_proven[i - 1].inclusion_proof().leaf_index()) {
            status = absl::FailedPreconditionError(
                "out of log order (leaf indexes must strictly increase)");
          } else {
            status = chain->Apply(certificate[i], certificate_hashes[i]);
          }
          if (!status.ok()) {
            chain_outcome = Failed(
                absl::StrCat(label().en, " does not continue the chain: ",
                             status.message()),
                absl::StrCat(label().zh,
                             "无法接续证书事件链（缺失、重放或顺序错误）：",
                             status.message()));
            chain.reset();
            break;
          }
        }
        if (chain.has_value()) {
          chain_outcome = Passed(
              absl::StrCat(
                  "the chain of ", certificate_proven.size(),
                  " event(s) is complete and in order, issued ",
                  FormatDate(
                      certificate.front().issue().certificate().issue_date())),
              absl::StrCat("证书事件链完整且顺序正确（共 ",
                           certificate_proven.size(), " 条）"));
        }
      }
    }
  }
  Add(response, "event_chain", std::move(chain_outcome));

  // 6. completeness: the log key's signed head says how many statements the
  // chain and the body's authority record have; a bundle with fewer (the
  // latest events dropped on the way) is refused.
  Add(response, "completeness",
      CheckCompleteness(bundle, log_key ? &*log_key : nullptr, checkpoint,
                        chain.has_value()));

  // 6b. scheme_rules: the rules the status is computed under.
  v1::SchemeRules rules;
  Add(response, "scheme_rules",
      CheckSchemeRules(bundle, log_key ? &*log_key : nullptr,
                       operator_key ? &*operator_key : nullptr, checkpoint,
                       rules));

  bool authentic = checkpoint.has_value();
  for (const v1::Check& check : response.checks()) {
    if (check.outcome() != kPassed) authentic = false;
  }
  if (!authentic || !chain.has_value()) {
    for (absl::string_view name : kLaterChecks) {
      Add(response, name,
          Skipped("not evaluated: the bundle is not authentic",
                  "验证包未通过真实性验证，未检查"));
    }
    response.set_verdict(v1::VERDICT_FAIL);
    return response;
  }

  // 7. status
  const absl::CivilDay as_of =
      IsSet(claim.as_of()) ? ToCivilDay(claim.as_of()) : TodayInChina(now);
  const std::string when = FormatDate(ToProtoDate(as_of));
  Outcome status_outcome;
  {
    v1::EffectiveStatus status = chain->StatusAsOf(as_of, rules);
    std::vector<std::string> en;
    std::vector<std::string> zh;
    for (const v1::StatusReason& reason : status.reasons()) {
      en.push_back(reason.text_en());
      zh.push_back(reason.text_zh());
    }
    const std::string summary_en = absl::StrCat(
        "the certificate is ", CertificateStatusNameEn(status.status()), " on ",
        when, ": ", absl::StrJoin(en, "; "));
    const std::string summary_zh = absl::StrCat(
        "证书在 ", when, " 的状态为", CertificateStatusNameZh(status.status()),
        "：", absl::StrJoin(zh, "；"));
    status_outcome = status.status() == v1::CERTIFICATE_STATUS_VALID
                         ? Passed(summary_en, summary_zh)
                         : Failed(summary_en, summary_zh);
    *response.mutable_status() = std::move(status);
  }
  Add(response, "status", status_outcome);

  // 7. Claims, against the certificate as it stood on the date: the chain's
  // prefix of events dated on or before it (dates never go backwards). When
  // no event is later than the date (a claim as of today, mostly), that is
  // the whole chain, which is not needed after this.
  if (ToCivilDay(certificate.back().date()) <= as_of) {
    *response.mutable_certificate() = std::move(*chain).TakeCertificate();
  } else {
    absl::StatusOr<CertificateChain> as_of_chain =
        CertificateChain::Start(certificate.front(), certificate_hashes[0]);
    for (int i = 1; as_of_chain.ok() && i < certificate_proven.size(); ++i) {
      if (ToCivilDay(certificate[i].date()) > as_of) break;
      absl::Status applied =
          as_of_chain->Apply(certificate[i], certificate_hashes[i]);
      if (!applied.ok()) as_of_chain = applied;  // cannot happen: replayed
    }
    *response.mutable_certificate() =
        as_of_chain.ok() ? std::move(*as_of_chain).TakeCertificate()
                         : chain->certificate();
  }
  AddClaimChecks(claim, response.certificate(), response);

  // 8. freshness
  const absl::Time signed_at =
      absl::FromUnixMillis(checkpoint->timestamp_unix_millis());
  const absl::Duration age = now - signed_at;
  const Label limit = DurationText(policy.max_checkpoint_age);
  Outcome freshness;
  if (age > policy.max_checkpoint_age) {
    const Label old = DurationText(age);
    freshness = Failed(
        absl::StrCat("the checkpoint is ", old.en, " old, older than the ",
                     limit.en, " allowed; later events may be missing"),
        absl::StrCat("检查点已生成", old.zh, "，超过允许的", limit.zh,
                     "，之后的证书变化可能未包含在内"));
  } else if (-age > kMaxCheckpointClockSkew) {
    const Label ahead = DurationText(-age);
    freshness = Failed(
        absl::StrCat("the checkpoint is dated ", ahead.en,
                     " in the future; check the clocks"),
        absl::StrCat("检查点的时间比当前时间晚", ahead.zh, "，请检查时钟"));
  } else {
    const Label old =
        DurationText(age < absl::ZeroDuration() ? absl::ZeroDuration() : age);
    freshness = Passed(
        absl::StrCat("the checkpoint is ", old.en, " old (at most ", limit.en,
                     " allowed)"),
        absl::StrCat("检查点生成于", old.zh, "前（上限", limit.zh, "）"));
  }
  Add(response, "freshness", std::move(freshness));

  // Verdict.
  bool failed = false;
  bool undecided = false;
  for (const v1::Check& check : response.checks()) {
    if (check.outcome() == kFailed) {
      (check.name() == "freshness" ? undecided : failed) = true;
    }
  }
  if (status_outcome.outcome != kPassed) undecided = true;
  response.set_verdict(failed      ? v1::VERDICT_FAIL
                       : undecided ? v1::VERDICT_UNKNOWN
                                   : v1::VERDICT_PASS);
  return response;
}

}  // namespace certreg
