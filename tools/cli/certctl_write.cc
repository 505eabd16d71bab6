#include "tools/cli/certctl_write.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "certreg/v1/log.pb.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_events.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_issue.h"
#include "tools/cli/certctl_statements.h"
#include "verifier/crypto/key_files.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

ABSL_FLAG(std::string, approval, "",
          "accredit/rotate-key/retire-key: the body's approval number.");
ABSL_FLAG(std::string, name, "",
          "accredit: the body's name; change-holder: the holder's new "
          "registered name.");
ABSL_FLAG(std::string, public_key, "",
          "accredit/rotate-key/retire-key: a public key file.");
ABSL_FLAG(std::string, key_id, "", "retire-key: the key id (hex).");
ABSL_FLAG(std::string, valid_from, "", "accredit: first day accredited.");
ABSL_FLAG(std::string, valid_until, "", "accredit: last day accredited.");
ABSL_FLAG(std::string, file, "",
          "issue: a certreg.v1.Certificate in the API's JSON form; "
          "publish-rules: a certreg.v1.SchemeRules in that form.");
ABSL_FLAG(std::string, number, "", "issue: the certificate number.");
ABSL_FLAG(std::string, item_code, "", "issue: item code, e.g. A01.");
ABSL_FLAG(std::string, item_name, "", "issue: item name.");
ABSL_FLAG(std::string, first_issue_date, "",
          "issue: first issue date (default --issue_date).");
ABSL_FLAG(std::string, issue_date, "", "issue: issue date.");
ABSL_FLAG(std::string, expiry_date, "", "issue: expiry date.");
ABSL_FLAG(std::string, body_name, "", "issue: the body's accredited name.");
ABSL_FLAG(std::string, score, "", "issue/renew: GB/T 27922 score.");
ABSL_FLAG(int, deductions, 0, "issue/renew: GB/T 27922 special deductions.");
ABSL_FLAG(std::string, stars, "",
          "issue/renew: claimed GB/T 27922 star level: 达标级 (compliant), "
          "三星级 (3), 四星级 (4) or 五星级 (5).");
ABSL_FLAG(std::string, note, "", "surveil/reinstate: a note.");
ABSL_FLAG(std::string, reason, "", "suspend/revoke/withdraw: the reason.");
ABSL_FLAG(std::string, new_issue_date, "", "renew: the new issue date.");
ABSL_FLAG(std::string, new_expiry_date, "", "renew: the new expiry date.");
ABSL_FLAG(std::string, site, "",
          "change-holder/change-scope: a covered site as \"name|address\"; "
          "give --site once per site (or ';'-separated entries). The sites "
          "given replace the whole list; without --site it stays.");
ABSL_FLAG(std::optional<int64_t>, rules_version, std::nullopt,
          "publish-rules: the version to publish (default: the file's "
          "version, else the version in force + 1).");
ABSL_FLAG(bool, print_default, false,
          "publish-rules: print the built-in rules (version 1) as JSON, a "
          "template for --file, and publish nothing.");

namespace certreg {
namespace {

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Dates the operator's `statement` (--date), signs it with the operator's
// key and submits it.
int WithOperatorKey(const std::string& command, v1::Statement statement) {
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, date.status().message());
  *statement.mutable_date() = *date;
  absl::StatusOr<Ed25519PrivateKey> key = OperatorKey();
  if (!key.ok()) return Fail(key.status());
  return SignAndSubmit(statement, *key);
}

}  // namespace

int AccreditCommand(const Args& args) {
  if (!args.empty()) return Usage("accredit", "takes flags only");
  absl::StatusOr<Ed25519PublicKey> body_key =
      ReadPublicKey(absl::GetFlag(FLAGS_public_key));
  if (absl::GetFlag(FLAGS_public_key).empty()) {
    return Usage("accredit", "--public_key: is required");
  }
  if (!body_key.ok()) return Fail(body_key.status());
  absl::StatusOr<v1::Statement> statement = AccreditStatement(
      absl::GetFlag(FLAGS_approval), absl::GetFlag(FLAGS_name), body_key->raw(),
      absl::GetFlag(FLAGS_valid_from), absl::GetFlag(FLAGS_valid_until));
  if (!statement.ok()) return Usage("accredit", statement.status().message());
  return WithOperatorKey("accredit", *std::move(statement));
}

int RotateKeyCommand(const Args& args) {
  if (!args.empty()) return Usage("rotate-key", "takes flags only");
  if (absl::GetFlag(FLAGS_public_key).empty()) {
    return Usage("rotate-key", "--public_key: is required");
  }
  absl::StatusOr<Ed25519PublicKey> key =
      ReadPublicKey(absl::GetFlag(FLAGS_public_key));
  if (!key.ok()) return Fail(key.status());
  v1::Statement statement;
  statement.mutable_rotate_body_key()->set_approval_number(
      absl::GetFlag(FLAGS_approval));
  statement.mutable_rotate_body_key()->set_new_public_key(key->raw());
  return WithOperatorKey("rotate-key", statement);
}

