#include "tools/demo/demo_generator.h"

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/cli/certificate_csv.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

using google::protobuf::util::MessageDifferencer;

GeneratorOptions Options(uint64_t seed) {
  GeneratorOptions options;
  options.seed = seed;
  options.count = 1000;
  options.today = absl::CivilDay(2026, 3, 15);
  return options;
}

bool SameRecord(const CertificateRecord& a, const CertificateRecord& b) {
  if (!MessageDifferencer::Equals(a.certificate, b.certificate)) return false;
  if (a.events.size() != b.events.size()) return false;
  for (size_t i = 0; i < a.events.size(); ++i) {
    if (!MessageDifferencer::Equals(a.events[i], b.events[i])) return false;
  }
  return true;
}

// The status as of `today`, computed like the registry does.
v1::EffectiveStatus StatusOf(const CertificateRecord& record,
                             absl::CivilDay today) {
  IssuedValidity issued{ToCivilDay(record.certificate.issue_date()),
                        ToCivilDay(record.certificate.expiry_date())};
  std::vector<CertificateEvent> events;
  for (const v1::Statement& s : record.events) {
    CertificateEvent e;
    e.date = ToCivilDay(s.date());
    switch (s.kind_case()) {
      case v1::Statement::kSurveillance:
        e.kind = v1::STATEMENT_KIND_SURVEILLANCE;
        break;
      case v1::Statement::kSuspend:
        e.kind = v1::STATEMENT_KIND_SUSPEND;
        e.reason = s.suspend().reason();
        break;
      case v1::Statement::kReinstate:
        e.kind = v1::STATEMENT_KIND_REINSTATE;
        break;
      case v1::Statement::kRevoke:
        e.kind = v1::STATEMENT_KIND_REVOKE;
        e.reason = s.revoke().reason();
        break;
      case v1::Statement::kWithdraw:
        e.kind = v1::STATEMENT_KIND_WITHDRAW;
        e.reason = s.withdraw().reason();
        break;
      case v1::Statement::kRenew:
        e.kind = v1::STATEMENT_KIND_RENEW;
        e.new_issue_date = ToCivilDay(s.renew().new_issue_date());
        e.new_expiry_date = ToCivilDay(s.renew().new_expiry_date());
        break;
      case v1::Statement::kChangeScope:
        e.kind = v1::STATEMENT_KIND_CHANGE_SCOPE;
        break;
      default:
        break;
    }
    events.push_back(e);
  }
  return ComputeEffectiveStatus(
      issued, events, today,
      RulesFor(DefaultSchemeRules(), record.certificate.type()));
}

// Checks the history against the scheme rules the registry admits statements
// under: renewals on or before the expiry date with a new window of at most
// 36 months starting no later than the day after it, and every surveillance
// audit on or before it is due, at most the cycle's number of them.
void ExpectHistoryFollowsRules(const CertificateRecord& r, int64_t row) {
  const v1::CertificationRules& rules =
      RulesFor(DefaultSchemeRules(), r.certificate.type());
  absl::CivilDay issue = ToCivilDay(r.certificate.issue_date());
  absl::CivilDay expiry = ToCivilDay(r.certificate.expiry_date());
  EXPECT_LE(expiry, AddMonths(issue, 36)) << row;
  std::vector<absl::CivilDay> audits;
  for (const v1::Statement& e : r.events) {
    const absl::CivilDay day = ToCivilDay(e.date());
    if (e.has_surveillance()) {
      const std::optional<absl::CivilDay> due =
          SurveillanceDue(issue, audits, rules);
      ASSERT_TRUE(due.has_value())
          << row << ": more audits than the cycle needs";
      EXPECT_LE(day, *due) << row << ": audit " << audits.size() + 1;
      EXPECT_LE(day, expiry) << row;
      audits.push_back(day);
    } else if (e.has_renew()) {
      const absl::CivilDay new_issue = ToCivilDay(e.renew().new_issue_date());
      const absl::CivilDay new_expiry = ToCivilDay(e.renew().new_expiry_date());
      EXPECT_LE(day, expiry) << row;
      EXPECT_GT(new_issue, issue) << row;
      EXPECT_LE(new_issue, expiry + 1) << row;
      EXPECT_LE(new_expiry, AddMonths(new_issue, 36)) << row;
      issue = new_issue;
      expiry = new_expiry;
      audits.clear();
    } else if (e.has_suspend() || e.has_reinstate() || e.has_change_scope()) {
      EXPECT_LE(day, expiry) << row;
    }
  }
}

