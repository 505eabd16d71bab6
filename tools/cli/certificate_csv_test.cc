#include "tools/cli/certificate_csv.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Date D(int y, int m, int d) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// A valid credit code with the check character computed.
std::string Code(const std::string& first17) {
  absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(first17);
  EXPECT_TRUE(check.ok()) << check.status();
  return first17 + (check.ok() ? *check : '0');
}

v1::Statement Event(const v1::Certificate& c, v1::Date date) {
  v1::Statement s;
  s.set_certificate_number(c.number());
  *s.mutable_date() = date;
  return s;
}

// A valid QMS certificate with tricky text and every event kind.
CertificateRecord Tricky() {
  CertificateRecord r;
  v1::Certificate& c = r.certificate;
  c.set_number("90123Q21540R1M");
  c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  c.mutable_item()->set_code("A01");
  c.mutable_item()->set_name("质量管理体系认证（ISO 9001）");
  c.add_basis("GB/T 19001-2016/ISO 9001:2015");
  c.add_basis("GB/T 50430-2017, \"工程建设\"");
  c.mutable_holder()->set_name("青岛\"海岳\"电器，股份有限公司, Ltd.");
  c.mutable_holder()->set_unified_social_credit_code(Code("91370200MA3C5XY71"));
  c.mutable_holder()->set_address("山东省青岛市崂山区海岳路18号\n（东门）");
  v1::Site* site = c.mutable_holder()->add_sites();
  site->set_name("第一分厂");
  site->set_address("青岛市黄岛区, 前湾港路1号|A座");
  site = c.mutable_holder()->add_sites();
  site->set_name("“研发中心”");
  site->set_address("青岛市市南区香港中路\r\n8号");
  c.set_scope("家用电冰箱、洗衣机的设计、生产和服务，含“售后”");
  *c.mutable_first_issue_date() = D(2020, 1, 10);
  *c.mutable_issue_date() = D(2023, 1, 10);
  *c.mutable_expiry_date() = D(2026, 1, 9);
  c.set_body_approval_number("CNCA-R-2002-901");
  c.set_body_name("华信质量认证中心有限公司");
  c.set_recertification_count(1);

  v1::Statement s = Event(c, D(2024, 1, 2));
  s.mutable_surveillance()->set_note("审核报告 HX-2024-01, \"通过\"");
  r.events.push_back(s);
  s = Event(c, D(2024, 6, 1));
  s.mutable_suspend()->set_reason("未按期接受监督审核：逾期");
  r.events.push_back(s);
  s = Event(c, D(2024, 7, 1));
  s.mutable_reinstate();  // empty note
  r.events.push_back(s);
  s = Event(c, D(2024, 8, 1));
  s.mutable_change_scope()->set_new_scope("家用电器的设计，生产\n和服务");
  r.events.push_back(s);
  s = Event(c, D(2025, 12, 20));
  *s.mutable_renew()->mutable_new_issue_date() = D(2026, 1, 10);
  *s.mutable_renew()->mutable_new_expiry_date() = D(2029, 1, 9);
  r.events.push_back(s);
  s = Event(c, D(2026, 2, 1));
  s.mutable_withdraw()->set_reason("获证组织申请注销");
  r.events.push_back(s);
  return r;
}

CertificateRecord Service() {
  CertificateRecord r;
  v1::Certificate& c = r.certificate;
  c.set_number("90224S00317R0L");
  c.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  c.mutable_item()->set_code("S03");
  c.mutable_item()->set_name("商品售后服务评价认证");
  c.add_basis("GB/T 27922-2011");
  c.mutable_holder()->set_name("杭州云帆家电服务有限公司");
  c.mutable_holder()->set_unified_social_credit_code(Code("91330100MA2XXXXX0"));
  c.mutable_holder()->set_address("浙江省杭州市西湖区文三路90号");
  c.set_scope("家用电器的安装、维修及售后服务");
  *c.mutable_first_issue_date() = D(2024, 3, 1);
  *c.mutable_issue_date() = D(2024, 3, 1);
  *c.mutable_expiry_date() = D(2027, 2, 28);
  c.set_body_approval_number("CNCA-R-2011-902");
  c.set_body_name("中衡服务认证有限公司");
  c.mutable_service_grade()->set_score(92.5);
  c.mutable_service_grade()->set_special_deductions(1);
  c.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  v1::Statement s = Event(c, D(2025, 2, 1));
  s.mutable_revoke()->set_reason("提供虚假材料");
  r.events.push_back(s);
  return r;
}

