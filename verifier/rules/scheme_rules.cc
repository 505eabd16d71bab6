#include "verifier/rules/scheme_rules.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace certreg {
namespace {

constexpr v1::CertificationType kTypes[] = {
    v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM,
    v1::CERTIFICATION_TYPE_SERVICE,
    v1::CERTIFICATION_TYPE_PRODUCT,
};

v1::SchemeRules BuildDefaults() {
  v1::SchemeRules rules;
  rules.set_version(1);
  for (v1::CertificationType type : kTypes) {
    v1::CertificationRules* entry = rules.add_rules();
    entry->set_type(type);
    entry->set_max_validity_months(36);
    entry->set_first_surveillance_months(12);
    entry->set_max_surveillance_gap_months(15);
    entry->set_surveillances_per_cycle(2);
    entry->set_audit_every_calendar_year(true);
    entry->set_max_suspension_months(6);
  }
  return rules;
}

absl::Status CheckRange(uint32_t value, uint32_t min, uint32_t max,
                        absl::string_view field) {
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " is outside ", min, "..", max));
  }
  return absl::OkStatus();
}

absl::Status ValidateEntry(const v1::CertificationRules& entry,
                           absl::string_view field) {
  struct Limit {
    uint32_t value;
    uint32_t min;
    uint32_t max;
    absl::string_view name;
  };
  const Limit limits[] = {
      {entry.max_validity_months(), 1, 120, "max_validity_months"},
      {entry.first_surveillance_months(), 1, 60, "first_surveillance_months"},
      {entry.max_surveillance_gap_months(), 1, 60,
       "max_surveillance_gap_months"},
      {entry.surveillances_per_cycle(), 0, 10, "surveillances_per_cycle"},
      {entry.max_suspension_months(), 1, 24, "max_suspension_months"},
  };
  for (const Limit& limit : limits) {
    absl::Status in_range = CheckRange(limit.value, limit.min, limit.max,
                                       absl::StrCat(field, ".", limit.name));
    if (!in_range.ok()) return in_range;
  }
  return absl::OkStatus();
}

}  // namespace

const v1::SchemeRules& DefaultSchemeRules() {
  static const v1::SchemeRules* const kDefaults =
      new v1::SchemeRules(BuildDefaults());
  return *kDefaults;
}

absl::Status ValidateSchemeRules(const v1::SchemeRules& rules) {
  if (rules.version() < 1) {
    return absl::InvalidArgumentError(
        "publish_rules.version: must be at least 1");
  }
  bool seen[sizeof(kTypes) / sizeof(kTypes[0]) + 1] = {};
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::CertificationRules& entry = rules.rules(i);
    const std::string field = absl::StrCat("publish_rules.rules[", i, "]");
    const int type = entry.type();
    if (type < 1 || type > 3) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".type: ", type, " is not a certification type"));
    }
    if (seen[type]) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".type: ", v1::CertificationType_Name(entry.type()),
          " has rules twice"));
    }
    seen[type] = true;
    absl::Status valid = ValidateEntry(entry, field);
    if (!valid.ok()) return valid;
  }
  for (v1::CertificationType type : kTypes) {
    if (!seen[type]) {
      return absl::InvalidArgumentError(
          absl::StrCat("publish_rules.rules: no rules for ",
                       v1::CertificationType_Name(type)));
    }
  }
  return absl::OkStatus();
}

const v1::CertificationRules& RulesFor(const v1::SchemeRules& rules,
                                       v1::CertificationType type) {
  for (const v1::CertificationRules& entry : rules.rules()) {
    if (entry.type() == type) return entry;
  }
  return DefaultSchemeRules().rules(0);
}

}  // namespace certreg
