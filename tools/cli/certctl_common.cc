#include "tools/cli/certctl_common.h"

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/certctl_help.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/grpc/grpc_status.h"
#include "verifier/rules/date.h"
#include "verifier/rules/status_engine.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address (host:port) of the certreg registry.");
ABSL_FLAG(int, timeout_seconds, 10, "Deadline for each call to the registry.");
ABSL_FLAG(bool, json, false, "Print results as JSON (the API's JSON form).");
ABSL_FLAG(std::string, as_of, "",
          "Date (YYYY-MM-DD) to answer for; default today in China Standard "
          "Time.");
ABSL_FLAG(std::string, date, "",
          "Date (YYYY-MM-DD) of a statement; default today in China Standard "
          "Time. An issue statement is dated on the certificate's issue date: "
          "for issue, --date may only repeat it.");
ABSL_FLAG(std::string, key, "",
          "The certification body's private key file (signs its statements).");
ABSL_FLAG(std::string, operator_key, "",
          "The registry operator's private key file (default "
          "CONFIG/operator.key, CONFIG = ~/.config/certreg).");
ABSL_FLAG(std::string, operator_public_key, "",
          "Pinned operator public key for verification (default "
          "CONFIG/operator.pub).");
ABSL_FLAG(std::string, log_public_key, "",
          "Pinned log public key for verification (default CONFIG/log.pub).");

namespace certreg {

int Fail(const absl::Status& status) {
  std::cerr << "certctl: " << status.message() << "\n";
  return ExitCode(status);
}

int ExitCode(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      return kExitCheckFailed;
    default:
      return kExitUsage;
  }
}

int Usage(const std::string& command, const std::string& problem) {
  std::cerr << "certctl " << command << ": " << problem << "\n\n"
            << CommandHelp(command) << "\n";
  return kExitUsage;
}

std::unique_ptr<RegistryClient> Client() {
  return std::make_unique<RegistryClient>(
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

absl::StatusOr<v1::Date> StatementDate() {
  std::string text = absl::GetFlag(FLAGS_date);
  if (text.empty()) return ToProtoDate(TodayInChina());
  return ParseDate(text, "--date");
}

absl::StatusOr<std::optional<v1::Date>> GivenStatementDate() {
  std::string text = absl::GetFlag(FLAGS_date);
  if (text.empty()) return std::optional<v1::Date>();
  absl::StatusOr<v1::Date> date = ParseDate(text, "--date");
  if (!date.ok()) return date.status();
  return std::optional<v1::Date>(*date);
}

absl::StatusOr<std::optional<v1::Date>> AsOf() {
  std::string text = absl::GetFlag(FLAGS_as_of);
  if (text.empty()) return std::optional<v1::Date>();
  absl::StatusOr<v1::Date> date = ParseDate(text, "--as_of");
  if (!date.ok()) return date.status();
  return std::optional<v1::Date>(*date);
}

std::string ConfigPath(const std::string& name) {
  return absl::StrCat(DefaultConfigDir(), "/", name);
}

absl::StatusOr<Ed25519PrivateKey> BodyKey() {
  std::string path = absl::GetFlag(FLAGS_key);
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "--key: give the certification body's private key file");
  }
  return ReadPrivateKey(path);
}

absl::StatusOr<Ed25519PrivateKey> OperatorKey() {
  std::string path = absl::GetFlag(FLAGS_operator_key);
  if (path.empty()) path = ConfigPath("operator.key");
  return ReadPrivateKey(path);
}

int SignAndSubmit(const v1::Statement& statement, const Signer& signer) {
  absl::StatusOr<v1::SignedStatement> signed_statement =
      SignStatement(statement, signer);
  if (!signed_statement.ok()) return Fail(signed_statement.status());
  absl::StatusOr<v1::StatementReceipt> receipt =
      Client()->Submit(KindOf(statement), *signed_statement);
  if (!receipt.ok()) return Fail(receipt.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*receipt);
    return kExitOk;
  }
  std::cout << KindName(KindOf(statement)) << " accepted: log index "
            << receipt->leaf_index() << ", statement hash "
            << ToHex(receipt->statement_hash()) << "\n";
  return kExitOk;
}

namespace {

std::vector<std::string>& SiteValues() {
  static auto* values = new std::vector<std::string>();
  return *values;
}

}  // namespace

void SetSiteFlagValues(std::vector<std::string> values) {
  SiteValues() = std::move(values);
}

const std::vector<std::string>& SiteFlagValues() { return SiteValues(); }

std::string StatusName(v1::CertificateStatus status) {
  return absl::StrCat(CertificateStatusNameZh(status), " ",
                      CertificateStatusNameEn(status));
}

std::string Counted(int64_t count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

}  // namespace certreg
