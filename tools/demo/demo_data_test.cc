#include "tools/demo/demo_data.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "registry/storage/memory_store.h"
#include "tools/demo/demo_registry.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

// What SeedDemo sent for one day: each certificate's statements in order.
struct Seeded {
  std::vector<DemoCertificate> certificates;
  std::map<std::string, std::vector<v1::Statement>> chains;
  std::map<std::string, std::vector<std::string>> hashes;
  int authority_statements = 0;
};

Seeded SeedAndCollect(absl::CivilDay today) {
  static const Ed25519PrivateKey* operator_key =
      new Ed25519PrivateKey(*Ed25519PrivateKey::Generate());
  static const std::vector<Ed25519PrivateKey>* body_keys = [] {
    auto* keys = new std::vector<Ed25519PrivateKey>;
    for (size_t i = 0; i < DemoBodies().size(); ++i) {
      keys->push_back(*Ed25519PrivateKey::Generate());
    }
    return keys;
  }();
  Seeded seeded;
  absl::StatusOr<std::vector<DemoCertificate>> certificates = SeedDemo(
      *operator_key, *body_keys, today,
      [&seeded](v1::StatementKind kind, const v1::SignedStatement& signed_)
          -> absl::StatusOr<v1::StatementReceipt> {
        absl::StatusOr<v1::Statement> statement = ParseSignedStatement(signed_);
        if (!statement.ok()) return statement.status();
        if (KindOf(*statement) != kind) {
          return absl::InvalidArgumentError("kind differs from statement");
        }
        v1::StatementReceipt receipt;
        receipt.set_statement_hash(StatementHash(signed_));
        if (IsOperatorKind(kind)) {
          ++seeded.authority_statements;
        } else {
          seeded.chains[statement->certificate_number()].push_back(*statement);
          seeded.hashes[statement->certificate_number()].push_back(
              receipt.statement_hash());
        }
        return receipt;
      });
  EXPECT_TRUE(certificates.ok()) << today << ": " << certificates.status();
  if (certificates.ok()) seeded.certificates = *std::move(certificates);
  return seeded;
}

// The story each number must tell, whatever the day.
struct Expected {
  v1::CertificateStatus status;
  v1::ReasonCode first_reason;
};

const std::map<std::string, Expected>& ExpectedStories() {
  static const auto* stories = new std::map<std::string, Expected>{
      {"90126Q21540R2M",
       {v1::CERTIFICATE_STATUS_VALID, v1::REASON_CODE_IN_VALIDITY_PERIOD}},
      {"90224S00317R0L",
       {v1::CERTIFICATE_STATUS_VALID, v1::REASON_CODE_IN_VALIDITY_PERIOD}},
      {"90115E30472R1S",
       {v1::CERTIFICATE_STATUS_SUSPENDED, v1::REASON_CODE_SUSPENDED_BY_BODY}},
      {"90119Q11234R0M",
       {v1::CERTIFICATE_STATUS_REVOKED, v1::REASON_CODE_REVOKED_BY_BODY}},
      {"90218S00876R0S",
       {v1::CERTIFICATE_STATUS_SUSPENDED,
        v1::REASON_CODE_SURVEILLANCE_OVERDUE}},
      {"90119Q30555R1L",
       {v1::CERTIFICATE_STATUS_VALID, v1::REASON_CODE_IN_VALIDITY_PERIOD}},
      {"90113Q10288R0M",
       {v1::CERTIFICATE_STATUS_EXPIRED, v1::REASON_CODE_AFTER_EXPIRY_DATE}},
      {"90123S20417R1M",
       {v1::CERTIFICATE_STATUS_VALID, v1::REASON_CODE_IN_VALIDITY_PERIOD}},
  };
  return *stories;
}

