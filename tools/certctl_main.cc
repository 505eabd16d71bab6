// certctl: the command line for every user of certreg. Private keys never
// leave this machine: certctl signs, the registry only verifies.
#include "tools/cli/certctl_bulk.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_keys.h"
#include "tools/cli/certctl_lookup.h"
#include "tools/cli/certctl_run.h"
#include "tools/cli/certctl_verify.h"
#include "tools/cli/certctl_watch.h"
#include "tools/cli/certctl_write.h"

namespace {

using certreg::Command;

// Every command, by group; certctl help lists them (certctl_help.cc).
constexpr Command kCommands[] = {
    // Lookups: what anyone may ask the registry.
    {"get", certreg::GetCommand},
    {"search", certreg::SearchCommand},
    {"bodies", certreg::BodiesCommand},
    {"health", certreg::HealthCommand},
    {"watch", certreg::WatchCommand},
    {"watchlist", certreg::WatchlistCommand},
    // Evidence checked with the pinned keys.
    {"bundle", certreg::BundleCommand},
    {"verify", certreg::VerifyCommand},
    // Keys.
    {"registry-keys", certreg::RegistryKeysCommand},
    {"keygen", certreg::KeygenCommand},
    {"key-id", certreg::KeyIdCommand},
    // The operator's statements.
    {"accredit", certreg::AccreditCommand},
    {"rotate-key", certreg::RotateKeyCommand},
    {"retire-key", certreg::RetireKeyCommand},
    {"publish-rules", certreg::PublishRulesCommand},
    // A certification body's statements.
    {"issue", certreg::IssueCommand},
    {"surveil", certreg::SurveilCommand},
    {"suspend", certreg::SuspendCommand},
    {"reinstate", certreg::ReinstateCommand},
    {"revoke", certreg::RevokeCommand},
    {"withdraw", certreg::WithdrawCommand},
    {"renew", certreg::RenewCommand},
    {"change-scope", certreg::ChangeScopeCommand},
    {"change-holder", certreg::ChangeHolderCommand},
    // Bulk and operations.
    {"demo-seed", certreg::DemoSeedCommand},
    {"generate", certreg::GenerateCommand},
    {"import", certreg::ImportCommand},
    {"export", certreg::ExportCommand},
    {"backup", certreg::BackupCommand},
    {"scrub", certreg::ScrubCommand},
};

}  // namespace

int main(int argc, char** argv) {
  return certreg::RunCertctl(argc, argv, kCommands);
}