int RetireKeyCommand(const Args& args) {
  if (!args.empty()) return Usage("retire-key", "takes flags only");
  std::string key_id;
  if (!absl::GetFlag(FLAGS_key_id).empty()) {
    absl::StatusOr<std::string> parsed =
        FromHex(absl::GetFlag(FLAGS_key_id), "--key_id");
    if (!parsed.ok()) return Usage("retire-key", parsed.status().message());
    key_id = *parsed;
  } else if (!absl::GetFlag(FLAGS_public_key).empty()) {
    absl::StatusOr<Ed25519PublicKey> key =
        ReadPublicKey(absl::GetFlag(FLAGS_public_key));
    if (!key.ok()) return Fail(key.status());
    key_id = key->key_id();
  } else {
    return Usage("retire-key", "give --key_id or --public_key");
  }
  v1::Statement statement;
  statement.mutable_retire_body_key()->set_approval_number(
      absl::GetFlag(FLAGS_approval));
  statement.mutable_retire_body_key()->set_key_id(key_id);
  return WithOperatorKey("retire-key", statement);
}

namespace {

// The version of the scheme rules in force. Every status the registry
// computes names it, so the first certificate a search lists says it. A
// registry that lists no certificate has logged only the operator's
// statements: the latest rules statement among them says it (none: the
// built-in version 1).
absl::StatusOr<uint32_t> RulesVersionInForce() {
  std::unique_ptr<RegistryClient> client = Client();
  v1::SearchCertificatesRequest request;
  request.set_page_size(1);
  absl::StatusOr<v1::SearchCertificatesResponse> response =
      client->SearchCertificates(request);
  if (!response.ok()) return response.status();
  uint32_t version = DefaultSchemeRules().version();
  if (!response->certificates().empty()) {
    return std::max(version,
                    response->certificates(0).status().rules_version());
  }
  absl::StatusOr<v1::SignedCheckpoint> signed_checkpoint =
      client->GetCheckpoint();
  if (!signed_checkpoint.ok()) return signed_checkpoint.status();
  v1::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(signed_checkpoint->checkpoint())) {
    return absl::DataLossError("the registry's checkpoint does not parse");
  }
  constexpr uint64_t kEntriesPerCall = 1000;
  for (uint64_t start = 0; start < checkpoint.tree_size();
       start += kEntriesPerCall) {
    absl::StatusOr<v1::GetEntriesResponse> entries = client->GetEntries(
        start, std::min(start + kEntriesPerCall, checkpoint.tree_size()));
    if (!entries.ok()) return entries.status();
    for (const v1::LogEntry& entry : entries->entries()) {
      v1::Statement statement;
      if (statement.ParseFromString(entry.signed_statement().statement()) &&
          statement.has_publish_rules()) {
        version = std::max(version, statement.publish_rules().version());
      }
    }
  }
  return version;
}

// The rules --file holds; the built-in rules, unnumbered, without it.
absl::StatusOr<v1::SchemeRules> RulesToPublish(const std::string& file) {
  if (file.empty()) {
    v1::SchemeRules rules = DefaultSchemeRules();
    rules.clear_version();  // numbered by RulesVersionToPublish
    return rules;
  }
  absl::StatusOr<std::string> json = ReadTextFile(file);
  if (!json.ok()) return json.status();
  return SchemeRulesFromJson(*json, file);
}

}  // namespace

int PublishRulesCommand(const Args& args) {
  const std::string command = "publish-rules";
  if (!args.empty()) return Usage(command, "takes flags only");
  if (absl::GetFlag(FLAGS_print_default)) {
    std::cout << SchemeRulesToJson(DefaultSchemeRules());
    return kExitOk;
  }
  const std::string file = absl::GetFlag(FLAGS_file);
  absl::StatusOr<v1::SchemeRules> rules = RulesToPublish(file);
  if (!rules.ok()) return Fail(rules.status());
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, date.status().message());
  absl::StatusOr<Ed25519PrivateKey> key = OperatorKey();
  if (!key.ok()) return Fail(key.status());
  absl::StatusOr<uint32_t> version = RulesVersionToPublish(
      *rules, absl::GetFlag(FLAGS_rules_version), RulesVersionInForce);
  if (!version.ok()) {
    if (absl::IsInvalidArgument(version.status())) {
      return Usage(command, version.status().message());
    }
    return Fail(version.status());
  }
  absl::StatusOr<v1::Statement> statement =
      PublishRulesStatement(*std::move(rules), *version, *date);
  if (!statement.ok()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(file.empty() ? "the built-in rules" : file, ": ",
                     statement.status().message())));
  }
  const int code = SignAndSubmit(*statement, *key);
  if (code == kExitOk && !absl::GetFlag(FLAGS_json)) {
    std::cout << "scheme rules version " << *version
              << " now apply to every certificate and date\n";
  }
  return code;
}

