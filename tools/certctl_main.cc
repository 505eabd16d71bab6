// certctl: the command line for certreg's users.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/demo_data.h"
#include "tools/registry_client.h"
#include "tools/text_table.h"
#include "verifier/date.h"
#include "verifier/key_files.h"
#include "verifier/service_grade.h"
#include "verifier/status_engine.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address (host:port) of the certreg registry.");
ABSL_FLAG(int, timeout_seconds, 10, "Deadline for each call to the registry.");
ABSL_FLAG(bool, json, false, "Print results as JSON (the API's JSON form).");
ABSL_FLAG(std::string, as_of, "",
          "Date (YYYY-MM-DD) to compute status for; default today in China "
          "Standard Time.");
ABSL_FLAG(std::string, type, "",
          "search: only this certification type: management_system, service "
          "or product.");
ABSL_FLAG(std::string, status, "",
          "search: only this status: valid, suspended, revoked, withdrawn, "
          "expired or not_yet_valid.");
ABSL_FLAG(std::string, item, "", "search: only this item code (or prefix).");
ABSL_FLAG(std::string, body, "",
          "search: only certificates of this body approval number.");
ABSL_FLAG(int, page_size, 20, "search: results per page (1-100).");
ABSL_FLAG(std::string, page_token, "",
          "search: continue from a previous page's next-page token.");
ABSL_FLAG(std::string, keys_dir, "",
          "demo-seed: where the demo bodies' keys are kept (default "
          "CONFIG/demo, CONFIG = ~/.config/certreg).");
ABSL_FLAG(
    std::string, operator_key, "",
    "demo-seed: the operator's private key (default CONFIG/operator.key).");

namespace certreg {
namespace {

constexpr char kUsage[] =
    "certctl: the command line for certreg.\n\n"
    "Usage: certctl [flags] COMMAND [ARGS]\n\n"
    "Commands:\n"
    "  get NUMBER        a certificate: details, history, status "
    "(--as_of=DATE)\n"
    "  search QUERY      certificates by organisation name (any part of it) "
    "or\n"
    "                    credit code; --type --status --item --body filter,\n"
    "                    --page_size/--page_token page\n"
    "  bodies            the accredited certification bodies and their keys\n"
    "  health            check that the registry answers\n"
    "  demo-seed         load the demo bodies and certificates (skipped when\n"
    "                    already there)\n\n"
    "Examples:\n"
    "  certctl get 00226Q21540R2M\n"
    "  certctl get 00219Q30555R1L --as_of=2026-09-01\n"
    "  certctl search 海岳\n"
    "  certctl search 有限公司 --status=suspended --json\n\n"
    "Exit codes: 0 success, 1 not found or check failed, 2 usage or "
    "connection error.";

int Fail(const absl::Status& status) {
  std::cerr << "certctl: " << status.message() << "\n";
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      return 1;
    default:
      return 2;
  }
}

int Usage(const std::string& problem) {
  std::cerr << "certctl: " << problem << "\n\n" << kUsage << "\n";
  return 2;
}

RegistryClient Client() {
  return RegistryClient(
      absl::GetFlag(FLAGS_registry),
      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
}

std::string StatusText(const v1::EffectiveStatus& status) {
  return absl::StrCat(CertificateStatusNameZh(status.status()), " ",
                      CertificateStatusNameEn(status.status()));
}

absl::Status ParseAsOf(v1::Date* out, bool* set) {
  std::string text = absl::GetFlag(FLAGS_as_of);
  *set = !text.empty();
  if (!*set) return absl::OkStatus();
  absl::StatusOr<v1::Date> date = ParseDate(text, "--as_of");
  if (!date.ok()) return date.status();
  *out = *date;
  return absl::OkStatus();
}

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

int Get(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage("get takes one certificate number");
  v1::GetCertificateRequest request;
  request.set_number(args[0]);
  bool has_as_of = false;
  if (absl::Status s = ParseAsOf(request.mutable_as_of(), &has_as_of);
      !s.ok()) {
    return Usage(std::string(s.message()));
  }
  if (!has_as_of) request.clear_as_of();
  RegistryClient client = Client();
  absl::StatusOr<v1::GetCertificateResponse> response =
      client.GetCertificate(request);
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return 0;
  }
  const v1::Certificate& c = response->certificate();
  TextTable details({"字段 field", "内容 value"});
  details.AddRow({"证书编号 number", c.number()});
  details.AddRow({"证书状态 status",
                  absl::StrCat(StatusText(response->status()), " (as of ",
                               FormatDate(response->status().as_of()), ")")});
  for (const v1::StatusReason& reason : response->status().reasons()) {
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
         absl::StrCat(StarLevelNameZh(c.service_grade().star_level()), " ",
                      StarLevelNameEn(c.service_grade().star_level()), " (",
                      c.service_grade().score(), " points, ",
                      c.service_grade().special_deductions(),
                      " special deductions)")});
  }
  details.AddRow(
      {"初次获证日期 first issued", FormatDate(c.first_issue_date())});
  details.AddRow({"颁证日期 issued", FormatDate(c.issue_date())});
  details.AddRow({"证书到期日期 expires", FormatDate(c.expiry_date())});
  details.AddRow(
      {"再认证次数 recertifications", absl::StrCat(c.recertification_count())});
  details.AddRow({"最近监督日期 last surveillance",
                  FormatDate(response->last_surveillance_date())});
  details.AddRow({"监督次数 surveillance audits",
                  absl::StrCat(response->surveillance_count())});
  details.AddRow(
      {"认证机构 body",
       absl::StrCat(c.body_name(), " (", c.body_approval_number(), ")")});
  details.Print(std::cout);
  std::cout << "\n证书变化历史轨迹 history\n";
  TextTable history({"日期 date", "活动 activity", "日志位置 log index"});
  for (const v1::HistoryEntry& entry : response->history()) {
    history.AddRow({FormatDate(entry.date()), entry.details(),
                    absl::StrCat(entry.leaf_index())});
  }
  history.Print(std::cout);
  return 0;
}

