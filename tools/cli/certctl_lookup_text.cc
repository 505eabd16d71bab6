#include "tools/cli/certctl_lookup_text.h"

#include <algorithm>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli/certctl_text.h"
#include "tools/common/text_table.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"

namespace certreg {
namespace {

// "有效 valid (as of 2026-03-01, rules v2)" and a row per reason.
void AddStatusRows(const v1::EffectiveStatus& status, TextTable& details) {
  details.AddRow(
      {"证书状态 status",
       absl::StrCat(StatusName(status.status()), " (as of ",
                    FormatDate(status.as_of()),
                    status.rules_version() > 0
                        ? absl::StrCat(", rules v", status.rules_version())
                        : "",
                    ")")});
  for (const v1::StatusReason& reason : status.reasons()) {
    details.AddRow({"  原因 reason",
                    absl::StrCat(reason.text_zh(), " / ", reason.text_en())});
  }
}

void AddHolderRows(const v1::Holder& holder, TextTable& details) {
  details.AddRow({"获证组织 holder", holder.name()});
  details.AddRow(
      {"统一社会信用代码 credit code", holder.unified_social_credit_code()});
  details.AddRow({"注册地址 address", holder.address()});
  for (const v1::Site& site : holder.sites()) {
    details.AddRow(
        {"  场所 site", absl::StrCat(site.name(), " ", site.address())});
  }
}

// Type, item, basis, scope and (GB/T 27922) the star level.
void AddCertificationRows(const v1::Certificate& c, TextTable& details) {
  details.AddRow({"认证类型 type", CertificationTypeName(c.type())});
  details.AddRow(
      {"认证项目 item", absl::StrCat(c.item().code(), " ", c.item().name())});
  details.AddRow({"认证依据 basis", absl::StrJoin(c.basis(), "; ")});
  details.AddRow({"认证范围 scope", c.scope()});
  if (c.has_service_grade()) {
    const v1::ServiceGrade& grade = c.service_grade();
    details.AddRow(
        {"星级 star level",
         absl::StrCat(StarLevelNameZh(grade.star_level()), " ",
                      StarLevelNameEn(grade.star_level()), " (", grade.score(),
                      " points, ",
                      SpecialDeductionsText(grade.special_deductions()), ")")});
  }
}

// Dates, recertifications, surveillance audits and the body.
void AddValidityRows(const v1::GetCertificateResponse& response,
                     TextTable& details) {
  const v1::Certificate& c = response.certificate();
  details.AddRow(
      {"初次获证日期 first issued", FormatDate(c.first_issue_date())});
  details.AddRow({"颁证日期 issued", FormatDate(c.issue_date())});
  details.AddRow({"证书到期日期 expires", FormatDate(c.expiry_date())});
  details.AddRow(
      {"再认证次数 recertifications", absl::StrCat(c.recertification_count())});
  details.AddRow({"最近监督日期 last surveillance",
                  FormatDate(response.last_surveillance_date())});
  details.AddRow({"监督次数 surveillance audits",
                  absl::StrCat(response.surveillance_count())});
  details.AddRow(
      {"认证机构 body",
       absl::StrCat(c.body_name(), " (", c.body_approval_number(), ")")});
}

}  // namespace

std::string CertificationTypeName(v1::CertificationType type) {
  switch (type) {
    case v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM:
      return "管理体系 management system";
    case v1::CERTIFICATION_TYPE_SERVICE:
      return "服务 service";
    case v1::CERTIFICATION_TYPE_PRODUCT:
      return "产品 product";
    default:
      return "-";
  }
}

std::string CertificateText(const v1::GetCertificateResponse& response) {
  TextTable details({"字段 field", "内容 value"});
  details.AddRow({"证书编号 number", response.certificate().number()});
  AddStatusRows(response.status(), details);
  AddHolderRows(response.certificate().holder(), details);
  AddCertificationRows(response.certificate(), details);
  AddValidityRows(response, details);
  TextTable history({"日期 date", "活动 activity", "日志位置 log index"});
  for (const v1::HistoryEntry& entry : response.history()) {
    history.AddRow({FormatDate(entry.date()), entry.details(),
                    absl::StrCat(entry.leaf_index())});
  }
  std::ostringstream out;
  details.Print(out);
  out << "\n证书变化历史轨迹 history\n";
  history.Print(out);
  if (response.later_event_count() > 0) {
    // The page shows the certificate as it stood on as_of.
    out << "as of " << FormatDate(response.status().as_of()) << ": "
        << Counted(response.later_event_count(), "later event")
        << " not shown\n";
  }
  return out.str();
}

std::string LookupErrorText(absl::string_view number,
                            const absl::Status& status) {
  return absl::StrCat("certctl: ",
                      absl::StrContains(status.message(), number)
                          ? ""
                          : absl::StrCat(number, ": "),
                      status.message(), "\n");
}

std::string SearchResultsText(const v1::SearchCertificatesResponse& response) {
  if (response.certificates().empty()) return "no certificates found\n";
  TextTable table({"证书编号 number", "获证组织 holder", "状态 status",
                   "到期 expires", "认证机构 body"});
  for (const v1::CertificateSummary& c : response.certificates()) {
    table.AddRow({c.number(), c.holder_name(), StatusName(c.status().status()),
                  FormatDate(c.expiry_date()), c.body_approval_number()});
  }
  std::ostringstream out;
  table.Print(out);
  if (!response.next_page_token().empty()) {
    out << "\nmore: --page_token=" << response.next_page_token() << "\n";
  }
  return out.str();
}

std::string BodiesText(const v1::ListBodiesResponse& response) {
  TextTable table(
      {"批准号 approval", "名称 name", "认可期 accredited", "密钥 keys"});
  for (const v1::CertificationBody& body : response.bodies()) {
    int active = 0;
    for (const v1::BodyKey& key : body.keys()) {
      active += key.state() == v1::KEY_STATE_ACTIVE;
    }
    // The latest window; earlier ones still authorise what was signed then.
    const int earlier = std::max(0, body.accreditation_history_size() - 1);
    table.AddRow(
        {body.approval_number(), body.name(),
         absl::StrCat(
             FormatDate(body.accredited_from()), " to ",
             FormatDate(body.accredited_until()),
             body.accredited() ? "" : " (not now)",
             earlier > 0 ? absl::StrCat(" + ", earlier, " earlier") : ""),
         absl::StrCat(active, " active, ", body.keys_size() - active,
                      " retired")});
  }
  std::ostringstream out;
  table.Print(out);
  return out.str();
}

}  // namespace certreg
