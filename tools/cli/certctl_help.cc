#include "tools/cli/certctl_help.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace certreg {
namespace {

// A command's help: its summary (the overview's line) and its usage with
// an example.
struct Help {
  const char* name;
  const char* summary;
  const char* usage;
};

// Every command's help; the overview lists them by name.
constexpr Help kHelp[] = {
    {"keygen", "generate an Ed25519 key pair (private key mode 0600)",
     "certctl keygen PREFIX\n"
     "  Writes PREFIX.key (private, mode 0600) and PREFIX.pub; refuses to\n"
     "  overwrite. Prints the key id (SHA-256 of the public key).\n"
     "Example:\n  certctl keygen ~/keys/CNCA-R-2002-001"},
    {"key-id", "show the key id of a key file",
     "certctl key-id FILE\nExample:\n  certctl key-id ~/keys/body.pub"},
    {"registry-keys",
     "show (and with --out_dir save) the registry's public keys to pin",
     "certctl registry-keys [--out_dir=DIR]\n"
     "  Prints the operator and log key ids; --out_dir writes operator.pub\n"
     "  and log.pub there for the verifier to pin. Compare the ids with\n"
     "  the ones the operator publishes before trusting them.\n"
     "Example:\n  certctl registry-keys --out_dir=~/.config/certreg"},
    {"accredit", "operator: accredit a certification body and register its key",
     "certctl accredit --approval=NUMBER --name=NAME --public_key=FILE\n"
     "                 --valid_from=DATE --valid_until=DATE [--date=DATE]\n"
     "                 [--operator_key=FILE]\n"
     "Example:\n  certctl accredit --approval=CNCA-R-2002-001 "
     "--name=示例认证有限公司 \\\n"
     "    --public_key=body.pub --valid_from=2024-01-01 "
     "--valid_until=2029-12-31"},
    {"rotate-key", "operator: register a new key for a body",
     "certctl rotate-key --approval=NUMBER --public_key=FILE [--date=DATE]\n"
     "Example:\n  certctl rotate-key --approval=CNCA-R-2002-001 "
     "--public_key=new.pub"},
    {"retire-key", "operator: retire one of a body's keys",
     "certctl retire-key --approval=NUMBER (--key_id=HEX | "
     "--public_key=FILE) [--date=DATE]\n"
     "Example:\n  certctl retire-key --approval=CNCA-R-2002-001 "
     "--public_key=old.pub"},
    {"issue", "body: issue a certificate (from a JSON file or flags)",
     "certctl issue --key=FILE (--file=CERT.json | --number=... "
     "--type=... ...)\n"
     "  CERT.json is a certreg.v1.Certificate in the API's JSON form.\n"
     "  Flags: --number --type (management_system|service|product)\n"
     "  --item_code --item_name --basis (';'-separated) --holder\n"
     "  --credit_code --address --scope --first_issue_date --issue_date\n"
     "  --expiry_date --body --body_name [--score --deductions --stars].\n"
     "  --stars: 达标级 (compliant), 三星级 (3), 四星级 (4) or 五星级 (5).\n"
     "  The issue statement is dated on the certificate's issue date;\n"
     "  --date, if given, must be that date.\n"
     "Example:\n  certctl issue --key=body.key --file=00216Q10097R1S.json"},
    {"surveil", "body: record a surveillance audit",
     "certctl surveil NUMBER --key=FILE [--date=DATE] [--note=TEXT]\n"
     "Example:\n  certctl surveil 00216Q10097R1S --key=body.key "
     "--date=2026-11-01 --note=监督审核"},
    {"suspend", "body: suspend a certificate",
     "certctl suspend NUMBER --key=FILE --reason=TEXT [--date=DATE]\n"
     "Example:\n  certctl suspend 00216Q10097R1S --key=body.key "
     "--reason=未按期接受监督审核"},
    {"reinstate", "body: lift a suspension",
     "certctl reinstate NUMBER --key=FILE [--note=TEXT] [--date=DATE]\n"
     "Example:\n  certctl reinstate 00216Q10097R1S --key=body.key"},
    {"revoke", "body: revoke a certificate (final)",
     "certctl revoke NUMBER --key=FILE --reason=TEXT [--date=DATE]\n"
     "Example:\n  certctl revoke 00216Q10097R1S --key=body.key "
     "--reason=暂停期满未恢复"},
    {"withdraw", "body: withdraw a certificate (final)",
     "certctl withdraw NUMBER --key=FILE --reason=TEXT [--date=DATE]\n"
     "Example:\n  certctl withdraw 00216Q10097R1S --key=body.key "
     "--reason=获证组织申请注销"},
    {"renew", "body: recertify with a new validity period",
     "certctl renew NUMBER --key=FILE --new_issue_date=DATE "
     "--new_expiry_date=DATE\n"
     "              [--score=N --deductions=N --stars=LEVEL] [--date=DATE]\n"
     "Example:\n  certctl renew 00216Q10097R1S --key=body.key "
     "--new_issue_date=2027-01-10 --new_expiry_date=2030-01-09"},
    {"change-scope", "body: change the certified scope (and the covered sites)",
     "certctl change-scope NUMBER --key=FILE --scope=TEXT "
     "[--site=\"NAME|ADDRESS\" ...]\n"
     "                     [--date=DATE]\n"
     "  --site, once per site, gives the whole new list of covered sites\n"
     "  (as the CSV's sites column: ';' also separates entries, the\n"
     "  address may hold '|'); without it the sites stay as they are.\n"
     "Example:\n  certctl change-scope 00216Q10097R1S --key=body.key "
     "--scope=家用电器的设计和生产"},
    {"change-holder", "body: record a change of the holder's name or address",
     "certctl change-holder NUMBER --key=FILE [--name=NEW] "
     "[--address=NEW]\n"
     "                      [--site=\"NAME|ADDRESS\" ...] [--date=DATE]\n"
     "  组织名称变更 / 地址变更: give at least one of --name, --address\n"
     "  and --site; what is not given stays. --site, once per site, gives\n"
     "  the whole new list of covered sites (as in change-scope). The\n"
     "  unified social credit code never changes. --date defaults to\n"
     "  today; `get --as_of` an earlier day shows the old name.\n"
     "Examples:\n"
     "  certctl change-holder 00216Q10097R1S --key=body.key "
     "--name=青岛海岳电器集团有限公司\n"
     "  certctl change-holder 00216Q10097R1S --key=body.key "
     "--date=2026-11-01 \\\n"
     "    --address=山东省青岛市崂山区海尔路1号 \\\n"
     "    --site=\"黄岛工厂|山东省青岛市黄岛区前湾港路1号\" \\\n"
     "    --site=\"研发中心|山东省青岛市市南区香港中路8号\""},
    {"publish-rules", "operator: publish a new version of the scheme rules",
     "certctl publish-rules [--file=RULES.json] [--rules_version=N] "
     "[--date=DATE]\n"
     "                      [--operator_key=FILE]\n"
     "certctl publish-rules --print_default\n"
     "  Signs the surveillance and validity rules every status is\n"
     "  computed under (docs/RULES.md) with the operator's key (default\n"
     "  CONFIG/operator.key) and publishes them; they apply at once to\n"
     "  every certificate and every date.\n"
     "  --file: a certreg.v1.SchemeRules in the API's JSON form, checked\n"
     "  here before it is sent; without it, the built-in rules.\n"
     "  --print_default prints the built-in rules (version 1) as such a\n"
     "  file, publishing nothing: a template to edit.\n"
     "  The version published: --rules_version when given, else the\n"
     "  file's \"version\", else the version in force + 1 (which the\n"
     "  registry's statuses name; a registry with no certificate yet is\n"
     "  read from its log). It must be above the version in force: the\n"
     "  registry refuses it otherwise (exit 1), naming that version.\n"
     "Examples:\n"
     "  certctl publish-rules --print_default > rules.json\n"
     "  certctl publish-rules --file=rules.json --rules_version=2\n"
     "  certctl publish-rules    # the built-in rules again, next version"},
    {"get", "certificates: details, history and status",
     "certctl get NUMBER [NUMBER...] [--as_of=DATE] [--json]\n"
     "Several numbers are looked up over one stream and printed in the "
     "order given;\neach number not found is named on standard error "
     "(exit 1; 2 if one is malformed).\n"
     "The status line names the scheme rules version it was computed "
     "under. With --as_of\nthe certificate is shown as it stood on "
     "that day; statements dated later are\ncounted, not shown.\n"
     "--json prints the whole response, each history entry with its "
     "signed statement.\n"
     "Example:\n  certctl get 90126Q21540R2M --as_of=2026-03-01\n"
     "  certctl get 90126Q21540R2M 90119Q30555R1L"},
    {"search", "certificates by organisation name (any part) or credit code",
     "certctl search [QUERY] [--type=T] [--status=S] [--item=CODE] "
     "[--body=APPROVAL]\n"
     "               [--page_size=N] [--page_token=TOKEN] [--json]\n"
     "  --status: 有效 (valid), 暂停 (suspended), 撤销 (revoked), 注销\n"
     "  (withdrawn), 过期 (expired) or 未生效 (not yet valid).\n"
     "Example:\n  certctl search 海岳\n"
     "  certctl search --status=暂停 --type=service"},
    {"bodies", "the certification bodies and their keys",
     "certctl bodies [--json]\nExample:\n  certctl bodies"},
    {"health", "check that the registry answers",
     "certctl health\nExample:\n  certctl --registry=10.0.0.5:50051 "
     "health"},
    {"watch", "follow certificates' changes as they happen (Ctrl-C stops)",
     "certctl watch [NUMBER...] [--credit_code=CODE,...] "
     "[--body=APPROVAL,...]\n"
     "              [--cursor=CURSOR] [--json]\n"
     "  Prints each matched certificate's status now, then every statement\n"
     "  about it and every status change nobody writes (an audit overdue,\n"
     "  expiry...) on its day. Each line ends with a cursor: --cursor=it\n"
     "  resumes right after that line, missing nothing.\n"
     "Example:\n  certctl watch --credit_code=91370212CXUGT6619K"},
    {"watchlist", "watchlists: the registry POSTs each change to a URL",
     "certctl watchlist create [NUMBER...] [--credit_code=...] "
     "[--body=...] --callback_url=URL\n"
     "certctl watchlist list | delete ID | deliveries ID | replay ID "
     "DELIVERY_ID\n"
     "  Watchlists belong to the API key of --api_key_file. Each change is\n"
     "  POSTed as JSON, signed by the log key (docs/WATCHING.md), retried\n"
     "  until accepted.\n"
     "Example:\n  certctl --api_key_file=buyer.key watchlist create "
     "--credit_code=91370212CXUGT6619K --callback_url=https://buyer/hook"},
    {"bundle", "fetch a certificate's verification bundle (for offline checks)",
     "certctl bundle NUMBER [--out=FILE]\n"
     "  Writes the binary bundle to FILE or standard output.\n"
     "Example:\n  certctl bundle 90126Q21540R2M > 90126Q21540R2M.bundle"},
    {"verify", "verify a claim with the pinned keys, printing every check",
     "certctl verify NUMBER [--holder=NAME] [--address=TEXT] "
     "[--scope=TERM;TERM]\n"
     "               [--basis=STD] [--min_stars=LEVEL] [--as_of=DATE]\n"
     "certctl verify --bundle=FILE [same claims]   (offline; FILE binary, or\n"
     "  JSON as the web page's download)\n"
     "  --min_stars: 达标级 (compliant), 三星级 (3), 四星级 (4) or 五星级 "
     "(5).\n"
     "  Keys: --operator_public_key, --log_public_key (default\n"
     "  CONFIG/operator.pub, CONFIG/log.pub). Online, the checkpoint must\n"
     "  extend the last one this machine trusted (CONFIG/"
     "trusted_checkpoint).\n"
     "  Exit 0 PASS, 1 FAIL or UNKNOWN, 2 usage or connection error.\n"
     "Example:\n  certctl verify 90224S00317R0L "
     "--holder=杭州云帆家电服务有限公司 "
     "--min_stars=4 --as_of=2026-12-31"},
    {"generate", "write N realistic fictional certificates as CSV (seeded)",
     "certctl generate N [--seed=S] [--out=FILE] [--today=DATE]\n"
     "Example:\n  certctl generate 1000 --seed=7 > demo.csv"},
    {"import", "bulk-load a CSV of certificates, signing locally (resumable)",
     "certctl import FILE --keys_dir=DIR [--parallel=N] "
     "[--errors=FILE]\n"
     "  DIR holds each body's private key as APPROVAL_NUMBER.key. A row\n"
     "  already in the registry is skipped; a half-imported history is\n"
     "  completed. Columns: see docs/CSV.md.\n"
     "Example:\n  certctl import demo.csv --keys_dir=~/keys"},
    {"export", "write every certificate (or a search) as CSV or JSON Lines",
     "certctl export [QUERY] [--format=csv|jsonl] [--out=FILE] [filters as "
     "search]\n"
     "Example:\n  certctl export --format=jsonl > all.jsonl"},
    {"backup", "online backup of the registry's database (admin)",
     "certctl backup NAME [--admin=unix:PATH|HOST:PORT]\n"
     "  The registry writes a consistent copy of its database to\n"
     "  BACKUP_DIR/NAME on its machine (see the server's --backup_dir).\n"
     "  Restore: stop the registry and start it with --data_dir on a copy\n"
     "  of that directory; its first start checks it in full\n"
     "  (docs/OPERATIONS.md). Admin commands go to the registry's admin\n"
     "  socket (--admin, default unix:~/.local/share/certreg/\n"
     "  registry.admin.sock) or over TLS with a client certificate\n"
     "  (--admin=HOST:PORT --tls_cert_file=F --tls_key_file=F).\n"
     "Example:\n  certctl backup nightly-2026-11-22"},
    {"scrub", "check every log leaf and certificate record (admin)",
     "certctl scrub [--json] [--timeout_seconds=N] [--admin=...]\n"
     "  The registry hashes every log leaf against its latest checkpoint,\n"
     "  checks its signer, and re-derives every certificate record from its\n"
     "  signed statements. Admin: see certctl help backup.\n"
     "  Exit 0 when nothing is damaged, 1 with each problem listed.\n"
     "Example:\n  certctl scrub --timeout_seconds=600"},
    {"demo-seed", "load the demo bodies and certificates (skipped when loaded)",
     "certctl demo-seed [--keys_dir=DIR] [--operator_key=FILE]\n"
     "Example:\n  certctl demo-seed"},
};

const std::map<std::string, const Help*>& Commands() {
  static const auto* commands = [] {
    auto* by_name = new std::map<std::string, const Help*>;
    for (const Help& help : kHelp) (*by_name)[help.name] = &help;
    return by_name;
  }();
  return *commands;
}

}  // namespace

