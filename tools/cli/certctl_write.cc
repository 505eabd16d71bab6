// certctl: keys and every signed write (operator and certification bodies).
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "certreg/v1/log.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/certctl_commands.h"
#include "tools/cli/certctl_issue.h"
#include "tools/cli/certctl_statements.h"
#include "tools/common/text_table.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/key_files.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/status_names.h"

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
ABSL_FLAG(std::string, credit_code, "",
          "issue: the holder's unified social credit code.");
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
ABSL_FLAG(std::string, keys_dir, "",
          "import: directory of body keys named APPROVAL.key; demo-seed: "
          "where demo keys live (default CONFIG/demo).");

namespace certreg {
namespace {

absl::StatusOr<v1::Date> DateFlag(const std::string& value,
                                  const std::string& flag) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": is required"));
  }
  return ParseDate(value, "--" + flag);
}

absl::StatusOr<v1::StarLevel> StarsFlag() {
  absl::StatusOr<v1::StarLevel> stars =
      ParseStarLevel(absl::GetFlag(FLAGS_stars));
  if (!stars.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--stars: ", stars.status().message()));
  }
  return *stars;
}

// --score/--deductions/--stars as a grade; nullopt when --score is absent.
absl::StatusOr<std::optional<v1::ServiceGrade>> GradeFlags() {
  std::string score = absl::GetFlag(FLAGS_score);
  if (score.empty()) return std::optional<v1::ServiceGrade>();
  v1::ServiceGrade grade;
  double value = 0;
  if (!absl::SimpleAtod(score, &value)) {
    return absl::InvalidArgumentError("--score: not a number");
  }
  grade.set_score(value);
  if (absl::GetFlag(FLAGS_deductions) < 0) {
    return absl::InvalidArgumentError("--deductions: must be 0 or more");
  }
  grade.set_special_deductions(absl::GetFlag(FLAGS_deductions));
  absl::StatusOr<v1::StarLevel> stars = StarsFlag();
  if (!stars.ok()) return stars.status();
  grade.set_star_level(*stars);
  return std::optional<v1::ServiceGrade>(grade);
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

int WithOperatorKey(const std::string& command, v1::Statement statement) {
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, std::string(date.status().message()));
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
  absl::StatusOr<v1::Date> from =
      DateFlag(absl::GetFlag(FLAGS_valid_from), "valid_from");
  absl::StatusOr<v1::Date> until =
      DateFlag(absl::GetFlag(FLAGS_valid_until), "valid_until");
  for (const absl::Status& s : {from.status(), until.status()}) {
    if (!s.ok()) return Usage("accredit", std::string(s.message()));
  }
  v1::Statement statement;
  v1::AccreditBody* accredit = statement.mutable_accredit_body();
  accredit->set_approval_number(absl::GetFlag(FLAGS_approval));
  accredit->set_name(absl::GetFlag(FLAGS_name));
  accredit->set_public_key(body_key->raw());
  *accredit->mutable_valid_from() = *from;
  *accredit->mutable_valid_until() = *until;
  return WithOperatorKey("accredit", statement);
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
    if (!parsed.ok())
      return Usage("retire-key", std::string(parsed.status().message()));
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

absl::StatusOr<v1::Certificate> CertificateFromFlags() {
  v1::Certificate c;
  std::string file = absl::GetFlag(FLAGS_file);
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", file));
    std::stringstream json;
    json << in.rdbuf();
    auto status = google::protobuf::util::JsonStringToMessage(json.str(), &c);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": not a certreg.v1.Certificate in JSON form: ",
                       std::string(status.message())));
    }
    return c;
  }
  c.set_number(absl::GetFlag(FLAGS_number));
  std::string type = absl::GetFlag(FLAGS_type);
  v1::CertificationType parsed_type;
  if (!v1::CertificationType_Parse(
          absl::StrCat("CERTIFICATION_TYPE_", absl::AsciiStrToUpper(type)),
          &parsed_type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--type: \"", type, "\" is not management_system, service or product"));
  }
  c.set_type(parsed_type);
  c.mutable_item()->set_code(absl::GetFlag(FLAGS_item_code));
  c.mutable_item()->set_name(absl::GetFlag(FLAGS_item_name));
  for (absl::string_view basis :
       absl::StrSplit(absl::GetFlag(FLAGS_basis), ';', absl::SkipEmpty())) {
    c.add_basis(std::string(absl::StripAsciiWhitespace(basis)));
  }
  c.mutable_holder()->set_name(absl::GetFlag(FLAGS_holder));
  c.mutable_holder()->set_unified_social_credit_code(
      absl::GetFlag(FLAGS_credit_code));
  c.mutable_holder()->set_address(absl::GetFlag(FLAGS_address));
  c.set_scope(absl::GetFlag(FLAGS_scope));
  absl::StatusOr<v1::Date> issue_date =
      DateFlag(absl::GetFlag(FLAGS_issue_date), "issue_date");
  if (!issue_date.ok()) return issue_date.status();
  *c.mutable_issue_date() = *issue_date;
  std::string first = absl::GetFlag(FLAGS_first_issue_date);
  absl::StatusOr<v1::Date> first_date =
      first.empty() ? issue_date : DateFlag(first, "first_issue_date");
  if (!first_date.ok()) return first_date.status();
  *c.mutable_first_issue_date() = *first_date;
  absl::StatusOr<v1::Date> expiry =
      DateFlag(absl::GetFlag(FLAGS_expiry_date), "expiry_date");
  if (!expiry.ok()) return expiry.status();
  *c.mutable_expiry_date() = *expiry;
  c.set_body_approval_number(absl::GetFlag(FLAGS_body));
  c.set_body_name(absl::GetFlag(FLAGS_body_name));
  absl::StatusOr<std::optional<v1::ServiceGrade>> grade = GradeFlags();
  if (!grade.ok()) return grade.status();
  if (*grade) *c.mutable_service_grade() = **grade;
  return c;
}

}  // namespace