// Tricky() without the line breaks the domain rules forbid.
CertificateRecord Valid() {
  CertificateRecord r = Tricky();
  v1::Holder* holder = r.certificate.mutable_holder();
  holder->set_address(absl::StrReplaceAll(holder->address(), {{"\n", ""}}));
  holder->mutable_sites(1)->set_address(
      absl::StrReplaceAll(holder->sites(1).address(), {{"\r\n", ""}}));
  r.events[3].mutable_change_scope()->set_new_scope(
      "家用电器的设计，生产和服务");
  return r;
}

void ExpectSame(const CertificateRecord& want, const CertificateRecord& got) {
  EXPECT_TRUE(MessageDifferencer::Equals(want.certificate, got.certificate))
      << "want " << want.certificate.DebugString() << "\ngot "
      << got.certificate.DebugString();
  ASSERT_EQ(want.events.size(), got.events.size());
  for (size_t i = 0; i < want.events.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(want.events[i], got.events[i]))
        << "event " << i << " want " << want.events[i].DebugString() << "\ngot "
        << got.events[i].DebugString();
  }
}

std::vector<CertificateRecord> ReadAll(const std::string& csv,
                                       std::vector<std::string>* errors) {
  std::istringstream in(csv);
  absl::StatusOr<std::unique_ptr<CertificateCsvReader>> reader =
      CertificateCsvReader::Open(&in);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<CertificateRecord> out;
  if (!reader.ok()) return out;
  for (int guard = 0; guard < 1000; ++guard) {
    absl::StatusOr<std::optional<CertificateRecord>> row = (*reader)->Next();
    if (!row.ok()) {
      // As certctl import reports it: where, then what.
      errors->push_back(absl::StrCat("row ", (*reader)->row_number(), " (line ",
                                     (*reader)->line_number(), ", ",
                                     (*reader)->certificate_number(),
                                     "): ", row.status().message()));
      continue;
    }
    if (!row->has_value()) break;
    out.push_back(**row);
  }
  return out;
}

// The message of `error` (as ReadAll words it) after its "row N (...): "
// prefix; "" when it is not about row `row`.
std::string Message(const std::string& error, int row) {
  const std::string prefix = absl::StrCat("row ", row, " (");
  const size_t end = error.find("): ");
  if (error.rfind(prefix, 0) != 0 || end == std::string::npos) return "";
  return error.substr(end + 3);
}

std::string WriteAll(const std::vector<CertificateRecord>& records) {
  std::ostringstream out;
  CertificateCsvWriter writer(&out);
  writer.WriteHeader();
  for (const CertificateRecord& r : records) writer.Write(r);
  return out.str();
}

TEST(CertificateCsvTest, ColumnsAreTheHeader) {
  std::ostringstream out;
  CertificateCsvWriter(&out).WriteHeader();
  EXPECT_EQ(out.str(), absl::StrJoin(CertificateCsvColumns(), ",") + "\n");
  EXPECT_EQ(CertificateCsvColumns().size(), 20u);
}

