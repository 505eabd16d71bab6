// certctl: get, search, bodies, health.
#include <algorithm>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/cli/certctl_commands.h"
#include "tools/common/text_table.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_names.h"

ABSL_FLAG(std::string, type, "",
          "search/export: only this certification type: management_system, "
          "service or product.");
ABSL_FLAG(std::string, status, "",
          "search/export: only this status: 有效 (valid), 暂停 (suspended), "
          "撤销 (revoked), 注销 (withdrawn), 过期 (expired) or 未生效 (not yet "
          "valid), in Chinese or English.");
ABSL_FLAG(std::string, item, "",
          "search/export: only this item code (or prefix).");
ABSL_FLAG(std::string, body, "",
          "search/export: only this body approval number; issue: the body.");
ABSL_FLAG(int, page_size, 20, "search: results per page (1-100).");
ABSL_FLAG(std::string, page_token, "",
          "search: continue from a previous page's next-page token.");

namespace certreg {
namespace {

std::string TypeName(v1::CertificationType type) {
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

}  // namespace

namespace {

// The lookup page: details, status and history.
void PrintCertificate(const v1::GetCertificateResponse& response) {
  const v1::Certificate& c = response.certificate();
  TextTable details({"字段 field", "内容 value"});
  details.AddRow({"证书编号 number", c.number()});
  details.AddRow(
      {"证书状态 status",
       absl::StrCat(
           StatusName(response.status().status()), " (as of ",
           FormatDate(response.status().as_of()),
           response.status().rules_version() > 0
               ? absl::StrCat(", rules v", response.status().rules_version())
               : "",
           ")")});
  for (const v1::StatusReason& reason : response.status().reasons()) {
    details.AddRow({"  原因 reason",
                    absl::StrCat(reason.text_zh(), " / ", reason.text_en())});
  }
  details.AddRow({"获证组织 holder", c.holder().name()});
  details.AddRow({"统一社会信用代码 credit code",
                  c.holder().unified_social_credit_code()});
  details.AddRow({"注册地址 address", c.holder().address()});
  for (const v1::Site& site : c.holder().sites()) {
    details.AddRow(
        {"  场所 site", absl::StrCat(site.name(), " ", site.address())});
  }
  details.AddRow({"认证类型 type", TypeName(c.type())});
  details.AddRow(
      {"认证项目 item", absl::StrCat(c.item().code(), " ", c.item().name())});
  details.AddRow({"认证依据 basis", absl::StrJoin(c.basis(), "; ")});
  details.AddRow({"认证范围 scope", c.scope()});
  if (c.has_service_grade()) {
    details.AddRow(
        {"星级 star level",
         absl::StrCat(
             StarLevelNameZh(c.service_grade().star_level()), " ",
             StarLevelNameEn(c.service_grade().star_level()), " (",
             c.service_grade().score(), " points, ",
             SpecialDeductionsText(c.service_grade().special_deductions()),
             ")")});
  }
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
  details.Print(std::cout);
  std::cout << "\n证书变化历史轨迹 history\n";
  TextTable history({"日期 date", "活动 activity", "日志位置 log index"});
  for (const v1::HistoryEntry& entry : response.history()) {
    history.AddRow({FormatDate(entry.date()), entry.details(),
                    absl::StrCat(entry.leaf_index())});
  }
  history.Print(std::cout);
  if (response.later_event_count() > 0) {
    // The page shows the certificate as it stood on as_of.
    std::cout << "as of " << FormatDate(response.status().as_of()) << ": "
              << Counted(response.later_event_count(), "later event")
              << " not shown\n";
  }
}

}  // namespace

int GetCommand(const Args& args) {
  if (args.empty()) {
    return Usage("get", "give a certificate number (or several)");
  }
  v1::GetCertificateRequest request;
  // The table shows no signatures; --json prints everything.
  request.set_view(absl::GetFlag(FLAGS_json) ? v1::CERTIFICATE_VIEW_FULL
                                             : v1::CERTIFICATE_VIEW_BASIC);
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  if (!as_of.ok()) return Usage("get", std::string(as_of.status().message()));
  if (*as_of) *request.mutable_as_of() = **as_of;
  std::vector<v1::GetCertificateRequest> requests;
  for (const std::string& number : args) {
    requests.push_back(request);
    requests.back().set_number(number);
  }
  std::vector<absl::StatusOr<v1::GetCertificateResponse>> responses;
  if (requests.size() == 1) {
    responses.push_back(Client()->GetCertificate(requests[0]));
    if (!responses[0].ok()) return Fail(responses[0].status());
  } else {
    // Several numbers: one LookupCertificates stream for all of them.
    auto looked_up = Client()->LookupCertificates(requests);
    if (!looked_up.ok()) return Fail(looked_up.status());
    responses = *std::move(looked_up);
  }
  // Each certificate found is printed, in the order asked; each number that
  // is not is named on standard error, and sets the exit code.
  int exit_code = kExitOk;
  bool first = true;
  for (size_t i = 0; i < responses.size(); ++i) {
    if (!responses[i].ok()) {
      const absl::Status& status = responses[i].status();
      std::cerr << "certctl: "
                << (absl::StrContains(status.message(), args[i])
                        ? ""
                        : absl::StrCat(args[i], ": "))
                << status.message() << "\n";
      exit_code = std::max(exit_code, ExitCode(status));
      continue;
    }
    if (!first) std::cout << "\n";
    first = false;
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(*responses[i]);
    } else {
      PrintCertificate(*responses[i]);
    }
  }
  return exit_code;
}

// Builds a search request from QUERY and the filter flags.
absl::StatusOr<v1::SearchCertificatesRequest> SearchRequestFromFlags(
    const Args& args) {
  v1::SearchCertificatesRequest request;
  if (args.size() > 1) {
    return absl::InvalidArgumentError(
        "give at most one query (quote names with spaces)");
  }
  if (!args.empty()) request.set_query(args[0]);
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  if (!as_of.ok()) return as_of.status();
  if (*as_of) *request.mutable_as_of() = **as_of;
  std::string type = absl::GetFlag(FLAGS_type);
  if (!type.empty()) {
    v1::CertificationType parsed;
    if (!v1::CertificationType_Parse(
            absl::StrCat("CERTIFICATION_TYPE_", absl::AsciiStrToUpper(type)),
            &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--type: unknown type \"", type,
                       "\" (management_system, service or product)"));
    }
    request.set_type(parsed);
  }
  std::string status = absl::GetFlag(FLAGS_status);
  if (!status.empty()) {
    absl::StatusOr<v1::CertificateStatus> parsed =
        ParseCertificateStatus(status);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--status: ", parsed.status().message()));
    }
    request.set_status(*parsed);
  }
  request.set_item_code(absl::GetFlag(FLAGS_item));
  request.set_body_approval_number(absl::GetFlag(FLAGS_body));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  return request;
}