int Search(const std::vector<std::string>& args) {
  if (args.size() > 1) {
    return Usage("search takes one query (quote names with spaces)");
  }
  v1::SearchCertificatesRequest request;
  if (!args.empty()) request.set_query(args[0]);
  bool has_as_of = false;
  if (absl::Status s = ParseAsOf(request.mutable_as_of(), &has_as_of);
      !s.ok()) {
    return Usage(std::string(s.message()));
  }
  if (!has_as_of) request.clear_as_of();
  std::string type = absl::GetFlag(FLAGS_type);
  if (!type.empty()) {
    v1::CertificationType parsed;
    if (!v1::CertificationType_Parse(
            absl::StrCat("CERTIFICATION_TYPE_", absl::AsciiStrToUpper(type)),
            &parsed)) {
      return Usage(absl::StrCat("--type: unknown type \"", type, "\""));
    }
    request.set_type(parsed);
  }
  std::string status = absl::GetFlag(FLAGS_status);
  if (!status.empty()) {
    v1::CertificateStatus parsed;
    if (!v1::CertificateStatus_Parse(
            absl::StrCat("CERTIFICATE_STATUS_", absl::AsciiStrToUpper(status)),
            &parsed)) {
      return Usage(absl::StrCat("--status: unknown status \"", status, "\""));
    }
    request.set_status(parsed);
  }
  request.set_item_code(absl::GetFlag(FLAGS_item));
  request.set_body_approval_number(absl::GetFlag(FLAGS_body));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  RegistryClient client = Client();
  absl::StatusOr<v1::SearchCertificatesResponse> response =
      client.SearchCertificates(request);
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return 0;
  }
  TextTable table({"证书编号 number", "获证组织 holder", "状态 status",
                   "到期 expires", "认证机构 body"});
  for (const v1::CertificateSummary& c : response->certificates()) {
    table.AddRow({c.number(), c.holder_name(), StatusText(c.status()),
                  FormatDate(c.expiry_date()), c.body_approval_number()});
  }
  if (table.empty()) {
    std::cout << "no certificates found\n";
    return 1;
  }
  table.Print(std::cout);
  if (!response->next_page_token().empty()) {
    std::cout << "\nmore: --page_token=" << response->next_page_token() << "\n";
  }
  return 0;
}

