#include "verifier/bundle/check_texts.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace texts {
namespace {

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", text, "\"");
}
std::string QuoteZh(absl::string_view text) {
  return absl::StrCat("“", text, "”");
}

absl::string_view TypeNameEn(v1::CertificationType type) {
  switch (type) {
    case v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM:
      return "management system certification";
    case v1::CERTIFICATION_TYPE_SERVICE:
      return "service certification";
    case v1::CERTIFICATION_TYPE_PRODUCT:
      return "product certification";
    default:
      return "unspecified certification type";
  }
}

absl::string_view TypeNameZh(v1::CertificationType type) {
  switch (type) {
    case v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM:
      return "管理体系认证";
    case v1::CERTIFICATION_TYPE_SERVICE:
      return "服务认证";
    case v1::CERTIFICATION_TYPE_PRODUCT:
      return "产品认证";
    default:
      return "未指定的认证类型";
  }
}

// "25 h 3 min" / "25小时3分钟" for a non-negative duration.
// A duration as a person reads it: seconds under two minutes ("45 s"),
// minutes under two hours ("17 min"), then hours and minutes ("24 h 0 min").
Text DurationText(absl::Duration d) {
  if (d == absl::InfiniteDuration()) return {"forever", "无限长"};
  const int64_t seconds = absl::ToInt64Seconds(d);
  if (seconds < 120) {
    return {absl::StrCat(seconds, " s"), absl::StrCat(seconds, "秒")};
  }
  const int64_t minutes = seconds / 60;
  if (minutes < 120) {
    return {absl::StrCat(minutes, " min"), absl::StrCat(minutes, "分钟")};
  }
  return {absl::StrCat(minutes / 60, " h ", minutes % 60, " min"),
          absl::StrCat(minutes / 60, "小时", minutes % 60, "分钟")};
}

}  // namespace

Text StatementLabel(bool authority, size_t position,
                    const v1::ProvenStatement& proven) {
  const uint64_t leaf = proven.inclusion_proof().leaf_index();
  return {absl::StrCat(authority ? "authority" : "certificate", " statement #",
                       position + 1, " (leaf ", leaf, ")"),
          absl::StrCat("第 ", position + 1, " 条",
                       authority ? "机构授权声明" : "证书声明", "（日志序号 ",
                       leaf, "）")};
}

// claim

Text ClaimNumberInvalid(absl::string_view why, bool missing) {
  return {std::string(why),
          missing ? "核查请求缺少证书编号" : "核查请求中的证书编号格式无效"};
}
Text ClaimDateInvalid(absl::string_view why) {
  return {std::string(why), "核查日期不是有效的日期"};
}
Text ClaimStarLevelUnknown(int value) {
  return {absl::StrCat("claim.min_star_level: unknown value ", value),
          "声明的最低星级无效"};
}
Text ClaimFieldBlank(absl::string_view field) {
  return {
      absl::StrCat(field, ": is blank; leave it out to claim nothing about it"),
      absl::StrCat("声明的", field, "为空白；不声明时请省略")};
}
Text ClaimTypeUnknown(int value) {
  return {absl::StrCat("claim.type: unknown value ", value),
          "声明的认证类型无效"};
}

// checkpoint_signature

Text NoLogKey() { return {"no log key is pinned", "未配置登记系统的日志公钥"}; }
Text CheckpointSigned(absl::string_view origin, uint64_t tree_size) {
  return {absl::StrCat("the checkpoint of \"", origin, "\" at tree size ",
                       tree_size, " is signed by the pinned log key"),
          absl::StrCat("检查点签名有效（日志大小 ", tree_size, "）")};
}
Text CheckpointNotSigned(absl::string_view why) {
  return {
      absl::StrCat("the checkpoint is not signed by the pinned log key: ", why),
      absl::StrCat("检查点签名无效，不是由登记系统的日志密钥签署：", why)};
}

// inclusion_proof

Text InclusionUnchecked() {
  return {"the checkpoint is not authentic",
          "检查点未通过验证，无法检查包含证明"};
}
Text NotInLog(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " is not proven to be in the log: ", why),
          absl::StrCat(statement.zh, "的包含证明无效，无法证明其已记入日志：",
                       why)};
}
Text AllInLog(int statements, uint64_t tree_size) {
  return {absl::StrCat("all ", statements,
                       " statements are in the log at tree size ", tree_size),
          absl::StrCat("全部 ", statements, " 条声明均已记入日志（日志大小 ",
                       tree_size, "）")};
}

