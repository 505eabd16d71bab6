#include "verifier/web/page_text.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

struct LabelText {
  const char* key;
  const char* zh;
  const char* en;
};

constexpr LabelText kLabels[] = {
    {"SITE", "认证证书查询", "Certificate lookup"},
    {"SKIP", "跳到正文", "Skip to content"},
    {"NAV", "导航", "Navigation"},
    {"FOOTER", "页面所示证书信息均已按注册库公布的签名与检查点核验。",
     "Every certificate shown here was verified against the registry's "
     "signatures and published checkpoint."},
    {"SEARCH_TITLE", "认证证书查询", "Look up a certificate"},
    {"QUERY_LABEL", "证书编号、组织名称或统一社会信用代码",
     "Certificate number, organisation name or credit code"},
    {"QUERY_HINT", "例如 90126Q21540R2M 或 海尔",
     "e.g. 90126Q21540R2M or Haier"},
    {"SEARCH", "查询", "Search"},
    {"FILTERS", "筛选条件", "Filters"},
    {"TYPE", "认证类型", "Certification type"},
    {"STATUS", "证书状态", "Status"},
    {"ITEM", "认证项目", "Certification item"},
    {"BODY_NUMBER", "机构批准号", "Body approval number"},
    {"AS_OF", "状态日期", "Status as of"},
    {"EXPIRY", "到期", "expires"},
    {"NEXT", "下一页", "Next page"},
    {"INTRO",
     "输入证书编号可直接打开证书；输入组织名称的任意部分或统一社会信用代码可查"
     "询该组织的全部证书。",
     "A certificate number opens the certificate; any part of an "
     "organisation's name, or its credit code, lists its certificates."},
    {"CERTIFICATE", "证书", "Certificate"},
    {"STATUS_AS_OF", "状态日期：", "as of"},
    {"AS_OF_PICK", "查看某日的证书状态（如投标截止日）",
     "Status on a date (e.g. a bid deadline)"},
    {"SHOW", "查看", "Show"},
    {"CERTIFICATE_SECTION", "证书信息", "Certificate"},
    {"NUMBER", "证书编号", "Certificate number"},
    {"ISSUE_DATE", "颁证日期", "Issue date"},
    {"EXPIRY_DATE", "证书到期日期", "Expiry date"},
    {"FIRST_ISSUE_DATE", "初次获证日期", "First issued"},
    {"BASIS", "认证依据", "Standard"},
    {"STAR", "星级", "Star level"},
    {"SCORE", "评分", "score"},
    {"SURVEILLANCE_COUNT", "监督次数", "Surveillance audits"},
    {"LAST_SURVEILLANCE", "最近监督日期", "Last surveillance audit"},
    {"RECERTIFICATIONS", "再认证次数", "Recertifications"},
    {"SCOPE", "业务范围", "Scope"},
    {"ORGANISATION", "获证组织", "Organisation"},
    {"HOLDER", "组织名称", "Organisation name"},
    {"CREDIT_CODE", "统一社会信用代码", "Unified social credit code"},
    {"ADDRESS", "注册地址", "Registered address"},
    {"SITE_ROW", "多场所", "Site"},
    {"BODY", "认证机构", "Certification body"},
    {"BODY_NAME", "机构名称", "Name"},
    {"HISTORY", "证书变化历史轨迹", "Change history"},
    {"DATE", "日期", "Date"},
    {"ACTIVITY", "变化", "Change"},
    {"DETAILS", "说明", "Details"},
    {"LEAF", "日志序号", "Log index"},
    {"BUNDLE", "下载核验材料", "Download the verification bundle"},
    {"CANONICAL", "本页地址：", "This page:"},
    {"QR_ALT", "本证书页面的二维码", "QR code of this certificate's page"},
    {"VERIFY_NAV", "投标核验", "Verify a bidder"},
    {"VERIFY_TITLE", "核验投标人的证书", "Verify a bidder's certificate"},
    {"VERIFY_INTRO", "填写投标文件中的证书信息，逐项核对其在指定日期是否属实。",
     "Enter what the bid claims; each claim is checked as of the date."},
    {"SCOPE_TERMS", "业务范围须包含（多个用逗号分隔）",
     "Scope must contain (comma-separated)"},
    {"MIN_STAR", "最低星级（GB/T 27922）", "Minimum star level (GB/T 27922)"},
    {"AS_OF_DEADLINE", "核验日期（投标截止日）", "Date (bid deadline)"},
    {"VERIFY", "核验", "Verify"},
    {"CHECK", "检查项", "Check"},
    {"RESULT", "结果", "Result"},
    {"OPEN_CERTIFICATE", "查看证书", "Open the certificate"},
    {"ACCREDITED", "当前是否获准", "Accredited today"},
    {"WINDOWS", "批准有效期", "Accreditation windows"},
    {"FROM", "起", "From"},
    {"UNTIL", "止", "Until"},
    {"KEYS", "签名密钥", "Signing keys"},
    {"KEY_ID", "密钥标识", "Key id"},
    {"REGISTERED", "登记日期", "Registered"},
    {"RETIRED", "停用日期", "Retired"},
    {"BODY_CERTIFICATES", "该机构颁发的证书",
     "Certificates issued by this body"},
    {"YES", "是", "yes"},
    {"NO", "否", "no"},
    {"ANY", "全部", "any"},
    {"NOT_FOUND", "未找到", "Not found"},
    {"BAD_REQUEST", "请求有误", "Bad request"},
    {"UNAVAILABLE", "暂时无法核验", "Cannot verify now"},
    {"TOO_MANY", "请求过于频繁", "Too many requests"},
    {"FORGED", "核验未通过", "Verification failed"},
};

