#ifndef CERTREG_TOOLS_CLI_CERTCTL_FLAGS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "certreg/v1/certificate.pb.h"

// The flags commands of more than one group read. A flag only one group
// reads is defined beside that group's commands.
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, as_of);
ABSL_DECLARE_FLAG(std::string, date);
ABSL_DECLARE_FLAG(std::string, holder);
ABSL_DECLARE_FLAG(std::string, address);
ABSL_DECLARE_FLAG(std::string, scope);
ABSL_DECLARE_FLAG(std::string, basis);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::string, type);
ABSL_DECLARE_FLAG(std::string, body);
ABSL_DECLARE_FLAG(std::string, credit_code);
ABSL_DECLARE_FLAG(std::string, cursor);
ABSL_DECLARE_FLAG(std::string, callback_url);

namespace certreg {

// --date as a statement date: today in China Standard Time when it is not
// given. INVALID_ARGUMENT "--date: ..." when it is not a date.
absl::StatusOr<v1::Date> StatementDate();

// --date when given. INVALID_ARGUMENT "--date: ..." when it is not a date.
absl::StatusOr<std::optional<v1::Date>> GivenStatementDate();

// --as_of when given. INVALID_ARGUMENT "--as_of: ..." when it is not a date.
absl::StatusOr<std::optional<v1::Date>> AsOf();

// CONFIG/NAME, CONFIG being certctl's configuration directory
// (DefaultConfigDir(): $XDG_CONFIG_HOME/certreg, else ~/.config/certreg).
std::string ConfigPath(const std::string& name);

// Every --site value on the command line, in order: absl keeps only the
// last of a repeated flag, so certctl's main records them all
// (RepeatedFlagValues) before the commands run. Not thread-safe: set once,
// before any command reads them.
void SetSiteFlagValues(std::vector<std::string> values);
const std::vector<std::string>& SiteFlagValues();

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_FLAGS_H_