// statement_signature

Text Unreadable(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " cannot be read: ", why),
          absl::StrCat(statement.zh, "无法解析：", why)};
}
Text NoOperatorKey() {
  return {"no operator key is pinned", "未配置登记系统的运营方公钥"};
}
Text NotSignedByOperator(const Text& statement, absl::string_view key_id,
                         absl::string_view operator_key_id) {
  return {
      absl::StrCat(statement.en, " is signed by key ", ToHex(key_id),
                   ", not by the pinned operator key ", ToHex(operator_key_id)),
      absl::StrCat(statement.zh, "不是由登记系统运营方的密钥签署")};
}
Text BadSignature(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " has a bad signature: ", why),
          absl::StrCat(statement.zh, "的签名无效")};
}
Text SignatureUncheckable(const Text& statement, const Text& why) {
  return {absl::StrCat("cannot check the signature of ", statement.en, ": ",
                       why.en),
          absl::StrCat("无法验证", statement.zh, "的签名：", why.zh)};
}
Text NotAKeyOfBody(const Text& statement, absl::string_view key_id,
                   absl::string_view body) {
  return {absl::StrCat(statement.en, " is signed by key ", ToHex(key_id),
                       ", which is not a key of ", body),
          absl::StrCat(statement.zh, "的签名密钥不属于认证机构 ", body)};
}
Text SignaturesVerified(int authority_statements, int certificate_statements,
                        absl::string_view body, int vouched) {
  return {
      absl::StrCat(
          authority_statements,
          " authority statement(s) signed by the operator key and ",
          certificate_statements,
          " certificate statement(s) signed by keys of ", body, " verified",
          vouched == 0 ? ""
                       : absl::StrCat(" (", vouched,
                                      " of them through the hash named by the "
                                      "next statement signed with the same "
                                      "key)")),
      absl::StrCat("全部声明签名有效（机构授权声明 ", authority_statements,
                   " 条，证书声明 ", certificate_statements, " 条",
                   vouched == 0 ? ""
                                : absl::StrCat("，其中 ", vouched,
                                               " 条由同一密钥签署的下一条声明以"
                                               "哈希值担保"),
                   "）")};
}

// signer_accredited

Text AuthorityNotAuthentic() {
  return {
      "the body's keys cannot be established: an authority statement is not "
      "authentic",
      "机构授权声明未通过验证，无法确定认证机构的密钥"};
}
Text BodyUnknown() {
  return {
      "the certificate's body is unknown: the bundle's first certificate "
      "statement is not an issue statement naming a body",
      "无法确定认证机构：验证包的第一条证书声明不是颁证声明"};
}
Text AuthorityOutOfOrder(const Text& statement) {
  return {absl::StrCat(statement.en,
                       " is out of log order (leaf indexes must strictly "
                       "increase)"),
          absl::StrCat(statement.zh, "未按日志顺序排列")};
}
Text NotAnAuthorityStatement(const Text& statement, absl::string_view kind) {
  return {absl::StrCat(statement.en, " is a ", kind,
                       " statement, not an authority statement"),
          absl::StrCat(statement.zh, "不是机构授权类声明")};
}
Text ConcernsAnotherBody(const Text& statement, absl::string_view subject,
                         absl::string_view body) {
  return {absl::StrCat(statement.en, " concerns ", subject,
                       ", not the certificate's body ", body),
          absl::StrCat(statement.zh, "涉及的机构（", subject,
                       "）不是该证书的认证机构（", body, "）")};
}
Text AuthorityNotApplicable(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " cannot be applied: ", why),
          absl::StrCat(statement.zh, "不符合机构授权规则：", why)};
}
Text NoAccreditation(absl::string_view body) {
  return {absl::StrCat("the bundle carries no accreditation of ", body),
          absl::StrCat("验证包中没有认证机构 ", body, " 的批准声明")};
}
Text SomeStatementUnreadable() {
  return {"a statement cannot be read (see statement_signature)",
          "有声明无法解析，未检查"};
}
Text SignerNotAccredited(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, ": ", why),
          absl::StrCat(statement.zh, "的签署者在声明日期未获认可：", why)};
}
Text SignersAccredited(absl::string_view body) {
  return {absl::StrCat("every certificate statement is signed by a key of ",
                       body, " accredited on its date"),
          absl::StrCat("每条证书声明的签名密钥在其日期均属于获批的认证机构 ",
                       body)};
}