namespace {

GradeFlags GradeOfFlags() {
  GradeFlags grade;
  grade.score = absl::GetFlag(FLAGS_score);
  grade.deductions = absl::GetFlag(FLAGS_deductions);
  grade.stars = absl::GetFlag(FLAGS_stars);
  return grade;
}

// The certificate --file holds, else the one issue's flags describe.
absl::StatusOr<v1::Certificate> CertificateToIssue() {
  const std::string file = absl::GetFlag(FLAGS_file);
  if (!file.empty()) {
    absl::StatusOr<std::string> json = ReadTextFile(file);
    if (!json.ok()) return json.status();
    return CertificateFromJson(*json, file);
  }
  IssueFlags flags;
  flags.number = absl::GetFlag(FLAGS_number);
  flags.type = absl::GetFlag(FLAGS_type);
  flags.item_code = absl::GetFlag(FLAGS_item_code);
  flags.item_name = absl::GetFlag(FLAGS_item_name);
  flags.basis = absl::GetFlag(FLAGS_basis);
  flags.holder = absl::GetFlag(FLAGS_holder);
  flags.credit_code = absl::GetFlag(FLAGS_credit_code);
  flags.address = absl::GetFlag(FLAGS_address);
  flags.scope = absl::GetFlag(FLAGS_scope);
  flags.first_issue_date = absl::GetFlag(FLAGS_first_issue_date);
  flags.issue_date = absl::GetFlag(FLAGS_issue_date);
  flags.expiry_date = absl::GetFlag(FLAGS_expiry_date);
  flags.body = absl::GetFlag(FLAGS_body);
  flags.body_name = absl::GetFlag(FLAGS_body_name);
  flags.grade = GradeOfFlags();
  return CertificateFromFlags(flags);
}

EventFlags EventOfFlags() {
  EventFlags flags;
  flags.note = absl::GetFlag(FLAGS_note);
  flags.reason = absl::GetFlag(FLAGS_reason);
  flags.new_issue_date = absl::GetFlag(FLAGS_new_issue_date);
  flags.new_expiry_date = absl::GetFlag(FLAGS_new_expiry_date);
  flags.grade = GradeOfFlags();
  flags.scope = absl::GetFlag(FLAGS_scope);
  flags.name = absl::GetFlag(FLAGS_name);
  flags.address = absl::GetFlag(FLAGS_address);
  flags.sites = SiteFlagValues();
  return flags;
}

// The head of a certificate's chain, from the registry.
absl::StatusOr<std::string> HeadOf(const std::string& number) {
  v1::GetCertificateRequest request;
  request.set_number(number);
  request.set_view(v1::CERTIFICATE_VIEW_BASIC);
  absl::StatusOr<v1::GetCertificateResponse> response =
      Client()->GetCertificate(request);
  if (!response.ok()) return response.status();
  return response->head_event_hash();
}

// A body's event `command` on the certificate NUMBER in `args`.
int EventCommand(const std::string& command, const Args& args) {
  if (args.size() != 1) return Usage(command, "give one certificate number");
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, date.status().message());
  absl::StatusOr<v1::Statement> statement =
      EventStatement(command, args[0], *date, EventOfFlags());
  if (!statement.ok()) return Usage(command, statement.status().message());
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  if (!key.ok()) return Fail(key.status());
  // certctl names the previous event itself.
  absl::StatusOr<std::string> head = HeadOf(args[0]);
  if (!head.ok()) return Fail(head.status());
  statement->set_previous_event_hash(*head);
  return SignAndSubmit(*statement, *key);
}

}  // namespace

int IssueCommand(const Args& args) {
  if (!args.empty()) return Usage("issue", "takes flags only");
  absl::StatusOr<v1::Certificate> certificate = CertificateToIssue();
  if (!certificate.ok()) {
    return Usage("issue", certificate.status().message());
  }
  // Dated on the certificate's issue date, not the day it is submitted.
  absl::StatusOr<std::optional<v1::Date>> date = GivenStatementDate();
  if (!date.ok()) return Usage("issue", date.status().message());
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(*certificate, *date, TodayInChina());
  if (!statement.ok()) return Usage("issue", statement.status().message());
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  if (!key.ok()) return Fail(key.status());
  return SignAndSubmit(*statement, *key);
}

int SurveilCommand(const Args& args) { return EventCommand("surveil", args); }
int SuspendCommand(const Args& args) { return EventCommand("suspend", args); }
int ReinstateCommand(const Args& args) {
  return EventCommand("reinstate", args);
}
int RevokeCommand(const Args& args) { return EventCommand("revoke", args); }
int WithdrawCommand(const Args& args) { return EventCommand("withdraw", args); }
int RenewCommand(const Args& args) { return EventCommand("renew", args); }
int ChangeScopeCommand(const Args& args) {
  return EventCommand("change-scope", args);
}
int ChangeHolderCommand(const Args& args) {
  return EventCommand("change-holder", args);
}

}  // namespace certreg