// Quality of `language` (a primary tag, "zh" or "en") in an
// Accept-Language value; -1 when not listed.
double QualityOf(absl::string_view accept_language,
                 absl::string_view language) {
  double best = -1;
  for (absl::string_view item : absl::StrSplit(accept_language, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string tag =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    if (tag != language &&
        !absl::StartsWith(tag, absl::StrCat(language, "-"))) {
      continue;
    }
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view parameter = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&parameter, "q=") &&
          !absl::SimpleAtod(parameter, &q)) {
        q = 0;
      }
    }
    best = std::max(best, q);
  }
  return best;
}

}  // namespace

Lang NegotiateLanguage(absl::string_view lang_param, absl::string_view cookie,
                       absl::string_view accept_language) {
  for (absl::string_view chosen : {lang_param, cookie}) {
    if (chosen == "en") return Lang::kEn;
    if (chosen == "zh") return Lang::kZh;
  }
  const double zh = QualityOf(accept_language, "zh");
  const double en = QualityOf(accept_language, "en");
  return en > 0 && en > zh ? Lang::kEn : Lang::kZh;
}

absl::string_view LangCode(Lang lang) {
  return lang == Lang::kEn ? "en" : "zh-CN";
}
absl::string_view LangParam(Lang lang) {
  return lang == Lang::kEn ? "en" : "zh";
}

void AddLabels(Lang lang, ctemplate::TemplateDictionary* dict) {
  for (const LabelText& label : kLabels) {
    dict->SetValue(absl::StrCat("T_", label.key),
                   lang == Lang::kEn ? label.en : label.zh);
  }
}

absl::string_view Label(Lang lang, absl::string_view key) {
  for (const LabelText& label : kLabels) {
    if (key == label.key) return lang == Lang::kEn ? label.en : label.zh;
  }
  return key;
}

absl::string_view TypeName(Lang lang, v1::CertificationType type) {
  const bool en = lang == Lang::kEn;
  switch (type) {
    case v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM:
      return en ? "Management system" : "管理体系认证";
    case v1::CERTIFICATION_TYPE_SERVICE:
      return en ? "Service" : "服务认证";
    case v1::CERTIFICATION_TYPE_PRODUCT:
      return en ? "Product" : "产品认证";
    default:
      return en ? "any" : "全部";
  }
}

absl::string_view KindName(Lang lang, v1::StatementKind kind) {
  const bool en = lang == Lang::kEn;
  switch (kind) {
    case v1::STATEMENT_KIND_ISSUE:
      return en ? "Issued" : "颁证";
    case v1::STATEMENT_KIND_SURVEILLANCE:
      return en ? "Surveillance audit" : "监督审核";
    case v1::STATEMENT_KIND_SUSPEND:
      return en ? "Suspended" : "暂停";
    case v1::STATEMENT_KIND_REINSTATE:
      return en ? "Reinstated" : "恢复";
    case v1::STATEMENT_KIND_REVOKE:
      return en ? "Revoked" : "撤销";
    case v1::STATEMENT_KIND_WITHDRAW:
      return en ? "Withdrawn" : "注销";
    case v1::STATEMENT_KIND_RENEW:
      return en ? "Renewed" : "再认证换证";
    case v1::STATEMENT_KIND_CHANGE_SCOPE:
      return en ? "Scope changed" : "范围变更";
    case v1::STATEMENT_KIND_CHANGE_HOLDER:
      return en ? "Organisation changed" : "组织信息变更";
    default:
      return en ? "Other" : "其他";
  }
}

absl::string_view VerdictName(Lang lang, v1::Verdict verdict) {
  const bool en = lang == Lang::kEn;
  switch (verdict) {
    case v1::VERDICT_PASS:
      return en ? "PASS: every claim holds on the date"
                : "通过：所填信息在该日期均属实";
    case v1::VERDICT_FAIL:
      return en ? "FAIL: the certificate does not support the claim"
                : "不通过：证书不支持所填信息";
    default:
      return en ? "UNKNOWN: could not be decided now" : "无法判定：请稍后再试";
  }
}

absl::string_view OutcomeName(Lang lang, v1::CheckOutcome outcome) {
  const bool en = lang == Lang::kEn;
  switch (outcome) {
    case v1::CHECK_OUTCOME_PASSED:
      return en ? "passed" : "通过";
    case v1::CHECK_OUTCOME_FAILED:
      return en ? "FAILED" : "未通过";
    default:
      return en ? "skipped" : "未检查";
  }
}

absl::string_view StatusName(Lang lang, v1::CertificateStatus status) {
  if (status == v1::CERTIFICATE_STATUS_UNSPECIFIED) return Label(lang, "ANY");
  return lang == Lang::kEn ? CertificateStatusNameEn(status)
                           : CertificateStatusNameZh(status);
}

std::string StatusClass(v1::CertificateStatus status) {
  return absl::StrReplaceAll(CertificateStatusNameEn(status), {{" ", "_"}});
}

}  // namespace certreg