int SearchCommand(const Args& args) {
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequestFromFlags(args);
  if (!request.ok()) {
    return Usage("search", std::string(request.status().message()));
  }
  absl::StatusOr<v1::SearchCertificatesResponse> response =
      Client()->SearchCertificates(*request);
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  if (response->certificates().empty()) {
    std::cout << "no certificates found\n";
    return kExitCheckFailed;
  }
  TextTable table({"证书编号 number", "获证组织 holder", "状态 status",
                   "到期 expires", "认证机构 body"});
  for (const v1::CertificateSummary& c : response->certificates()) {
    table.AddRow({c.number(), c.holder_name(), StatusName(c.status().status()),
                  FormatDate(c.expiry_date()), c.body_approval_number()});
  }
  table.Print(std::cout);
  if (!response->next_page_token().empty()) {
    std::cout << "\nmore: --page_token=" << response->next_page_token() << "\n";
  }
  return kExitOk;
}

int BodiesCommand(const Args& args) {
  if (!args.empty()) return Usage("bodies", "takes no arguments");
  absl::StatusOr<v1::ListBodiesResponse> response =
      Client()->ListBodies(v1::ListBodiesRequest());
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return kExitOk;
  }
  TextTable table(
      {"批准号 approval", "名称 name", "认可期 accredited", "密钥 keys"});
  for (const v1::CertificationBody& body : response->bodies()) {
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
  table.Print(std::cout);
  return kExitOk;
}

int HealthCommand(const Args& args) {
  if (!args.empty()) return Usage("health", "takes no arguments");
  std::string address = absl::GetFlag(FLAGS_registry);
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status =
      stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  if (!status.ok()) {
    std::cerr << "certctl: registry at " << address
              << " is unreachable: " << status.error_message() << "\n";
    return kExitUsage;
  }
  std::cout << address << ": "
            << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                   response.status())
            << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? kExitOk
             : kExitCheckFailed;
}

}  // namespace certreg
