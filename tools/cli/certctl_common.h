#ifndef CERTREG_TOOLS_CLI_CERTCTL_COMMON_H_
#define CERTREG_TOOLS_CLI_CERTCTL_COMMON_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/statement.pb.h"
#include "google/protobuf/message.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/grpc/registry_client.h"

ABSL_DECLARE_FLAG(std::string, registry);
ABSL_DECLARE_FLAG(int, timeout_seconds);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, as_of);
ABSL_DECLARE_FLAG(std::string, date);
ABSL_DECLARE_FLAG(std::string, key);
ABSL_DECLARE_FLAG(std::string, operator_key);
ABSL_DECLARE_FLAG(std::string, operator_public_key);
ABSL_DECLARE_FLAG(std::string, log_public_key);

namespace certreg {

// Shared plumbing of certctl's commands.

// Exit codes: 0 success, 1 a check failed or the thing is not there / not
// allowed, 2 usage or connection error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;

// A command: its arguments after the command name.
using Args = std::vector<std::string>;

// Prints "certctl: <message>" and returns the exit code for `status`.
int Fail(const absl::Status& status);
// The exit code for `status` (kExitOk when it is OK).
int ExitCode(const absl::Status& status);
// Prints the problem and the command's help; returns kExitUsage.
int Usage(const std::string& command, const std::string& problem);

std::unique_ptr<RegistryClient> Client();

// Protobuf JSON (proto field names, indented) to stdout.
void PrintJson(const google::protobuf::Message& message);

// --date (default today in China Standard Time) as a statement date.
absl::StatusOr<v1::Date> StatementDate();
// --date when given.
absl::StatusOr<std::optional<v1::Date>> GivenStatementDate();
// --as_of when given.
absl::StatusOr<std::optional<v1::Date>> AsOf();

// CONFIG dir paths (~/.config/certreg/...).
std::string ConfigPath(const std::string& name);

// The signing keys: --key (a body's) and --operator_key (default
// CONFIG/operator.key).
absl::StatusOr<Ed25519PrivateKey> BodyKey();
absl::StatusOr<Ed25519PrivateKey> OperatorKey();

// Signs `statement` with `signer` and submits it; prints the receipt.
int SignAndSubmit(const v1::Statement& statement, const Signer& signer);

// Every --site value on the command line, in order (main records them: absl
// keeps only the last of a repeated flag).
void SetSiteFlagValues(std::vector<std::string> values);
const std::vector<std::string>& SiteFlagValues();

// "有效 valid" and the like.
std::string StatusName(v1::CertificateStatus status);

// `count` and the English `noun`, plural unless count is 1: "1 row",
// "3 rows".
std::string Counted(int64_t count, absl::string_view noun);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_COMMON_H_
