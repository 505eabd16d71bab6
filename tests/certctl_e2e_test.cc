// End to end: the certctl binary against a real registry process on
// loopback, as certification bodies, the operator and customers use it.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/certctl_fixture.h"
#include "tests/child_process.h"
#include "verifier/grpc/registry_client.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

TEST_F(CertctlTest, LifecycleFromKeyGenerationToRevocation) {
  // Keys: mode 0600, never overwritten.
  AccreditBody("CNCA-R-2002-901", "华信质量认证中心有限公司");
  struct stat st;
  ASSERT_EQ(stat((dir_ + "/CNCA-R-2002-901.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  CommandResult again = Certctl({"keygen", dir_ + "/CNCA-R-2002-901"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(again.err, "already exists")) << again.err;
  CommandResult key_id = Certctl({"key-id", dir_ + "/CNCA-R-2002-901.pub"});
  EXPECT_EQ(key_id.exit_code, 0);
  EXPECT_EQ(key_id.out.size(), 65u);

  const std::string key = "--key=" + dir_ + "/CNCA-R-2002-901.key";
  const absl::CivilDay today = TodayInChina();
  auto day = [&](int delta) { return FormatDate(ToProtoDate(today + delta)); };
  CommandResult issue = Certctl(
      {"issue", key, "--number=90126Q55501R0M", "--type=management_system",
       "--item_code=A01", "--item_name=质量管理体系认证（ISO 9001）",
       "--basis=GB/T 19001-2016/ISO 9001:2015",
       "--holder=青岛命令行电器有限公司", "--credit_code=91350100M000100Y43",
       "--address=山东省青岛市崂山区", "--scope=家用电器的生产",
       "--issue_date=" + day(-200), "--expiry_date=" + day(800),
       "--body=CNCA-R-2002-901", "--body_name=华信质量认证中心有限公司",
       "--date=" + day(-200)});
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  EXPECT_TRUE(absl::StrContains(issue.out, "issue accepted")) << issue.out;

  for (const std::vector<std::string>& event :
       std::vector<std::vector<std::string>>{
           {"surveil", "90126Q55501R0M", "--date=" + day(-100),
            "--note=监督审核"},
           {"suspend", "90126Q55501R0M", "--date=" + day(-50), "--reason=整改"},
           {"reinstate", "90126Q55501R0M", "--date=" + day(-40)},
           {"change-scope", "90126Q55501R0M", "--date=" + day(-30),
            "--scope=家用电器的设计和生产"},
           {"renew", "90126Q55501R0M", "--date=" + day(-20),
            "--new_issue_date=" + day(-20), "--new_expiry_date=" + day(1000)},
           {"revoke", "90126Q55501R0M", "--reason=违规使用证书"}}) {
    std::vector<std::string> args = event;
    args.push_back(key);
    CommandResult result = Certctl(args);
    EXPECT_EQ(result.exit_code, 0) << event[0] << ": " << result.err;
  }
  CommandResult get = Certctl({"get", "90126Q55501R0M"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_TRUE(absl::StrContains(get.out, "撤销 revoked")) << get.out;
  EXPECT_TRUE(absl::StrContains(get.out, "家用电器的设计和生产"));
  EXPECT_TRUE(absl::StrContains(get.out, "暂停 suspended: 整改"));
  CommandResult during =
      Certctl({"get", "90126Q55501R0M", "--as_of=" + day(-45)});
  EXPECT_TRUE(absl::StrContains(during.out, "暂停 suspended (as of"));
  CommandResult json = Certctl({"get", "90126Q55501R0M", "--json"});
  EXPECT_TRUE(absl::StrContains(json.out, "\"CERTIFICATE_STATUS_REVOKED\""));
  // The JSON has every statement as signed.
  EXPECT_TRUE(absl::StrContains(json.out, "\"signed_statement\"")) << json.out;

  // Refusals: an illegal transition (1), a malformed field (2), nothing
  // there (1), a registry that is not there (2) -- each with a message.
  CommandResult illegal = Certctl({"reinstate", "90126Q55501R0M", key});
  EXPECT_EQ(illegal.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(illegal.err, "revoked")) << illegal.err;
  CommandResult bad_date =
      Certctl({"get", "90126Q55501R0M", "--as_of=2026-02-30"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(bad_date.err, "--as_of"));
  EXPECT_EQ(Certctl({"get", "99999Q99999R9M"}).exit_code, 1);
  CommandResult unreachable =
      RunCommand(RunfilesBinary("tools/certctl"),
                 {"get", "90126Q55501R0M", "--registry=127.0.0.1:1",
                  "--timeout_seconds=2"});
  EXPECT_EQ(unreachable.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(unreachable.err, "unreachable"));
  CommandResult unknown = Certctl({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  CommandResult help =
      RunCommand(RunfilesBinary("tools/certctl"), {"suspend", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(help.out, "Example:"));

  // Verification through the verifier library, online: revoked now, valid
  // before the suspension.
  CommandResult verify =
      Certctl({"verify", "90126Q55501R0M", "--holder=青岛命令行电器有限公司"});
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_TRUE(absl::StrContains(verify.out, "FAIL"));
  CommandResult verify_before = Certctl(
      {"verify", "90126Q55501R0M", "--holder=青岛命令行电器有限公司",
       "--scope=家用电器", "--basis=GB/T 19001", "--as_of=" + day(-60)});
  EXPECT_EQ(verify_before.exit_code, 0)
      << verify_before.out << verify_before.err;
  EXPECT_TRUE(absl::StrContains(verify_before.out, "checkpoint_signature"));

  // Pinning the registry's keys: written once, never replaced by others.
  CommandResult pins =
      Certctl({"registry-keys", "--out_dir=" + dir_ + "/pins"});
  ASSERT_EQ(pins.exit_code, 0) << pins.err;
  EXPECT_EQ(ReadAll(dir_ + "/pins/log.pub"), ReadAll(config_ + "/log.pub"));
  EXPECT_EQ(Certctl({"registry-keys", "--out_dir=" + dir_ + "/pins"}).exit_code,
            0);
  std::filesystem::copy_file(dir_ + "/CNCA-R-2002-901.pub",
                             dir_ + "/pins/log.pub",
                             std::filesystem::copy_options::overwrite_existing);
  CommandResult replaced =
      Certctl({"registry-keys", "--out_dir=" + dir_ + "/pins"});
  EXPECT_EQ(replaced.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(replaced.err, "another key")) << replaced.err;

  CommandResult search = Certctl({"search", "命令行"});
  EXPECT_EQ(search.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(search.out, "90126Q55501R0M"));
  CommandResult bodies = Certctl({"bodies"});
  EXPECT_TRUE(absl::StrContains(bodies.out, "CNCA-R-2002-901"));
}

TEST_F(CertctlTest, KeyRotationJsonIssueWithdrawSearchPagingAndUsage) {
  AccreditBody("CNCA-R-2002-902", "华东认证有限公司");
  const std::string old_key = "--key=" + dir_ + "/CNCA-R-2002-902.key";
  const absl::CivilDay today = TodayInChina();
  auto day = [&](int delta) { return FormatDate(ToProtoDate(today + delta)); };
  auto date_json = [](absl::CivilDay d) {
    return absl::StrCat("{\"year\": ", d.year(), ", \"month\": ", d.month(),
                        ", \"day\": ", d.day(), "}");
  };
  // Three certificates from JSON files (the API's JSON form).
  const std::vector<std::string> numbers = {"90226Q55601R0M", "90226Q55602R0M",
                                            "90226Q55603R0M"};
  for (size_t i = 0; i < numbers.size(); ++i) {
    const std::string path = dir_ + "/" + numbers[i] + ".json";
    std::ofstream(path) << absl::StrCat(
        "{\"number\": \"", numbers[i], "\",\n",
        " \"type\": \"CERTIFICATION_TYPE_MANAGEMENT_SYSTEM\",\n",
        " \"item\": {\"code\": \"A01\", \"name\": \"质量管理体系认证\"},\n",
        " \"basis\": [\"GB/T 19001-2016/ISO 9001:2015\"],\n",
        " \"holder\": {\"name\": \"苏州页码电子有限公司第", i + 1, "分厂\",\n",
        "   \"unifiedSocialCreditCode\": \"91350100M000100Y43\",\n",
        "   \"address\": \"江苏省苏州市工业园区\"},\n",
        " \"scope\": \"电子元件的生产\",\n",
        " \"firstIssueDate\": ", date_json(today - 30), ",\n",
        " \"issueDate\": ", date_json(today - 30), ",\n",
        " \"expiryDate\": ", date_json(today + 1000), ",\n",
        " \"bodyApprovalNumber\": \"CNCA-R-2002-902\",\n",
        " \"bodyName\": \"华东认证有限公司\"}\n");
    CommandResult issue =
        Certctl({"issue", old_key, "--file=" + path, "--date=" + day(-30)});
    ASSERT_EQ(issue.exit_code, 0) << issue.err;
  }
  CommandResult bad_json =
      Certctl({"issue", old_key, "--file=" + dir_ + "/missing.json",
               "--date=" + day(0)});
  EXPECT_EQ(bad_json.exit_code, 2) << bad_json.err;

  // The operator rotates the body to a new key and retires the old one.
  ASSERT_EQ(Certctl({"keygen", dir_ + "/new"}).exit_code, 0);
  CommandResult rotate =
      Certctl({"rotate-key", "--approval=CNCA-R-2002-902",
               "--public_key=" + dir_ + "/new.pub", "--date=" + day(-2)});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  CommandResult retire = Certctl(
      {"retire-key", "--approval=CNCA-R-2002-902",
       "--public_key=" + dir_ + "/CNCA-R-2002-902.pub", "--date=" + day(-1)});
  ASSERT_EQ(retire.exit_code, 0) << retire.err;
  CommandResult bodies = Certctl({"bodies", "--json"});
  ASSERT_EQ(bodies.exit_code, 0) << bodies.err;
  EXPECT_TRUE(absl::StrContains(bodies.out, "KEY_STATE_RETIRED")) << bodies.out;
  EXPECT_TRUE(absl::StrContains(bodies.out, "KEY_STATE_ACTIVE"));

  // The retired key can no longer sign, not even dated back; the new can.
  CommandResult refused =
      Certctl({"withdraw", numbers[0], old_key, "--reason=企业申请注销",
               "--date=" + day(0)});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(refused.err, "retired")) << refused.err;
  CommandResult backdated =
      Certctl({"withdraw", numbers[0], old_key, "--reason=企业申请注销",
               "--date=" + day(-5)});
  EXPECT_EQ(backdated.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(backdated.err, "retired")) << backdated.err;
  CommandResult withdraw =
      Certctl({"withdraw", numbers[0], "--key=" + dir_ + "/new.key",
               "--reason=企业申请注销", "--date=" + day(0)});
  ASSERT_EQ(withdraw.exit_code, 0) << withdraw.err;
  CommandResult get = Certctl({"get", numbers[0]});
  EXPECT_TRUE(absl::StrContains(get.out, "注销 withdrawn")) << get.out;

  // Several numbers at once: each found one printed in the order given,
  // the unknown one named on standard error and in the exit code.
  CommandResult several =
      Certctl({"get", numbers[1], "99999Q99999R9M", numbers[0]});
  EXPECT_EQ(several.exit_code, 1);
  const size_t second = several.out.find(numbers[1]);
  const size_t first = several.out.find(numbers[0]);
  ASSERT_NE(second, std::string::npos) << several.out;
  ASSERT_NE(first, std::string::npos) << several.out;
  EXPECT_LT(second, first);
  EXPECT_TRUE(absl::StrContains(several.out, "注销 withdrawn")) << several.out;
  EXPECT_FALSE(absl::StrContains(several.out, "99999Q99999R9M"));
  EXPECT_TRUE(absl::StrContains(several.err, "99999Q99999R9M is not in"))
      << several.err;
  CommandResult malformed = Certctl({"get", numbers[0], "bad", "--json"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(malformed.err, "bad")) << malformed.err;
  EXPECT_TRUE(absl::StrContains(malformed.out, "\"signed_statement\""))
      << malformed.out;

  // Search: a status filter, then pages of one that together list all.
  CommandResult withdrawn =
      Certctl({"search", "页码电子", "--status=withdrawn", "--json"});
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.err;
  EXPECT_TRUE(absl::StrContains(withdrawn.out, numbers[0]));
  EXPECT_FALSE(absl::StrContains(withdrawn.out, numbers[1]));
  std::string token;
  std::set<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    std::vector<std::string> args = {"search", "页码电子", "--page_size=1"};
    if (!token.empty()) args.push_back("--page_token=" + token);
    CommandResult result = Certctl(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (const std::string& number : numbers) {
      if (absl::StrContains(result.out, number)) seen.insert(number);
    }
    size_t more = result.out.find("--page_token=");
    if (more == std::string::npos) break;
    token = std::string(absl::StripAsciiWhitespace(
        result.out.substr(more + std::string("--page_token=").size())));
  }
  EXPECT_EQ(seen.size(), numbers.size());

  // Usage errors exit with 2 and say what was wrong.
  CommandResult unknown_flag = Certctl({"get", numbers[1], "--no_such_flag=1"});
  EXPECT_EQ(unknown_flag.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(unknown_flag.err, "--no_such_flag"))
      << unknown_flag.err;
  CommandResult bad_number = Certctl({"search", "页码", "--page_size=many"});
  EXPECT_EQ(bad_number.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(bad_number.err, "--page_size"))
      << bad_number.err;
  CommandResult missing_value =
      RunCommand(RunfilesBinary("tools/certctl"), {"get", "--as_of"});
  EXPECT_EQ(missing_value.exit_code, 2);
}

TEST_F(CertctlTest, OfflineBundleVerification) {
  ASSERT_EQ(Certctl({"demo-seed"}).exit_code, 0);
  const std::string bundle = dir_ + "/yunfan.bundle";
  CommandResult fetched =
      Certctl({"bundle", "90224S00317R0L", "--out=" + bundle});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  registry_->Stop(SIGTERM);  // offline from here on

  auto verify = [&](const std::string& path, const std::string& stars) {
    return RunCommand(
        RunfilesBinary("tools/certctl"),
        {"verify", "--bundle=" + path, "--holder=杭州云帆家电服务有限公司",
         "--min_stars=" + stars, "--scope=售后服务"});
  };
  CommandResult pass = verify(bundle, "4");
  EXPECT_EQ(pass.exit_code, 0) << pass.out << pass.err;
  EXPECT_TRUE(absl::StrContains(pass.out, "verdict: PASS")) << pass.out;
  CommandResult five = verify(bundle, "5");
  EXPECT_EQ(five.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(five.out, "star_level"));

  // The same bundle as JSON, as the web page's download link gives it.
  v1::VerificationBundle parsed;
  ASSERT_TRUE(parsed.ParseFromString(ReadAll(bundle)));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(parsed, &json).ok());
  std::ofstream(dir_ + "/yunfan.json") << json;
  CommandResult from_json = verify(dir_ + "/yunfan.json", "4");
  EXPECT_EQ(from_json.exit_code, 0) << from_json.out << from_json.err;
  std::ofstream(dir_ + "/broken.json") << json.substr(0, json.size() / 2);
  CommandResult broken = verify(dir_ + "/broken.json", "4");
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(broken.err, "binary or JSON")) << broken.err;

  std::string bytes = ReadAll(bundle);
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(dir_ + "/tampered.bundle", std::ios::binary) << bytes;
  CommandResult tampered = verify(dir_ + "/tampered.bundle", "4");
  EXPECT_NE(tampered.exit_code, 0);
  EXPECT_FALSE(absl::StrContains(tampered.out, "verdict: PASS"));
}

int CountRows(const std::string& csv) {
  int rows = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    rows += !line.empty();
  }
  return rows - 1;
}

TEST_F(CertctlTest, ImportResumesAfterKillAndReportsBadRows) {
  const std::string keys = dir_ + "/keys";
  const std::string csv = dir_ + "/generated.csv";
  ASSERT_NO_FATAL_FAILURE(Generate(400, 7));

  // Interrupt a first import half-way with SIGKILL.
  {
    ChildProcess import(RunfilesBinary("tools/certctl"),
                        {"import", csv, "--keys_dir=" + keys, "--accredit",
                         "--parallel=2", "--registry=" + address_});
    RegistryClient client(address_);
    for (int i = 0; i < 600; ++i) {
      auto checkpoint = client.GetCheckpoint();
      v1::Checkpoint head;
      if (checkpoint.ok() && head.ParseFromString(checkpoint->checkpoint()) &&
          head.tree_size() > 150) {
        break;
      }
      usleep(50 * 1000);
    }
    import.Stop(SIGKILL);
  }
  CommandResult rerun =
      Certctl({"import", csv, "--keys_dir=" + keys, "--accredit"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_TRUE(absl::StrContains(rerun.err, "400 rows read")) << rerun.err;
  EXPECT_FALSE(absl::StrContains(rerun.err, " 0 already there")) << rerun.err;
  EXPECT_TRUE(absl::StrContains(rerun.err, "0 failed")) << rerun.err;
  // Idempotent: a third run changes nothing.
  CommandResult third =
      Certctl({"import", csv, "--keys_dir=" + keys, "--accredit"});
  EXPECT_TRUE(absl::StrContains(third.err, "400 already there")) << third.err;

  // Malformed rows: each named with its row and field; the rest imported.
  std::string text = ReadAll(csv);
  std::vector<std::string> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::string bad = lines[0] + "\n" + lines[1] + "\n";
  std::string wrong_date = lines[2];
  size_t at = wrong_date.find(",20");
  ASSERT_NE(at, std::string::npos);
  wrong_date.replace(at + 1, 10, "2026-13-45");
  bad += wrong_date + "\n" + "not,enough,fields\n";
  std::ofstream(dir_ + "/bad.csv") << bad;
  CommandResult with_errors =
      Certctl({"import", dir_ + "/bad.csv", "--keys_dir=" + keys,
               "--errors=" + dir_ + "/errors.txt"});
  EXPECT_EQ(with_errors.exit_code, 1) << with_errors.err;
  std::string report = ReadAll(dir_ + "/errors.txt");
  // Each named by its file line, row and certificate number as written.
  const std::string number = wrong_date.substr(0, wrong_date.find(','));
  EXPECT_TRUE(absl::StrContains(report, "line 3 (row 2, " + number + "): "))
      << report;
  EXPECT_TRUE(absl::StrContains(report,
                                "line 4 (row 3, not): the row has 3 "
                                "fields"))
      << report;
  EXPECT_TRUE(absl::StrContains(with_errors.err, "2 failed"))
      << with_errors.err;
}

TEST_F(CertctlTest, ImportAccreditsBodiesAsTheyAppearAndNamesMissingKeys) {
  const std::string keys = dir_ + "/keys";
  const std::string csv = dir_ + "/generated.csv";
  ASSERT_NO_FATAL_FAILURE(Generate(300, 11));
  // One body's key is missing: its rows fail, every other row is imported.
  std::vector<std::string> lines =
      absl::StrSplit(ReadAll(csv), '\n', absl::SkipEmpty());
  std::map<std::string, int> rows_of_body;  // approval number -> rows
  for (const auto& entry : std::filesystem::directory_iterator(keys)) {
    if (entry.path().extension() != ".key") continue;
    const std::string body = entry.path().stem().string();
    for (size_t i = 1; i < lines.size(); ++i) {
      rows_of_body[body] += absl::StrContains(lines[i], "," + body + ",");
    }
  }
  ASSERT_GE(rows_of_body.size(), 2u);
  const auto& [missing, missing_rows] = *rows_of_body.rbegin();
  ASSERT_TRUE(std::filesystem::remove(keys + "/" + missing + ".key"));

  CommandResult imported =
      Certctl({"import", csv, "--keys_dir=" + keys, "--accredit",
               "--parallel=3", "--errors=" + dir_ + "/errors.txt"});
  EXPECT_EQ(imported.exit_code, 1) << imported.err;
  EXPECT_TRUE(absl::StrContains(
      imported.err, absl::StrCat("300 rows read, ", 300 - missing_rows,
                                 " imported, 0 completed (resumed), 0 already "
                                 "there, ",
                                 missing_rows, " failed")))
      << imported.err;
  for (const auto& [body, rows] : rows_of_body) {
    EXPECT_EQ(absl::StrContains(imported.err, "accredited " + body),
              body != missing)
        << body << ": " << imported.err;
  }
  std::vector<std::string> errors =
      absl::StrSplit(ReadAll(dir_ + "/errors.txt"), '\n', absl::SkipEmpty());
  EXPECT_EQ(static_cast<int>(errors.size()), missing_rows);
  for (const std::string& error : errors) {
    EXPECT_TRUE(absl::StrContains(error, "body_approval_number: no key for " +
                                             missing + " in --keys_dir"))
        << error;
  }
}

TEST_F(CertctlTest, ExportRoundTripAndBackupRestore) {
  const std::string keys = dir_ + "/keys";
  const std::string csv = dir_ + "/generated.csv";
  ASSERT_NO_FATAL_FAILURE(Generate(120, 3));
  CommandResult imported =
      Certctl({"import", csv, "--keys_dir=" + keys, "--accredit"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  CommandResult exported = Certctl({"export", "--out=" + dir_ + "/export.csv"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string first_export = ReadAll(dir_ + "/export.csv");
  EXPECT_EQ(CountRows(first_export), 120);
  CommandResult jsonl = Certctl({"export", "--format=jsonl"});
  EXPECT_EQ(CountRows("header\n" + jsonl.out), 120);

  // Backup online, then restore into a fresh data directory.
  CommandResult backup = Certctl({"backup", "snapshot-1"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/backups/snapshot-1/CURRENT"));
  EXPECT_EQ(Certctl({"backup", "snapshot-1"}).exit_code, 1);  // name taken
  EXPECT_EQ(Certctl({"backup", "../escape"}).exit_code, 2);
  registry_->Stop(SIGTERM);
  std::filesystem::copy(dir_ + "/backups/snapshot-1", dir_ + "/restored",
                        std::filesystem::copy_options::recursive);
  StartRegistry(dir_ + "/restored", 1);
  CommandResult after = Certctl({"export", "--out=" + dir_ + "/restored.csv"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(ReadAll(dir_ + "/restored.csv"), first_export);

  // Round trip into a second, empty registry: same export.
  registry_->Stop(SIGTERM);
  StartRegistry(dir_ + "/second", 2);
  CommandResult reimported = Certctl(
      {"import", dir_ + "/export.csv", "--keys_dir=" + keys, "--accredit"});
  ASSERT_EQ(reimported.exit_code, 0) << reimported.err;
  ASSERT_EQ(Certctl({"export", "--out=" + dir_ + "/second.csv"}).exit_code, 0);
  EXPECT_EQ(ReadAll(dir_ + "/second.csv"), first_export);
}

}  // namespace
}  // namespace certreg
