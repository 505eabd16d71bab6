#ifndef CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_H_
#define CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_H_

#include "absl/status/statusor.h"
#include "certreg/v1/registry.pb.h"
#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl's lookups: what anyone may ask the registry. --json prints the
// API's answer instead of the tables.

// get NUMBER [NUMBER...] [--as_of=DATE]: each certificate's page, in the
// order given (several over one LookupCertificates stream). A number not
// found is named on standard error and sets the exit code (1; 2 if one is
// malformed); the others are still printed.
int GetCommand(const Args& args);

// search [QUERY] [filters]: one page of hits; exit 1 when there are none.
int SearchCommand(const Args& args);

// bodies: the certification bodies, their accreditation and keys.
int BodiesCommand(const Args& args);

// health: whether the registry at --registry serves (exit 0), does not
// (1), or cannot be reached (2).
int HealthCommand(const Args& args);

// The search of the optional QUERY in `args` with the filter flags
// (--as_of, --type, --status, --item, --body, --page_size, --page_token);
// SearchRequest's errors. certctl export runs it page by page.
absl::StatusOr<v1::SearchCertificatesRequest> SearchRequestFromFlags(
    const Args& args);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_H_