TEST(DemoGeneratorTest, Deterministic) {
  DemoGenerator a(Options(7)), b(Options(7)), c(Options(8));
  GeneratorOptions other_count = Options(7);
  other_count.count = 5;
  DemoGenerator d(other_count);
  int differ = 0;
  for (int64_t i : {0, 1, 2, 17, 999, 123456, 9999999}) {
    EXPECT_TRUE(SameRecord(a.Row(i), b.Row(i))) << i;
    EXPECT_TRUE(SameRecord(a.Row(i), d.Row(i))) << i;
    if (!SameRecord(a.Row(i), c.Row(i))) ++differ;
  }
  EXPECT_EQ(differ, 7);
  // Rows are independent of the order they are generated in.
  CertificateRecord later = a.Row(42);
  a.Row(41);
  EXPECT_TRUE(SameRecord(later, a.Row(42)));
}

TEST(DemoGeneratorTest, Bodies) {
  DemoGenerator g(Options(1));
  ASSERT_GE(g.bodies().size(), 6u);
  ASSERT_LE(g.bodies().size(), 10u);
  std::map<std::string, std::string> names;
  for (const DemoBody& body : g.bodies()) {
    EXPECT_TRUE(ValidateApprovalNumber(body.approval_number, "approval").ok());
    EXPECT_EQ(body.approval_number.substr(12, 1), "9");
    EXPECT_TRUE(names.emplace(body.approval_number, body.name).second);
  }
  for (int64_t i = 0; i < 100; ++i) {
    const v1::Certificate c = g.Row(i).certificate;
    EXPECT_EQ(names[c.body_approval_number()], c.body_name());
  }
}

TEST(DemoGeneratorTest, NumbersAndCreditCodesAreUnique) {
  constexpr int64_t kRows = 200000;
  DemoGenerator g(Options(3));
  std::unordered_set<std::string> numbers, codes;
  numbers.reserve(kRows);
  codes.reserve(kRows);
  for (int64_t i = 0; i < kRows; ++i) {
    CertificateRecord r = g.Row(i);
    ASSERT_TRUE(numbers.insert(r.certificate.number()).second)
        << i << " " << r.certificate.number();
    ASSERT_TRUE(
        codes.insert(r.certificate.holder().unified_social_credit_code())
            .second)
        << i;
  }
  // Far rows too (the scheme is a bijection up to 80 million).
  for (int64_t i = 9999000; i < 10000000; ++i) {
    ASSERT_TRUE(numbers.insert(g.Row(i).certificate.number()).second) << i;
  }
}

TEST(DemoGeneratorTest, RowsAreValid) {
  for (uint64_t seed : {1, 2}) {
    GeneratorOptions options = Options(seed);
    if (seed == 2) options.today = absl::CivilDay(2024, 2, 29);
    DemoGenerator g(options);
    for (int64_t i = 0; i < 20000; ++i) {
      CertificateRecord r = g.Row(i);
      absl::Status valid = ValidateRecord(r);
      ASSERT_TRUE(valid.ok()) << "row " << i << ": " << valid << "\n"
                              << CertificateRecordToJsonLine(r);
      ASSERT_TRUE(ValidateCertificateNumber(r.certificate.number()).ok());
      ExpectHistoryFollowsRules(r, i);
      // The holder's credit code was registered in the address's province.
      const ProvinceLevelDivision* province = CreditCodeProvince(
          r.certificate.holder().unified_social_credit_code());
      ASSERT_NE(province, nullptr) << i;
      EXPECT_TRUE(
          absl::StartsWith(r.certificate.holder().address(), province->name))
          << i << ": " << r.certificate.holder().address();
      const absl::CivilDay issue = ToCivilDay(r.certificate.issue_date());
      EXPECT_LE(issue, options.today);
      EXPECT_GT(issue, AddMonths(options.today, -48));
      EXPECT_EQ(ToCivilDay(r.certificate.expiry_date()),
                AddMonths(issue, 36) - 1);
      absl::CivilDay last = issue;
      for (const v1::Statement& e : r.events) {
        const absl::CivilDay day = ToCivilDay(e.date());
        EXPECT_LE(day, options.today) << i;
        EXPECT_GE(day, last) << i;
        last = day;
        EXPECT_EQ(e.certificate_number(), r.certificate.number());
        EXPECT_TRUE(e.previous_event_hash().empty());
      }
    }
  }
}