TEST(CertificateCsvTest, RoundTripsTrickyRecords) {
  CertificateRecord renewed = Service();
  v1::Statement s = Event(renewed.certificate, D(2027, 2, 1));
  *s.mutable_renew()->mutable_new_issue_date() = D(2027, 3, 1);
  *s.mutable_renew()->mutable_new_expiry_date() = D(2030, 2, 28);
  s.mutable_renew()->mutable_service_grade()->set_score(95.3);
  s.mutable_renew()->mutable_service_grade()->set_special_deductions(0);
  s.mutable_renew()->mutable_service_grade()->set_star_level(
      v1::STAR_LEVEL_FIVE);
  renewed.events = {s};
  CertificateRecord empty_grade = Service();
  empty_grade.certificate.mutable_service_grade()->Clear();
  const std::vector<CertificateRecord> records = {Tricky(), Service(), renewed,
                                                  empty_grade};
  const std::string csv = WriteAll(records);
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(csv, &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  ASSERT_EQ(got.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) ExpectSame(records[i], got[i]);
  EXPECT_TRUE(ValidateRecord(got[1]).ok()) << ValidateRecord(got[1]);
  EXPECT_TRUE(ValidateRecord(got[2]).ok()) << ValidateRecord(got[2]);
}

TEST(CertificateCsvTest, ReportsRowStartLines) {
  const std::string csv = WriteAll({Tricky(), Service()});
  std::istringstream in(csv);
  auto reader = CertificateCsvReader::Open(&in);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Next().ok());
  EXPECT_EQ((*reader)->row_number(), 1);
  EXPECT_EQ((*reader)->line_number(), 2);
  ASSERT_TRUE((*reader)->Next().ok());
  EXPECT_EQ((*reader)->row_number(), 2);
  // Row 1 holds three quoted newlines (address, site address, scope change).
  EXPECT_EQ((*reader)->line_number(), 6);
}

TEST(CertificateCsvTest, SemicolonInListTextBecomesFullWidth) {
  CertificateRecord r = Service();
  r.certificate.mutable_basis(0)->append(";附录A");
  r.events[0].mutable_revoke()->set_reason("原因一;原因二");
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(WriteAll({r}), &errors);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].certificate.basis(0), "GB/T 27922-2011；附录A");
  EXPECT_EQ(got[0].events[0].revoke().reason(), "原因一；原因二");
}

TEST(CertificateCsvTest, HeaderInAnotherOrderAndOptionalColumnsMissing) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "body_name,number,type,item_code,item_name,basis,holder_name,credit_"
      "code,holder_address,scope,first_issue_date,issue_date,expiry_date,"
      "body_approval_number,score,special_deductions\r\n"
      "华信质量认证中心有限公司,90123Q21540R0M,management_system,A01,"
      "质量管理体系认证（ISO 9001）,GB/T 19001-2016/ISO 9001:2015; GB/T "
      "24001-2016,青岛海岳电器股份有限公司,91370200MA3C5XYZ1T,\"山东省青岛市,"
      "崂山区\",家用电器的生产,2023-01-10,2023-01-10,2026-01-09,CNCA-R-2002-"
      "901,,\r\n";
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(csv, &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  ASSERT_EQ(got.size(), 1u);
  const v1::Certificate& c = got[0].certificate;
  EXPECT_EQ(c.number(), "90123Q21540R0M");
  EXPECT_EQ(c.body_name(), "华信质量认证中心有限公司");
  ASSERT_EQ(c.basis_size(), 2);
  EXPECT_EQ(c.basis(1), "GB/T 24001-2016");
  EXPECT_EQ(c.holder().address(), "山东省青岛市,崂山区");
  EXPECT_EQ(c.recertification_count(), 0u);
  EXPECT_FALSE(c.has_service_grade());
  EXPECT_TRUE(got[0].events.empty());
}

TEST(CertificateCsvTest, UnknownColumnIsNamed) {
  std::string header =
      absl::StrJoin(CertificateCsvColumns(), ",") + ",colour\n";
  std::istringstream in(header);
  auto reader = CertificateCsvReader::Open(&in);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("\"colour\""), std::string::npos)
      << reader.status();
}

