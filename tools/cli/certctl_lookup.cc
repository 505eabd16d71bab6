// certctl: get, search, bodies, health, bundle, verify, registry-keys.
#include <algorithm>
#include <filesystem>
#include <fstream>
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
#include "verifier/bundle/bundle_verifier.h"
#include "verifier/bundle/claim_verifier.h"
#include "verifier/crypto/key_files.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_names.h"
#include "verifier/service/registry_bundle_source.h"

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
ABSL_FLAG(std::string, out, "", "bundle/generate/export: output file.");
ABSL_FLAG(std::string, out_dir, "", "registry-keys: write the keys here.");
ABSL_FLAG(std::string, bundle, "", "verify: a bundle file, verified offline.");
ABSL_FLAG(std::string, holder, "",
          "verify: claimed holder name; issue: holder.");
ABSL_FLAG(std::string, address, "",
          "verify: claimed holder address; issue: holder address; "
          "change-holder: the holder's new registered address.");
ABSL_FLAG(std::string, scope, "",
          "verify: required scope terms, ';'-separated; issue/change-scope: "
          "the scope.");
ABSL_FLAG(std::string, basis, "",
          "verify: a standard the basis must include; issue: ';'-separated "
          "standards.");
ABSL_FLAG(std::string, min_stars, "",
          "verify: minimum GB/T 27922 star level: 达标级 (compliant), 三星级 "
          "(3), 四星级 (4) or 五星级 (5).");
ABSL_FLAG(int, max_checkpoint_age_hours, 24,
          "verify: a checkpoint older than this makes the verdict UNKNOWN.");
ABSL_FLAG(std::string, operator_public_key, "",
          "Pinned operator public key for verification (default "
          "CONFIG/operator.pub).");
ABSL_FLAG(std::string, log_public_key, "",
          "Pinned log public key for verification (default CONFIG/log.pub).");

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

int BundleCommand(const Args& args) {
  if (args.size() != 1) return Usage("bundle", "give one certificate number");
  absl::StatusOr<v1::VerificationBundle> bundle =
      Client()->GetVerificationBundle(args[0]);
  if (!bundle.ok()) return Fail(bundle.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*bundle);
    return kExitOk;
  }
  std::string out = absl::GetFlag(FLAGS_out);
  std::string bytes = bundle->SerializeAsString();
  if (out.empty()) {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return std::cout.good() ? kExitOk : kExitUsage;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.good()) return Fail(absl::UnavailableError("cannot write " + out));
  std::cerr << "bundle of " << args[0] << " written to " << out << " ("
            << Counted(static_cast<int64_t>(bytes.size()), "byte") << ")\n";
  return kExitOk;
}

namespace {

absl::StatusOr<PinnedKeys> PinnedKeysFromFlags() {
  std::string operator_path = absl::GetFlag(FLAGS_operator_public_key);
  if (operator_path.empty()) operator_path = ConfigPath("operator.pub");
  std::string log_path = absl::GetFlag(FLAGS_log_public_key);
  if (log_path.empty()) log_path = ConfigPath("log.pub");
  absl::StatusOr<Ed25519PublicKey> operator_key = ReadPublicKey(operator_path);
  if (!operator_key.ok()) return operator_key.status();
  absl::StatusOr<Ed25519PublicKey> log_key = ReadPublicKey(log_path);
  if (!log_key.ok()) return log_key.status();
  PinnedKeys keys;
  keys.operator_key = std::make_shared<const Ed25519PublicKey>(*operator_key);
  keys.log_key = std::make_shared<const Ed25519PublicKey>(*log_key);
  return keys;
}

absl::StatusOr<v1::Claim> ClaimFromFlags(const std::string& number) {
  v1::Claim claim;
  claim.set_certificate_number(number);
  claim.set_holder_name(absl::GetFlag(FLAGS_holder));
  claim.set_holder_address(absl::GetFlag(FLAGS_address));
  for (absl::string_view term :
       absl::StrSplit(absl::GetFlag(FLAGS_scope), ';', absl::SkipEmpty())) {
    claim.add_scope_terms(std::string(term));
  }
  claim.set_basis(absl::GetFlag(FLAGS_basis));
  const std::string stars = absl::GetFlag(FLAGS_min_stars);
  if (!stars.empty()) {
    absl::StatusOr<v1::StarLevel> level = ParseStarLevel(stars);
    if (!level.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--min_stars: ", level.status().message()));
    }
    claim.set_min_star_level(*level);
  }
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOf();
  if (!as_of.ok()) return as_of.status();
  if (*as_of) *claim.mutable_as_of() = **as_of;
  return claim;
}

const char* OutcomeMark(v1::CheckOutcome outcome) {
  switch (outcome) {
    case v1::CHECK_OUTCOME_PASSED:
      return "通过 PASS";
    case v1::CHECK_OUTCOME_FAILED:
      return "失败 FAIL";
    case v1::CHECK_OUTCOME_SKIPPED:
      return "跳过 skip";
    default:
      return "?";
  }
}

int PrintVerdict(const v1::VerifyResponse& response) {
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    TextTable table({"检查 check", "结果 result", "说明 detail"});
    for (const v1::Check& check : response.checks()) {
      table.AddRow(
          {check.name(), OutcomeMark(check.outcome()),
           check.detail_zh().empty()
               ? check.detail()
               : absl::StrCat(check.detail_zh(), " / ", check.detail())});
    }
    table.Print(std::cout);
    std::cout << "\n结论 verdict: "
              << v1::Verdict_Name(response.verdict()).substr(8);
    if (response.has_status()) {
      std::cout << " (" << StatusName(response.status().status()) << " as of "
                << FormatDate(response.status().as_of()) << ")";
    }
    std::cout << "\n";
  }
  return response.verdict() == v1::VERDICT_PASS ? kExitOk : kExitCheckFailed;
}

