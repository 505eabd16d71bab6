#ifndef CERTREG_TOOLS_CLI_CERTCTL_BULK_H_
#define CERTREG_TOOLS_CLI_CERTCTL_BULK_H_

#include "certreg/v1/admin.pb.h"
#include "certreg/v1/registry.pb.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certificate_csv.h"

namespace certreg {

// certctl's bulk and operations commands: certificates by the thousand as
// CSV (docs/CSV.md), the registry's backup, the demo data. Body keys live in
// --keys_dir as APPROVAL_NUMBER.key and .pub.

// generate N [--seed] [--today] [--out] [--keys_dir]: N realistic fictional
// certificates as CSV (seeded: the same seed, the same rows); with
// --keys_dir, a key for each of their bodies that has none there.
int GenerateCommand(const Args& args);

// import FILE --keys_dir [--parallel] [--errors] [--accredit]: the CSV's
// certificates and histories, signed here with their bodies' keys; rows
// already in the registry are skipped, half-imported histories completed.
// A line per failed row (to --errors, default standard error); exit 1 if
// any failed.
int ImportCommand(const Args& args);

// export [QUERY] [--format=csv|jsonl] [--out] [search filters]: every
// certificate a search finds, with its history.
int ExportCommand(const Args& args);

// backup NAME: the registry writes a consistent copy of its database.
int BackupCommand(const Args& args);
// certctl scrub: asks the registry to check every leaf and record.
int ScrubCommand(const Args& args);
// The progress line `certctl scrub` shows for `progress`.
std::string ScrubProgressText(const v1::ScrubProgress& progress);

// demo-seed [--keys_dir]: the demo bodies (keys in --keys_dir, default
// CONFIG/demo, created when missing) and certificates, unless loaded.
int DemoSeedCommand(const Args& args);

// The CSV record of a certificate as the registry returned it with its
// signed statements (the full view): the certificate as issued, and each
// later event without its chain hash and nonce. What export writes.
CertificateRecord RecordFromHistory(const v1::GetCertificateResponse& got);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_BULK_H_