TEST(CertificateCsvTest, MissingRequiredColumnIsNamed) {
  std::vector<std::string> columns = CertificateCsvColumns();
  columns.erase(columns.begin() + 6);  // credit_code
  std::istringstream in(absl::StrJoin(columns, ",") + "\n");
  auto reader = CertificateCsvReader::Open(&in);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("\"credit_code\" is missing"),
            std::string::npos)
      << reader.status();
}

TEST(CertificateCsvTest, DuplicateColumnAndEmptyFile) {
  std::istringstream dup("number,number\n");
  EXPECT_FALSE(CertificateCsvReader::Open(&dup).ok());
  std::istringstream empty("");
  EXPECT_FALSE(CertificateCsvReader::Open(&empty).ok());
}

TEST(CertificateCsvTest, HeaderOnlyHasNoRows) {
  for (std::string csv :
       {absl::StrJoin(CertificateCsvColumns(), ","),
        absl::StrJoin(CertificateCsvColumns(), ",") + "\r\n",
        absl::StrCat("\xEF\xBB\xBF",
                     absl::StrJoin(CertificateCsvColumns(), ","), "\n\n")}) {
    std::istringstream in(csv);
    auto reader = CertificateCsvReader::Open(&in);
    ASSERT_TRUE(reader.ok()) << reader.status();
    auto row = (*reader)->Next();
    ASSERT_TRUE(row.ok());
    EXPECT_FALSE(row->has_value());
    EXPECT_EQ((*reader)->row_number(), 0);
  }
}