// The bundle of a file, for offline verification.
class FileBundleSource : public BundleSource {
 public:
  explicit FileBundleSource(v1::VerificationBundle bundle)
      : bundle_(std::move(bundle)) {}
  absl::StatusOr<v1::VerificationBundle> FetchBundle(
      const std::string&) override {
    return bundle_;
  }
  absl::StatusOr<v1::ConsistencyProof> FetchConsistencyProof(
      uint64_t, uint64_t) override {
    return absl::UnavailableError("offline: no consistency proofs");
  }

 private:
  v1::VerificationBundle bundle_;
};

}  // namespace

int VerifyCommand(const Args& args) {
  std::string bundle_path = absl::GetFlag(FLAGS_bundle);
  if (bundle_path.empty() && args.size() != 1) {
    return Usage("verify", "give one certificate number, or --bundle=FILE");
  }
  if (!bundle_path.empty() && args.size() > 1) {
    return Usage("verify", "give at most one certificate number");
  }
  absl::StatusOr<PinnedKeys> keys = PinnedKeysFromFlags();
  if (!keys.ok()) return Fail(keys.status());
  VerifyPolicy policy;
  policy.max_checkpoint_age =
      absl::Hours(absl::GetFlag(FLAGS_max_checkpoint_age_hours));

  if (!bundle_path.empty()) {
    // Offline: nothing but the file and the pinned keys.
    std::ifstream file(bundle_path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)),
                      std::istreambuf_iterator<char>());
    v1::VerificationBundle bundle;
    if (!file.good() && !file.eof()) {
      return Fail(absl::NotFoundError("cannot read " + bundle_path));
    }
    if (!bundle.ParseFromString(bytes)) {
      return Fail(absl::InvalidArgumentError(
          bundle_path + ": not a certreg verification bundle"));
    }
    std::string number = args.empty() ? bundle.certificate_number() : args[0];
    absl::StatusOr<v1::Claim> claim = ClaimFromFlags(number);
    if (!claim.ok())
      return Usage("verify", std::string(claim.status().message()));
    return PrintVerdict(
        VerifyBundle(bundle, *claim, *keys, policy, absl::Now()));
  }

  absl::StatusOr<v1::Claim> claim = ClaimFromFlags(args[0]);
  if (!claim.ok())
    return Usage("verify", std::string(claim.status().message()));
  std::unique_ptr<RegistryClient> client = Client();
  RegistryBundleSource source(client.get());
  ClaimVerifierOptions options;
  options.keys = *keys;
  options.policy = policy;
  options.state_path = ConfigPath("trusted_checkpoint");
  absl::StatusOr<std::unique_ptr<ClaimVerifier>> verifier =
      ClaimVerifier::New(&source, options);
  if (!verifier.ok()) return Fail(verifier.status());
  v1::VerifyResponse response = (*verifier)->Verify(*claim);
  int code = PrintVerdict(response);
  if (response.verdict() == v1::VERDICT_UNKNOWN && !response.checks().empty() &&
      response.checks(0).name() == "registry") {
    return kExitUsage;  // could not reach the registry
  }
  return code;
}

int RegistryKeysCommand(const Args& args) {
  if (!args.empty()) return Usage("registry-keys", "takes no arguments");
  absl::StatusOr<v1::GetRegistryKeysResponse> keys =
      Client()->GetRegistryKeys();
  if (!keys.ok()) return Fail(keys.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*keys);
  } else {
    std::cout << "operator key id " << ToHex(keys->operator_key_id()) << "\n"
              << "log key id      " << ToHex(keys->log_key_id()) << "\n"
              << "log origin      " << keys->log_origin() << "\n";
  }
  std::string dir = absl::GetFlag(FLAGS_out_dir);
  if (dir.empty()) return kExitOk;
  for (const auto& [name, raw] :
       {std::pair<std::string, std::string>{"operator.pub",
                                            keys->operator_public_key()},
        {"log.pub", keys->log_public_key()}}) {
    absl::StatusOr<Ed25519PublicKey> key = Ed25519PublicKey::FromRaw(raw);
    if (!key.ok()) return Fail(key.status());
    std::string path = absl::StrCat(dir, "/", name);
    // Never replace a pinned key with another one.
    absl::StatusOr<Ed25519PublicKey> pinned = ReadPublicKey(path);
    if (pinned.ok() && pinned->key_id() == key->key_id()) {
      std::cout << path << " already pins this key\n";
      continue;
    }
    if (!absl::IsNotFound(pinned.status())) {
      return Fail(absl::FailedPreconditionError(absl::StrCat(
          path,
          " already holds another key; not replacing it (remove it "
          "first if the registry's key really changed)")));
    }
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
      return Fail(absl::UnavailableError(
          absl::StrCat("cannot create ", dir, ": ", error.message())));
    }
    std::ofstream file(path, std::ios::trunc);
    file << key->ToPem();
    if (!file.good())
      return Fail(absl::UnavailableError("cannot write " + path));
    std::cout << "wrote " << path << "\n";
  }
  return kExitOk;
}

}  // namespace certreg