bool IsCommand(const std::string& command) {
  return Commands().count(command) > 0;
}

std::string GeneralHelp() {
  std::string out =
      "certctl: the command line for certreg (certificate registry and "
      "verifier).\n\n"
      "Usage: certctl COMMAND [ARGS] [--registry=HOST:PORT] [--json]\n\n"
      "Commands:\n";
  for (const auto& [name, help] : Commands()) {
    out += absl::StrCat("  ", name, std::string(15 - name.size(), ' '),
                        help->summary, "\n");
  }
  out +=
      "\n`certctl help COMMAND` or `certctl COMMAND --help` shows a "
      "command's flags and an example.\n"
      "Over TLS: --tls (the system's CAs), --tls_ca_file=CA.pem, "
      "--tls_server_name=NAME.\n"
      "Exit codes: 0 success, 1 check failed (e.g. verification FAIL, not "
      "found, refused), 2 usage or connection error.";
  return out;
}

std::string CommandHelp(const std::string& command) {
  auto it = Commands().find(command);
  if (it == Commands().end()) return GeneralHelp();
  return absl::StrCat(it->second->summary, "\n\nUsage: ", it->second->usage,
                      "\n\nCommon flags: --registry=HOST:PORT (default "
                      "127.0.0.1:50051) --timeout_seconds=N --json");
}

}  // namespace certreg