// event_chain

Text NoCertificateStatements() {
  return {"the bundle has no certificate statements", "验证包中没有证书声明"};
}
Text ChainStartsWithoutIssue() {
  return {"the certificate's chain does not start with an issue statement",
          "证书事件链的第一条不是颁证声明"};
}
Text ChainOfAnotherCertificate(absl::string_view chain_number,
                               absl::string_view bundle_number,
                               absl::string_view claim_number) {
  return {absl::StrCat("the bundle's chain is for certificate \"", chain_number,
                       "\"; the bundle names \"", bundle_number,
                       "\" and the claim \"", claim_number, "\""),
          absl::StrCat("验证包中的证书编号（", chain_number,
                       "）与所核查的证书编号（", claim_number, "）不一致")};
}
Text InvalidIssue(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " is not a valid issue statement: ", why),
          absl::StrCat(statement.zh, "不是有效的颁证声明：", why)};
}
Text ChainBroken(const Text& statement, absl::string_view why) {
  return {absl::StrCat(statement.en, " does not continue the chain: ", why),
          absl::StrCat(statement.zh,
                       "无法接续证书事件链（缺失、重放或顺序错误）：", why)};
}
Text ChainComplete(int events, const v1::Date& issue_date) {
  return {absl::StrCat("the chain of ", events,
                       " event(s) is complete and in order, issued ",
                       FormatDate(issue_date)),
          absl::StrCat("证书事件链完整且顺序正确（共 ", events, " 条）")};
}

// completeness

Text CompletenessUnchecked() {
  return {"the checkpoint or the chain is not authentic",
          "检查点或证书事件链未通过验证，未检查完整性"};
}
Text NoCertificateHead() {
  return {
      "the bundle has no signed certificate head, so it cannot show that no "
      "later event was left out",
      "验证包缺少已签名的证书最新状态，无法证明没有遗漏后续事件"};
}
Text HeadNotSigned(absl::string_view why) {
  return {
      absl::StrCat("the certificate head is not signed by the pinned log key: ",
                   why),
      absl::StrCat("证书最新状态的签名无效：", why)};
}
Text StatementsMissing(absl::string_view why) {
  return {absl::StrCat("statements are missing from the bundle: ", why),
          absl::StrCat("验证包遗漏了声明（如最新的暂停或撤销）：", why)};
}
Text BundleComplete(int certificate_statements, int authority_statements,
                    uint64_t tree_size) {
  return {absl::StrCat("the bundle holds all ", certificate_statements,
                       " statement(s) of the certificate and all ",
                       authority_statements, " of its body at tree size ",
                       tree_size),
          absl::StrCat("验证包包含该证书的全部 ", certificate_statements,
                       " 条声明及其认证机构的全部 ", authority_statements,
                       " 条声明")};
}

// scheme_rules

Text RulesUncheckedWithoutHead() {
  return {"the checkpoint or the head is not authentic",
          "检查点或证书最新状态未通过验证，未检查认证规则"};
}
Text RulesUncheckedHeadNotAuthentic() {
  return {"the certificate head is not authentic",
          "证书最新状态未通过验证，未检查认证规则"};
}
Text UnnamedRulesStatement() {
  return {"the bundle carries a rules statement the signed head does not name",
          "验证包携带的认证规则声明与已签名的最新状态不符"};
}
Text BuiltInRules() {
  return {
      "no scheme rules were published at this checkpoint: the built-in "
      "version 1 rules apply",
      "该检查点尚未发布认证规则，适用内置第 1 版规则"};
}
Text NamedRulesMissing() {
  return {"the signed head names scheme rules the bundle does not carry",
          "验证包缺少已签名最新状态所指明的认证规则声明"};
}
Text RulesNotAuthentic(absl::string_view why) {
  return {absl::StrCat("the scheme rules statement is not authentic: ", why),
          absl::StrCat("认证规则声明未通过验证：", why)};
}
Text PublishedRules(uint32_t version) {
  return {absl::StrCat("the scheme rules version ", version,
                       " published by the operator apply"),
          absl::StrCat("适用登记系统运营方发布的第 ", version, " 版认证规则")};
}