int Bodies() {
  RegistryClient client = Client();
  absl::StatusOr<v1::ListBodiesResponse> response =
      client.ListBodies(v1::ListBodiesRequest());
  if (!response.ok()) return Fail(response.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*response);
    return 0;
  }
  TextTable table(
      {"批准号 approval", "名称 name", "认可期 accredited", "密钥 keys"});
  for (const v1::CertificationBody& body : response->bodies()) {
    int active = 0;
    for (const v1::BodyKey& key : body.keys()) {
      active += key.state() == v1::KEY_STATE_ACTIVE;
    }
    table.AddRow({body.approval_number(), body.name(),
                  absl::StrCat(FormatDate(body.accredited_from()), " to ",
                               FormatDate(body.accredited_until()),
                               body.accredited() ? "" : " (not now)"),
                  absl::StrCat(active, " active, ", body.keys_size() - active,
                               " retired")});
  }
  table.Print(std::cout);
  return 0;
}

int Health() {
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
    return 2;
  }
  std::cout << address << ": "
            << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                   response.status())
            << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : 1;
}

// Loads the demo bodies' keys from `dir`, creating them on first use.
absl::StatusOr<std::vector<Ed25519PrivateKey>> DemoBodyKeys(
    const std::string& dir) {
  std::vector<Ed25519PrivateKey> keys;
  for (const DemoBody& body : DemoBodies()) {
    std::string private_path =
        absl::StrCat(dir, "/", body.approval_number, ".key");
    absl::StatusOr<Ed25519PrivateKey> key = ReadPrivateKey(private_path);
    if (absl::IsNotFound(key.status())) {
      key = Ed25519PrivateKey::Generate();
      if (!key.ok()) return key.status();
      absl::Status written =
          WriteKeyPair(*key, private_path,
                       absl::StrCat(dir, "/", body.approval_number, ".pub"));
      if (!written.ok()) return written;
    }
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  return keys;
}

int DemoSeed() {
  std::string config = DefaultConfigDir();
  std::string operator_path = absl::GetFlag(FLAGS_operator_key);
  if (operator_path.empty()) operator_path = config + "/operator.key";
  std::string keys_dir = absl::GetFlag(FLAGS_keys_dir);
  if (keys_dir.empty()) keys_dir = config + "/demo";

  RegistryClient client = Client();
  v1::GetCertificateRequest probe;
  probe.set_number("00226Q21540R2M");
  absl::StatusOr<v1::GetCertificateResponse> existing =
      client.GetCertificate(probe);
  if (existing.ok()) {
    std::cout << "demo data already loaded\n";
    return 0;
  }
  if (!absl::IsNotFound(existing.status())) return Fail(existing.status());

  absl::StatusOr<Ed25519PrivateKey> operator_key =
      ReadPrivateKey(operator_path);
  if (!operator_key.ok()) return Fail(operator_key.status());
  absl::StatusOr<std::vector<Ed25519PrivateKey>> body_keys =
      DemoBodyKeys(keys_dir);
  if (!body_keys.ok()) return Fail(body_keys.status());
  absl::StatusOr<std::vector<DemoCertificate>> seeded =
      SeedDemo(*operator_key, *body_keys, TodayInChina(),
               [&client](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return client.Submit(kind, s);
               });
  if (!seeded.ok()) return Fail(seeded.status());
  TextTable table({"证书编号 number", "获证组织 holder", "story"});
  for (const DemoCertificate& c : *seeded) {
    table.AddRow({c.number, c.holder_name, c.story});
  }
  std::cout << "demo data loaded (body keys in " << keys_dir << "):\n";
  table.Print(std::cout);
  return 0;
}

}  // namespace
}  // namespace certreg

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(certreg::kUsage);
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  if (parsed.size() < 2) return certreg::Usage("no command given");
  std::string command = parsed[1];
  std::vector<std::string> args(parsed.begin() + 2, parsed.end());
  if (command == "get") return certreg::Get(args);
  if (command == "search") return certreg::Search(args);
  if (command == "bodies") return certreg::Bodies();
  if (command == "health") return certreg::Health();
  if (command == "demo-seed") return certreg::DemoSeed();
  return certreg::Usage(absl::StrCat("unknown command \"", command, "\""));
}