TEST(CertificateCsvTest, CrlfFileReadsLikeLf) {
  const std::string lf = WriteAll({Service(), Service()});
  const std::string crlf = absl::StrReplaceAll(lf, {{"\n", "\r\n"}});
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(crlf, &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(got.size(), 2u);
  ExpectSame(Service(), got[1]);
}

TEST(CertificateCsvTest, MalformedRowsAreReportedAndSkipped) {
  std::vector<std::string> lines = absl::StrSplit(
      WriteAll({Service(), Service(), Service(), Service(), Service()}), '\n');
  // lines[0] is the header; rows 2 and 4 are lines[2] and lines[4].
  lines[2] = absl::StrReplaceAll(lines[2], {{"2024-03-01", "2024-02-30"}});
  lines[4] = absl::StrReplaceAll(lines[4], {{"revoke@", "explode@"}});
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got =
      ReadAll(absl::StrJoin(lines, "\n"), &errors);
  EXPECT_EQ(got.size(), 3u);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(Message(errors[0], 2).rfind("first_issue_date: ", 0), 0u)
      << errors[0];
  EXPECT_EQ(Message(errors[1], 4).rfind("events: ", 0), 0u) << errors[1];
  EXPECT_NE(errors[1].find("explode"), std::string::npos);
}

TEST(CertificateCsvTest, MoreMalformedRows) {
  const std::string header = absl::StrJoin(CertificateCsvColumns(), ",");
  std::vector<std::string> lines = absl::StrSplit(WriteAll({Service()}), '\n');
  const std::string good = lines[1];
  const std::string csv = absl::StrCat(
      header, "\n", absl::StrReplaceAll(good, {{",service,", ",services,"}}),
      "\n",                                                        // 1
      "a,b,c\n",                                                   // 2
      absl::StrReplaceAll(good, {{",four,", ",six,"}}), "\n",      // 3
      absl::StrReplaceAll(good, {{",92.5,", ",9x,"}}), "\n",       // 4
      absl::StrReplaceAll(good, {{",1,four", ",-1,four"}}), "\n",  // 5
      absl::StrReplaceAll(good, {{"revoke@2025-02-01", "revoke@2025-2-1"}}),
      "\n",                            // 6
      good, "\n",                      // 7
      "\"unterminated,", good, "\n");  // 8
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(csv, &errors);
  EXPECT_EQ(got.size(), 1u);
  ASSERT_EQ(errors.size(), 7u) << absl::StrJoin(errors, "\n");
  EXPECT_EQ(Message(errors[0], 1).rfind("type: ", 0), 0u) << errors[0];
  EXPECT_EQ(Message(errors[1], 2).rfind("the row has 3 fields", 0), 0u)
      << errors[1];
  EXPECT_EQ(Message(errors[2], 3).rfind("star_level: ", 0), 0u) << errors[2];
  EXPECT_EQ(Message(errors[3], 4).rfind("score: ", 0), 0u) << errors[3];
  EXPECT_EQ(Message(errors[4], 5).rfind("special_deductions: ", 0), 0u)
      << errors[4];
  EXPECT_EQ(Message(errors[5], 6).rfind("events: ", 0), 0u) << errors[5];
  EXPECT_EQ(Message(errors[6], 8).rfind("unterminated", 0), 0u) << errors[6];
  // Where each is in the file, with the certificate number as written even
  // when the row is malformed (the header is line 1).
  const std::string number = Service().certificate.number();
  EXPECT_EQ(errors[0].rfind(absl::StrCat("row 1 (line 2, ", number, "): "), 0),
            0u)
      << errors[0];
  EXPECT_EQ(errors[1].rfind("row 2 (line 3, a): ", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind(absl::StrCat("row 3 (line 4, ", number, "): "), 0),
            0u)
      << errors[2];
}

TEST(CertificateCsvTest, StarLevelsByAnyName) {
  const std::string header = absl::StrJoin(CertificateCsvColumns(), ",");
  std::vector<std::string> lines = absl::StrSplit(WriteAll({Service()}), '\n');
  const std::string good = lines[1];
  ASSERT_TRUE(absl::StrContains(good, ",four,")) << good;
  std::string csv = header + "\n";
  for (const char* name :
       {"四星级", "四星", "4", "four-star", "Four", "STAR_LEVEL_FOUR"}) {
    absl::StrAppend(
        &csv,
        absl::StrReplaceAll(good, {{",four,", absl::StrCat(",", name, ",")}}),
        "\n");
  }
  std::vector<std::string> errors;
  std::vector<CertificateRecord> got = ReadAll(csv, &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  ASSERT_EQ(got.size(), 6u);
  for (const CertificateRecord& r : got) ExpectSame(Service(), r);

  // A renewal's re-grading too.
  CertificateRecord renewed = Service();
  renewed.events.clear();
  v1::Statement renew = Event(renewed.certificate, D(2027, 2, 1));
  *renew.mutable_renew()->mutable_new_issue_date() = D(2027, 3, 1);
  *renew.mutable_renew()->mutable_new_expiry_date() = D(2030, 2, 28);
  renew.mutable_renew()->mutable_service_grade()->set_score(95.3);
  renew.mutable_renew()->mutable_service_grade()->set_star_level(
      v1::STAR_LEVEL_FIVE);
  renewed.events = {renew};
  const std::string written = WriteAll({renewed});
  ASSERT_TRUE(absl::StrContains(written, "/five")) << written;
  errors.clear();
  got = ReadAll(absl::StrReplaceAll(written, {{"/five", "/五星级"}}), &errors);
  EXPECT_TRUE(errors.empty()) << absl::StrJoin(errors, "\n");
  ASSERT_EQ(got.size(), 1u);
  ExpectSame(renewed, got[0]);
}

TEST(CertificateCsvTest, UnknownStarLevelListsTheNames) {
  std::vector<std::string> lines = absl::StrSplit(WriteAll({Service()}), '\n');
  const std::string csv =
      absl::StrCat(absl::StrJoin(CertificateCsvColumns(), ","), "\n",
                   absl::StrReplaceAll(lines[1], {{",four,", ",二星级,"}}));
  std::vector<std::string> errors;
  ReadAll(csv, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Message(errors[0], 1)
                .rfind("star_level: \"二星级\" is not a GB/T 27922 "
                       "star level; give 达标级 (compliant)",
                       0),
            0u)
      << errors[0];
}

TEST(CertificateCsvTest, BadSitesAndRenew) {
  CertificateRecord r = Service();
  r.certificate.mutable_holder()->add_sites()->set_name("x");
  std::string csv = WriteAll({r});
  csv = absl::StrReplaceAll(csv, {{"x|", "x"}});
  std::vector<std::string> errors;
  ReadAll(csv, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Message(errors[0], 1).rfind("sites: entry 1", 0), 0u) << errors[0];

  csv = absl::StrReplaceAll(
      WriteAll({Service()}),
      {{"revoke@2025-02-01:提供虚假材料", "renew@2025-02-01:2025-03-01"}});
  errors.clear();
  ReadAll(csv, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("NEW_ISSUE/NEW_EXPIRY"), std::string::npos)
      << errors[0];
}

TEST(CertificateCsvTest, ValidateRecordNamesColumns) {
  CertificateRecord r = Valid();
  EXPECT_FALSE(ValidateRecord(Tricky()).ok());
  EXPECT_TRUE(ValidateRecord(r).ok()) << ValidateRecord(r);

  CertificateRecord bad = r;
  std::string code = bad.certificate.holder().unified_social_credit_code();
  code.back() = code.back() == '0' ? '1' : '0';
  bad.certificate.mutable_holder()->set_unified_social_credit_code(code);
  absl::Status status = ValidateRecord(bad);
  EXPECT_EQ(status.message().rfind("credit_code: ", 0), 0u) << status;

  bad = r;
  bad.certificate.mutable_holder()->mutable_sites(1)->set_name(" ");
  status = ValidateRecord(bad);
  EXPECT_EQ(status.message().rfind("sites: entry 2 name: ", 0), 0u) << status;

  bad = r;
  bad.certificate.set_basis(1, "");
  status = ValidateRecord(bad);
  EXPECT_EQ(status.message().rfind("basis: entry 2: ", 0), 0u) << status;

  bad = Service();
  bad.certificate.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FIVE);
  status = ValidateRecord(bad);
  EXPECT_EQ(status.message().rfind("star_level: ", 0), 0u) << status;

  // Events out of date order.
  bad = r;
  std::swap(bad.events[0], bad.events[1]);
  status = ValidateRecord(bad);
  EXPECT_EQ(
      status.message().rfind("events: event 2 (surveillance@2024-01-02)", 0),
      0u)
      << status;

  // Before the issue date.
  bad = r;
  *bad.events[0].mutable_date() = D(2022, 12, 31);
  EXPECT_EQ(ValidateRecord(bad).message().rfind("events: event 1", 0), 0u);

  // Reinstate without suspension.
  bad = r;
  bad.events.erase(bad.events.begin() + 1);
  EXPECT_EQ(ValidateRecord(bad).message().rfind("events: event 2", 0), 0u);
}

TEST(CertificateCsvTest, JsonLine) {
  CertificateRecord r = Tricky();
  const std::string json = CertificateRecordToJsonLine(r);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(json.rfind("{\"certificate\":{", 0), 0u) << json;
  EXPECT_NE(json.find("\"first_issue_date\""), std::string::npos);
  EXPECT_NE(json.find("\"unified_social_credit_code\""), std::string::npos);
  EXPECT_NE(json.find(",\"events\":[{"), std::string::npos);
  EXPECT_NE(json.find("\"new_expiry_date\""), std::string::npos);
  EXPECT_EQ(json.substr(json.size() - 2), "]}");

  CertificateRecord none = Service();
  none.events.clear();
  const std::string short_json = CertificateRecordToJsonLine(none);
  EXPECT_TRUE(absl::EndsWith(short_json, ",\"events\":[]}")) << short_json;
}

}  // namespace
}  // namespace certreg