Text NotEvaluated() {
  return {"not evaluated: the bundle is not authentic",
          "验证包未通过真实性验证，未检查"};
}

// status

Text StatusOn(const v1::EffectiveStatus& status, absl::CivilDay as_of) {
  const std::string when = FormatDate(ToProtoDate(as_of));
  std::vector<absl::string_view> en;
  std::vector<absl::string_view> zh;
  for (const v1::StatusReason& reason : status.reasons()) {
    en.push_back(reason.text_en());
    zh.push_back(reason.text_zh());
  }
  return {absl::StrCat("the certificate is ",
                       CertificateStatusNameEn(status.status()), " on ", when,
                       ": ", absl::StrJoin(en, "; ")),
          absl::StrCat("证书在 ", when, " 的状态为",
                       CertificateStatusNameZh(status.status()), "：",
                       absl::StrJoin(zh, "；"))};
}

// holder_name

Text NoHolderNameClaimed() {
  return {"no holder name claimed", "未声明持证组织名称，未检查"};
}
Text HolderNameMatches(absl::string_view name) {
  return {absl::StrCat("the holder's name matches ", Quote(name)),
          absl::StrCat("持证组织名称与证书一致：", QuoteZh(name))};
}
Text HolderNameDiffers(absl::string_view claimed, absl::string_view name) {
  return {absl::StrCat("the claimed holder name ", Quote(claimed),
                       " differs from the certificate's ", Quote(name)),
          absl::StrCat("持证组织名称与证书不符：声明为", QuoteZh(claimed),
                       "，证书为", QuoteZh(name))};
}

// holder_address

Text NoHolderAddressClaimed() {
  return {"no holder address claimed", "未声明持证组织地址，未检查"};
}
Text HolderAddressMatches(absl::string_view address) {
  return {absl::StrCat("the holder's address matches ", Quote(address)),
          absl::StrCat("持证组织地址与证书一致：", QuoteZh(address))};
}
Text HolderAddressDiffers(absl::string_view claimed,
                          absl::string_view address) {
  return {absl::StrCat("the claimed holder address ", Quote(claimed),
                       " differs from the certificate's ", Quote(address)),
          absl::StrCat("持证组织地址与证书不符：声明为", QuoteZh(claimed),
                       "，证书为", QuoteZh(address))};
}

// scope

Text NoScopeClaimed() {
  return {"no scope terms claimed", "未声明认证范围，未检查"};
}
Text ScopeContainsAll(absl::string_view scope) {
  return {absl::StrCat("the certified scope ", Quote(scope),
                       " contains every claimed term"),
          absl::StrCat("认证范围", QuoteZh(scope), "包含全部声明的内容")};
}
Text ScopeLacks(absl::string_view scope,
                const std::vector<std::string>& missing_terms) {
  std::vector<std::string> en;
  std::vector<std::string> zh;
  for (const std::string& term : missing_terms) {
    en.push_back(Quote(term));
    zh.push_back(QuoteZh(term));
  }
  return {absl::StrCat("the certified scope ", Quote(scope),
                       " does not contain ", absl::StrJoin(en, ", ")),
          absl::StrCat("认证范围", QuoteZh(scope), "不包含",
                       absl::StrJoin(zh, "、"))};
}

// basis

Text NoBasisClaimed() {
  return {"no certification basis claimed", "未声明认证依据，未检查"};
}
Text BasisIncludes(const google::protobuf::RepeatedPtrField<std::string>& basis,
                   absl::string_view claimed) {
  const std::string all = absl::StrJoin(basis, "; ");
  return {absl::StrCat("the certification basis (", all, ") includes ",
                       Quote(claimed)),
          absl::StrCat("认证依据（", all, "）包含", QuoteZh(claimed))};
}
Text BasisLacks(const google::protobuf::RepeatedPtrField<std::string>& basis,
                absl::string_view claimed) {
  const std::string all = absl::StrJoin(basis, "; ");
  return {absl::StrCat("the certification basis (", all, ") does not include ",
                       Quote(claimed)),
          absl::StrCat("认证依据（", all, "）不包含", QuoteZh(claimed))};
}

