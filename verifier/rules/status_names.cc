#include "verifier/rules/status_names.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

constexpr v1::CertificateStatus kStatuses[] = {
    v1::CERTIFICATE_STATUS_VALID,   v1::CERTIFICATE_STATUS_SUSPENDED,
    v1::CERTIFICATE_STATUS_REVOKED, v1::CERTIFICATE_STATUS_WITHDRAWN,
    v1::CERTIFICATE_STATUS_EXPIRED, v1::CERTIFICATE_STATUS_NOT_YET_VALID,
};

struct StarNames {
  v1::StarLevel level;
  // The number of stars as typed: "3"; "1" for compliant, which has none.
  const char* digit;
  // The English word of the enum name: "three".
  const char* word;
};

constexpr StarNames kStarLevels[] = {
    {v1::STAR_LEVEL_COMPLIANT, "1", "compliant"},
    {v1::STAR_LEVEL_THREE, "3", "three"},
    {v1::STAR_LEVEL_FOUR, "4", "four"},
    {v1::STAR_LEVEL_FIVE, "5", "five"},
};

constexpr absl::string_view kStatusEnumPrefix = "certificate_status_";
constexpr absl::string_view kStarEnumPrefix = "star_level_";

// The form names are compared in: trimmed, ASCII lowercase, and each run of
// '-', '_' and spaces as one '_'.
std::string Normalize(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  std::string out;
  out.reserve(text.size());
  bool in_separator = false;
  for (char c : text) {
    if (c == '-' || c == '_' || c == ' ') {
      in_separator = true;
      continue;
    }
    if (in_separator) out.push_back('_');
    in_separator = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

template <typename Enum>
using NameTable = absl::flat_hash_map<std::string, Enum>;

const NameTable<v1::CertificateStatus>& StatusTable() {
  static const auto* table = [] {
    auto* names = new NameTable<v1::CertificateStatus>;
    for (v1::CertificateStatus status : kStatuses) {
      const std::string enum_name =
          Normalize(v1::CertificateStatus_Name(status));
      const std::vector<std::string> aliases = {
          std::string(CertificateStatusNameZh(status)),
          std::string(CertificateStatusNameEn(status)),
          std::string(absl::StripPrefix(enum_name, kStatusEnumPrefix)),
      };
      for (const std::string& name : aliases) {
        names->emplace(Normalize(name), status);
      }
    }
    return names;
  }();
  return *table;
}

const NameTable<v1::StarLevel>& StarTable() {
  static const auto* table = [] {
    auto* names = new NameTable<v1::StarLevel>;
    for (const StarNames& star : kStarLevels) {
      const absl::string_view zh = StarLevelNameZh(star.level);
      const std::vector<std::string> aliases = {
          std::string(zh),
          std::string(absl::StripSuffix(zh, "级")),
          std::string(StarLevelNameEn(star.level)),
          star.word,
          star.digit,
      };
      for (const std::string& name : aliases) {
        names->emplace(Normalize(name), star.level);
      }
      if (star.level != v1::STAR_LEVEL_COMPLIANT) {
        for (absl::string_view suffix : {"星级", "星", "-star"}) {
          names->emplace(Normalize(absl::StrCat(star.digit, suffix)),
                         star.level);
        }
      }
    }
    return names;
  }();
  return *table;
}

template <typename Enum>
absl::StatusOr<Enum> Lookup(const NameTable<Enum>& table,
                            absl::string_view enum_prefix,
                            absl::string_view text, absl::string_view what,
                            absl::string_view choices) {
  std::string name = Normalize(text);
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no ", what, " given; give ", choices));
  }
  auto found = table.find(absl::StripPrefix(name, enum_prefix));
  if (found == table.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a ", what, "; give ", choices));
  }
  return found->second;
}

}  // namespace

absl::string_view CertificateStatusChoices() {
  static const std::string* choices = [] {
    std::vector<std::string> names;
    for (v1::CertificateStatus status : kStatuses) {
      names.push_back(absl::StrCat(CertificateStatusNameZh(status), " (",
                                   CertificateStatusNameEn(status), ")"));
    }
    const std::string last = names.back();
    names.pop_back();
    return new std::string(
        absl::StrCat(absl::StrJoin(names, ", "), " or ", last));
  }();
  return *choices;
}

absl::string_view StarLevelChoices() {
  static const std::string* choices = [] {
    std::vector<std::string> names;
    for (const StarNames& star : kStarLevels) {
      names.push_back(absl::StrCat(StarLevelNameZh(star.level), " (",
                                   StarLevelNameEn(star.level),
                                   star.level == v1::STAR_LEVEL_COMPLIANT
                                       ? ""
                                       : absl::StrCat(", ", star.digit),
                                   ")"));
    }
    const std::string last = names.back();
    names.pop_back();
    return new std::string(
        absl::StrCat(absl::StrJoin(names, ", "), " or ", last));
  }();
  return *choices;
}

absl::StatusOr<v1::CertificateStatus> ParseCertificateStatus(
    absl::string_view text) {
  return Lookup(StatusTable(), kStatusEnumPrefix, text, "certificate status",
                CertificateStatusChoices());
}

absl::StatusOr<v1::StarLevel> ParseStarLevel(absl::string_view text) {
  return Lookup(StarTable(), kStarEnumPrefix, text, "GB/T 27922 star level",
                StarLevelChoices());
}

}  // namespace certreg