TEST(DemoGeneratorTest, StatusMix) {
  constexpr int kRows = 20000;
  GeneratorOptions options = Options(5);
  DemoGenerator g(options);
  std::map<v1::CertificateStatus, int> statuses;
  int overdue = 0, by_body = 0, renewed = 0, service = 0, product = 0;
  int revocation_due = 0, recertification_year = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    CertificateRecord r = g.Row(i);
    v1::EffectiveStatus status = StatusOf(r, options.today);
    ++statuses[status.status()];
    if (status.status() == v1::CERTIFICATE_STATUS_SUSPENDED) {
      const v1::ReasonCode first = status.reasons(0).code();
      if (first == v1::REASON_CODE_SUSPENDED_BY_BODY) ++by_body;
      if (first == v1::REASON_CODE_SURVEILLANCE_OVERDUE) ++overdue;
    }
    // A body revokes a certificate suspended for 6 months; the generated
    // ones are all younger.
    revocation_due += status.revocation_due();
    // Valid, with both of the cycle's audits done: nothing due until it is
    // recertified.
    if (status.status() == v1::CERTIFICATE_STATUS_VALID) {
      int audits = 0;
      for (const v1::Statement& e : r.events) {
        if (e.has_renew()) audits = 0;
        audits += e.has_surveillance();
      }
      recertification_year += audits == 2;
    }
    for (const v1::Statement& e : r.events) renewed += e.has_renew();
    service += r.certificate.type() == v1::CERTIFICATION_TYPE_SERVICE;
    product += r.certificate.type() == v1::CERTIFICATION_TYPE_PRODUCT;
  }
  auto share = [&](int n) { return 100.0 * n / kRows; };
  EXPECT_NEAR(share(statuses[v1::CERTIFICATE_STATUS_VALID]), 75, 2);
  EXPECT_NEAR(share(statuses[v1::CERTIFICATE_STATUS_SUSPENDED]), 13, 1.5);
  EXPECT_NEAR(share(by_body), 8, 1);
  EXPECT_NEAR(share(overdue), 5, 1);
  EXPECT_NEAR(share(statuses[v1::CERTIFICATE_STATUS_REVOKED]), 4, 1);
  EXPECT_NEAR(share(statuses[v1::CERTIFICATE_STATUS_WITHDRAWN]), 3, 1);
  EXPECT_NEAR(share(statuses[v1::CERTIFICATE_STATUS_EXPIRED]), 5, 1);
  EXPECT_EQ(statuses[v1::CERTIFICATE_STATUS_NOT_YET_VALID], 0);
  EXPECT_GT(share(renewed), 5);
  EXPECT_EQ(revocation_due, 0);
  EXPECT_GT(share(recertification_year), 5);
  EXPECT_NEAR(share(service), 10, 4);
  EXPECT_NEAR(share(product), 8, 4);
}

TEST(DemoGeneratorTest, CsvRoundTrip) {
  DemoGenerator g(Options(11));
  std::vector<CertificateRecord> rows;
  std::ostringstream out;
  CertificateCsvWriter writer(&out);
  writer.WriteHeader();
  for (int64_t i = 0; i < 1000; ++i) {
    rows.push_back(g.Row(i));
    writer.Write(rows.back());
  }
  std::istringstream in(out.str());
  auto reader = CertificateCsvReader::Open(&in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (int64_t i = 0; i < 1000; ++i) {
    auto row = (*reader)->Next();
    ASSERT_TRUE(row.ok()) << row.status();
    ASSERT_TRUE(row->has_value());
    EXPECT_TRUE(SameRecord(rows[i], **row)) << i;
  }
  auto end = (*reader)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

}  // namespace
}  // namespace certreg