// Checks one day's demo against every rule the registry enforces and the
// story it promises. Returns false after the first day's failures, to keep
// the output short.
bool CheckDay(absl::CivilDay today) {
  const Seeded seeded = SeedAndCollect(today);
  const std::string day = absl::FormatCivilTime(today);
  EXPECT_EQ(seeded.authority_statements, static_cast<int>(DemoBodies().size()));
  EXPECT_EQ(seeded.certificates.size(), ExpectedStories().size()) << day;
  EXPECT_EQ(seeded.chains.size(), ExpectedStories().size()) << day;
  bool ok = !seeded.certificates.empty();
  for (const DemoCertificate& demo : seeded.certificates) {
    const std::string where = absl::StrCat(day, " ", demo.number);
    auto story = ExpectedStories().find(demo.number);
    if (story == ExpectedStories().end()) {
      ADD_FAILURE() << where << ": not a known demo number";
      ok = false;
      continue;
    }
    EXPECT_EQ(demo.expected_status, story->second.status) << where;
    const std::vector<v1::Statement>& chain = seeded.chains.at(demo.number);
    const std::vector<std::string>& hashes = seeded.hashes.at(demo.number);
    if (chain.empty() || !chain[0].has_issue()) {
      ADD_FAILURE() << where << ": the chain does not start with an issue";
      ok = false;
      continue;
    }
    const v1::Statement& issue = chain[0];
    const v1::Certificate& c = issue.issue().certificate();
    EXPECT_EQ(c.number(), demo.number) << where;
    EXPECT_EQ(c.holder().name(), demo.holder_name) << where;

    // The certificate: every field rule, the number against the body and
    // the recertification count among them.
    absl::Status valid = ValidateCertificate(c);
    EXPECT_TRUE(valid.ok()) << where << ": " << valid;
    // The credit code was registered in the address's province.
    const ProvinceLevelDivision* province =
        CreditCodeProvince(c.holder().unified_social_credit_code());
    if (province == nullptr) {
      ADD_FAILURE() << where << ": credit code has no province";
    } else {
      EXPECT_TRUE(absl::StartsWith(c.holder().address(), province->name))
          << where << ": " << c.holder().address() << " is not in "
          << province->name;
    }
    // Dates: the issue statement on the issue date, 36 months at most.
    const absl::CivilDay issued = ToCivilDay(c.issue_date());
    EXPECT_EQ(ToCivilDay(issue.date()), issued) << where;
    EXPECT_LE(ToCivilDay(c.expiry_date()), AddMonths(issued, 36)) << where;
    EXPECT_LE(issued, today) << where;

    // The chain: previous hashes link up, dates never run backwards and
    // never pass today.
    absl::StatusOr<CertificateChain> replay =
        CertificateChain::Start(issue, hashes[0]);
    if (!replay.ok()) {
      ADD_FAILURE() << where << ": " << replay.status();
      ok = false;
      continue;
    }
    absl::CivilDay last = issued;
    for (size_t i = 1; i < chain.size(); ++i) {
      const absl::CivilDay date = ToCivilDay(chain[i].date());
      EXPECT_GE(date, last) << where << " event " << i;
      EXPECT_LE(date, today) << where << " event " << i;
      last = date;
      EXPECT_EQ(chain[i].previous_event_hash(), hashes[i - 1])
          << where << " event " << i;
      absl::Status applied = replay->Apply(chain[i], hashes[i]);
      EXPECT_TRUE(applied.ok()) << where << " event " << i << ": " << applied;
    }

    // The status the story promises, under the scheme rules.
    const v1::EffectiveStatus status =
        replay->StatusAsOf(today, DefaultSchemeRules());
    EXPECT_EQ(status.status(), story->second.status)
        << where << ": " << status.ShortDebugString();
    EXPECT_EQ(status.reasons_size() > 0 ? status.reasons(0).code()
                                        : v1::REASON_CODE_UNSPECIFIED,
              story->second.first_reason)
        << where << ": " << status.ShortDebugString();
    EXPECT_FALSE(status.revocation_due())
        << where << ": " << status.ShortDebugString();
    if (::testing::Test::HasFailure()) ok = false;
  }
  return ok;
}

TEST(DemoDataTest, EveryRuleAndStoryHoldsOnEveryDay) {
  // Three years of days, a leap day and every month's end among them.
  for (absl::CivilDay today(2027, 1, 1); today <= absl::CivilDay(2029, 12, 31);
       ++today) {
    if (!CheckDay(today)) break;
  }
}

TEST(DemoDataTest, NumbersHolderNamesAndDemoBodies) {
  const Seeded seeded = SeedAndCollect(absl::CivilDay(2026, 11, 22));
  std::set<std::string> numbers;
  std::set<std::string> holders;
  for (const DemoCertificate& demo : seeded.certificates) {
    EXPECT_TRUE(numbers.insert(demo.number).second) << demo.number;
    EXPECT_TRUE(holders.insert(demo.holder_name).second) << demo.holder_name;
    EXPECT_FALSE(demo.story.empty());
  }
  for (const DemoBody& body : DemoBodies()) {
    EXPECT_TRUE(ValidateApprovalNumber(body.approval_number, "body").ok());
  }
  // The four-star after-sales service certificate.
  const v1::Certificate& yunfan =
      seeded.chains.at("90224S00317R0L")[0].issue().certificate();
  EXPECT_TRUE(IsServiceGradeBasis(yunfan.basis(0)));
  EXPECT_EQ(yunfan.service_grade().star_level(), v1::STAR_LEVEL_FOUR);
}

TEST(DemoDataTest, CreditCodesMatchTheirDivision) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    for (const char* division : {"330106", "370212", "110108", "100000"}) {
      const std::string code = DemoCreditCode(seed, division);
      EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "code").ok()) << code;
      EXPECT_EQ(code.substr(2, 6), division);
    }
    const std::string code = DemoCreditCode(seed);
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "code").ok()) << code;
  }
}

absl::Time NoonOf(absl::CivilDay day) {
  return absl::FromCivil(
      absl::CivilSecond(day.year(), day.month(), day.day(), 12, 0, 0),
      absl::FixedTimeZone(8 * 3600));
}

// The registry itself accepts every demo statement and computes the promised
// statuses, on days that stress the month arithmetic.
TEST(DemoDataTest, RegistryAcceptsTheDemoAndAgrees) {
  for (const absl::CivilDay today :
       {absl::CivilDay(2026, 11, 22), absl::CivilDay(2028, 2, 29),
        absl::CivilDay(2028, 3, 31), absl::CivilDay(2027, 12, 31),
        absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 5, 31),
        absl::CivilDay(2029, 8, 31), absl::CivilDay(2029, 3, 1)}) {
    MemoryStore store;
    RegistryOptions options;
    options.now = [today] { return NoonOf(today); };
    absl::StatusOr<DemoRegistry> demo =
        OpenDemoRegistry(&store, options, today);
    ASSERT_TRUE(demo.ok()) << today << ": " << demo.status();
    for (const auto& [number, expected] : ExpectedStories()) {
      v1::GetCertificateRequest request;
      request.set_number(number);
      *request.mutable_as_of() = ToProtoDate(today);
      absl::StatusOr<v1::GetCertificateResponse> got =
          demo->registry->GetCertificate(request);
      ASSERT_TRUE(got.ok()) << today << " " << number << ": " << got.status();
      EXPECT_EQ(got->status().status(), expected.status)
          << today << " " << number << ": " << got->status().ShortDebugString();
    }
  }
}

}  // namespace
}  // namespace certreg