// star_level

Text NoStarLevelClaimed() {
  return {"no minimum star level claimed", "未声明最低星级，未检查"};
}
Text NoStarLevel(v1::StarLevel claimed) {
  return {absl::StrCat("the certificate has no GB/T 27922 star level; at "
                       "least ",
                       StarLevelNameEn(claimed), " was claimed"),
          absl::StrCat("证书没有售后服务评价星级，声明要求至少",
                       StarLevelNameZh(claimed))};
}
Text StarLevelAtLeast(v1::StarLevel level, v1::StarLevel claimed) {
  return {absl::StrCat("the certificate is ", StarLevelNameEn(level),
                       ", at least ", StarLevelNameEn(claimed), ", as claimed"),
          absl::StrCat("证书星级为", StarLevelNameZh(level), "，满足至少",
                       StarLevelNameZh(claimed), "的要求")};
}
Text StarLevelBelow(v1::StarLevel level, v1::StarLevel claimed) {
  return {absl::StrCat("the certificate is ", StarLevelNameEn(level),
                       ", below the claimed ", StarLevelNameEn(claimed)),
          absl::StrCat("证书星级为", StarLevelNameZh(level), "，低于声明要求的",
                       StarLevelNameZh(claimed))};
}

// type

Text NoTypeClaimed() {
  return {"no certification type claimed", "未声明认证类型，未检查"};
}
Text TypeMatches(v1::CertificationType type) {
  return {absl::StrCat("the certificate is a ", TypeNameEn(type)),
          absl::StrCat("认证类型为", TypeNameZh(type), "，与声明一致")};
}
Text TypeDiffers(v1::CertificationType type, v1::CertificationType claimed) {
  return {absl::StrCat("the certificate is a ", TypeNameEn(type), ", not a ",
                       TypeNameEn(claimed)),
          absl::StrCat("认证类型为", TypeNameZh(type), "，不是声明的",
                       TypeNameZh(claimed))};
}

// item_code

Text NoItemCodeClaimed() {
  return {"no item code claimed", "未声明认证项目代码，未检查"};
}
Text ItemWithin(absl::string_view code, absl::string_view name,
                absl::string_view claimed) {
  return {absl::StrCat("the certification item ", code, " (", name,
                       ") is within ", claimed),
          absl::StrCat("认证项目", code, "（", name, "）属于声明的", claimed)};
}
Text ItemNotWithin(absl::string_view code, absl::string_view name,
                   absl::string_view claimed) {
  return {absl::StrCat("the certification item ", code, " (", name,
                       ") is not within ", claimed),
          absl::StrCat("认证项目", code, "（", name, "）与声明的", claimed,
                       "不符")};
}

// freshness

Text CheckpointTooOld(absl::Duration age, absl::Duration limit) {
  const Text old = DurationText(age);
  const Text allowed = DurationText(limit);
  return {absl::StrCat("the checkpoint is ", old.en, " old, older than the ",
                       allowed.en, " allowed; later events may be missing"),
          absl::StrCat("检查点已生成", old.zh, "，超过允许的", allowed.zh,
                       "，之后的证书变化可能未包含在内")};
}
Text CheckpointFromTheFuture(absl::Duration ahead) {
  const Text by = DurationText(ahead);
  return {absl::StrCat("the checkpoint is dated ", by.en,
                       " in the future; check the clocks"),
          absl::StrCat("检查点的时间比当前时间晚", by.zh, "，请检查时钟")};
}
Text CheckpointFresh(absl::Duration age, absl::Duration limit) {
  const Text old = DurationText(age);
  const Text allowed = DurationText(limit);
  return {absl::StrCat("the checkpoint is ", old.en, " old (at most ",
                       allowed.en, " allowed)"),
          absl::StrCat("检查点生成于", old.zh, "前（上限", allowed.zh, "）")};
}

}  // namespace texts
}  // namespace certreg