int IssueCommand(const Args& args) {
  if (!args.empty()) return Usage("issue", "takes flags only");
  absl::StatusOr<v1::Certificate> certificate = CertificateFromFlags();
  if (!certificate.ok()) {
    return Usage("issue", std::string(certificate.status().message()));
  }
  // Dated on the certificate's issue date, not the day it is submitted.
  absl::StatusOr<std::optional<v1::Date>> date = GivenStatementDate();
  if (!date.ok()) return Usage("issue", std::string(date.status().message()));
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(*certificate, *date, TodayInChina());
  if (!statement.ok()) {
    return Usage("issue", std::string(statement.status().message()));
  }
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  if (!key.ok()) return Fail(key.status());
  return SignAndSubmit(*statement, *key);
}

int EventCommand(const std::string& command, const Args& args) {
  if (args.size() != 1) return Usage(command, "give one certificate number");
  v1::Statement statement;
  statement.set_certificate_number(args[0]);
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, std::string(date.status().message()));
  *statement.mutable_date() = *date;
  const std::string reason = absl::GetFlag(FLAGS_reason);
  const std::string note = absl::GetFlag(FLAGS_note);
  if (command == "surveil") {
    statement.mutable_surveillance()->set_note(note);
  } else if (command == "suspend") {
    if (reason.empty()) return Usage(command, "--reason: is required");
    statement.mutable_suspend()->set_reason(reason);
  } else if (command == "reinstate") {
    statement.mutable_reinstate()->set_note(note);
  } else if (command == "revoke") {
    if (reason.empty()) return Usage(command, "--reason: is required");
    statement.mutable_revoke()->set_reason(reason);
  } else if (command == "withdraw") {
    if (reason.empty()) return Usage(command, "--reason: is required");
    statement.mutable_withdraw()->set_reason(reason);
  } else if (command == "renew") {
    absl::StatusOr<v1::Date> issue =
        DateFlag(absl::GetFlag(FLAGS_new_issue_date), "new_issue_date");
    absl::StatusOr<v1::Date> expiry =
        DateFlag(absl::GetFlag(FLAGS_new_expiry_date), "new_expiry_date");
    for (const absl::Status& s : {issue.status(), expiry.status()}) {
      if (!s.ok()) return Usage(command, std::string(s.message()));
    }
    *statement.mutable_renew()->mutable_new_issue_date() = *issue;
    *statement.mutable_renew()->mutable_new_expiry_date() = *expiry;
    absl::StatusOr<std::optional<v1::ServiceGrade>> grade = GradeFlags();
    if (!grade.ok())
      return Usage(command, std::string(grade.status().message()));
    if (*grade) *statement.mutable_renew()->mutable_service_grade() = **grade;
  } else if (command == "change-scope") {
    if (absl::GetFlag(FLAGS_scope).empty()) {
      return Usage(command, "--scope: is required");
    }
    absl::StatusOr<std::vector<v1::Site>> sites =
        ParseSiteFlags(SiteFlagValues());
    if (!sites.ok()) {
      return Usage(command, std::string(sites.status().message()));
    }
    v1::ChangeScope* change = statement.mutable_change_scope();
    change->set_new_scope(absl::GetFlag(FLAGS_scope));
    for (v1::Site& site : *sites) *change->add_new_sites() = std::move(site);
  } else if (command == "change-holder") {
    absl::StatusOr<v1::ChangeHolder> change =
        ChangeHolderFromFlags(absl::GetFlag(FLAGS_name),
                              absl::GetFlag(FLAGS_address), SiteFlagValues());
    if (!change.ok()) {
      return Usage(command, std::string(change.status().message()));
    }
    *statement.mutable_change_holder() = *std::move(change);
  } else {
    return Usage(command, "unknown event");
  }
  absl::StatusOr<Ed25519PrivateKey> key = BodyKey();
  if (!key.ok()) return Fail(key.status());
  // certctl names the previous event itself.
  absl::StatusOr<std::string> head = HeadOf(args[0]);
  if (!head.ok()) return Fail(head.status());
  statement.set_previous_event_hash(*head);
  return SignAndSubmit(statement, *key);
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

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int PublishRulesCommand(const Args& args) {
  const std::string command = "publish-rules";
  if (!args.empty()) return Usage(command, "takes flags only");
  if (absl::GetFlag(FLAGS_print_default)) {
    std::cout << SchemeRulesToJson(DefaultSchemeRules());
    return kExitOk;
  }
  v1::SchemeRules rules;
  const std::string file = absl::GetFlag(FLAGS_file);
  if (file.empty()) {
    rules = DefaultSchemeRules();
    rules.clear_version();  // numbered below
  } else {
    absl::StatusOr<std::string> json = ReadTextFile(file);
    if (!json.ok()) return Fail(json.status());
    absl::StatusOr<v1::SchemeRules> parsed = SchemeRulesFromJson(*json, file);
    if (!parsed.ok()) return Fail(parsed.status());
    rules = *std::move(parsed);
  }
  absl::StatusOr<v1::Date> date = StatementDate();
  if (!date.ok()) return Usage(command, std::string(date.status().message()));
  absl::StatusOr<Ed25519PrivateKey> key = OperatorKey();
  if (!key.ok()) return Fail(key.status());
  absl::StatusOr<uint32_t> version = RulesVersionToPublish(
      rules, absl::GetFlag(FLAGS_rules_version), RulesVersionInForce);
  if (!version.ok()) {
    if (absl::IsInvalidArgument(version.status())) {
      return Usage(command, std::string(version.status().message()));
    }
    return Fail(version.status());
  }
  absl::StatusOr<v1::Statement> statement =
      PublishRulesStatement(rules, *version, *date);
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

}  // namespace

