#include "verifier/rules/scheme_rules.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

TEST(SchemeRulesTest, DefaultsAreValidAndCoverEveryType) {
  const v1::SchemeRules& rules = DefaultSchemeRules();
  EXPECT_TRUE(ValidateSchemeRules(rules).ok());
  EXPECT_EQ(rules.version(), 1u);
  for (v1::CertificationType type :
       {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM,
        v1::CERTIFICATION_TYPE_SERVICE, v1::CERTIFICATION_TYPE_PRODUCT}) {
    const v1::CertificationRules& entry = RulesFor(rules, type);
    EXPECT_EQ(entry.type(), type);
    EXPECT_EQ(entry.max_validity_months(), 36u);
    EXPECT_EQ(entry.first_surveillance_months(), 12u);
    EXPECT_EQ(entry.max_surveillance_gap_months(), 15u);
    EXPECT_EQ(entry.surveillances_per_cycle(), 2u);
    EXPECT_TRUE(entry.audit_every_calendar_year());
    EXPECT_EQ(entry.max_suspension_months(), 6u);
  }
}

TEST(SchemeRulesTest, RefusesBadSetsNamingTheField) {
  struct Case {
    std::string name;
    void (*mutate)(v1::SchemeRules&);
    std::string field;
  };
  const Case cases[] = {
      {"NoVersion", [](v1::SchemeRules& r) { r.set_version(0); },
       "publish_rules.version"},
      {"MissingType",
       [](v1::SchemeRules& r) { r.mutable_rules()->RemoveLast(); },
       "no rules for CERTIFICATION_TYPE_PRODUCT"},
      {"TwiceOneType",
       [](v1::SchemeRules& r) {
         r.mutable_rules(2)->set_type(v1::CERTIFICATION_TYPE_SERVICE);
       },
       "publish_rules.rules[2].type"},
      {"UnknownType",
       [](v1::SchemeRules& r) {
         r.mutable_rules(0)->set_type(v1::CERTIFICATION_TYPE_UNSPECIFIED);
       },
       "publish_rules.rules[0].type"},
      {"ZeroValidity",
       [](v1::SchemeRules& r) {
         r.mutable_rules(1)->set_max_validity_months(0);
       },
       "publish_rules.rules[1].max_validity_months: 0 is outside 1..120"},
      {"HugeGap",
       [](v1::SchemeRules& r) {
         r.mutable_rules(0)->set_max_surveillance_gap_months(61);
       },
       "max_surveillance_gap_months"},
      {"ZeroSuspension",
       [](v1::SchemeRules& r) {
         r.mutable_rules(0)->set_max_suspension_months(0);
       },
       "max_suspension_months"},
  };
  for (const Case& c : cases) {
    v1::SchemeRules rules = DefaultSchemeRules();
    c.mutate(rules);
    const absl::Status status = ValidateSchemeRules(rules);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.field)) << c.name;
  }
}

TEST(SchemeRulesTest, BoundsAreInclusive) {
  v1::SchemeRules rules = DefaultSchemeRules();
  rules.mutable_rules(0)->set_max_validity_months(120);
  rules.mutable_rules(0)->set_surveillances_per_cycle(0);
  rules.mutable_rules(0)->set_max_suspension_months(1);
  EXPECT_TRUE(ValidateSchemeRules(rules).ok());
}

}  // namespace
}  // namespace certreg