int DemoSeedCommand(const Args& args) {
  if (!args.empty()) return Usage("demo-seed", "takes no arguments");
  std::string keys_dir = absl::GetFlag(FLAGS_keys_dir);
  if (keys_dir.empty()) keys_dir = ConfigPath("demo");
  std::unique_ptr<RegistryClient> client = Client();
  v1::GetCertificateRequest probe;
  probe.set_number(kDemoProbeNumber);
  probe.set_view(v1::CERTIFICATE_VIEW_BASIC);
  absl::StatusOr<v1::GetCertificateResponse> existing =
      client->GetCertificate(probe);
  if (existing.ok()) {
    std::cout << "demo data already loaded\n";
    return kExitOk;
  }
  if (!absl::IsNotFound(existing.status())) return Fail(existing.status());
  absl::StatusOr<Ed25519PrivateKey> operator_key = OperatorKey();
  if (!operator_key.ok()) return Fail(operator_key.status());
  absl::StatusOr<std::vector<Ed25519PrivateKey>> body_keys =
      DemoBodyKeys(keys_dir);
  if (!body_keys.ok()) return Fail(body_keys.status());
  absl::StatusOr<std::vector<DemoCertificate>> seeded =
      SeedDemo(*operator_key, *body_keys, TodayInChina(),
               [&client](v1::StatementKind kind, const v1::SignedStatement& s) {
                 return client->Submit(kind, s);
               });
  if (!seeded.ok()) return Fail(seeded.status());
  TextTable table({"证书编号 number", "获证组织 holder", "story"});
  for (const DemoCertificate& c : *seeded) {
    table.AddRow({c.number, c.holder_name, c.story});
  }
  std::cout << "demo data loaded (body keys in " << keys_dir << "):\n";
  table.Print(std::cout);
  return kExitOk;
}

}  // namespace certreg
