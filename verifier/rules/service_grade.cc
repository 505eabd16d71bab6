#include "verifier/rules/service_grade.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace certreg {
namespace {

// Thresholds in tenths of a point.
constexpr int64_t kFiveStarTenths = 950;
constexpr int64_t kFourStarTenths = 900;
constexpr int64_t kThreeStarTenths = 800;
constexpr int64_t kCompliantTenths = 700;

// Formats tenths of a point as "92.5" or "-3.0".
std::string FormatTenths(int64_t tenths) {
  const char* sign = tenths < 0 ? "-" : "";
  const int64_t magnitude = tenths < 0 ? -tenths : tenths;
  return absl::StrFormat("%s%d.%d", sign, magnitude / 10, magnitude % 10);
}

// Converts `score` to whole tenths; INVALID_ARGUMENT (no field prefix) when
// it is not finite, out of range or has more than one decimal place.
absl::StatusOr<int64_t> ScoreToTenths(double score) {
  if (!std::isfinite(score)) {
    return absl::InvalidArgumentError("score must be a finite number");
  }
  if (score < 0 || score > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("score ", score, " is outside 0..100"));
  }
  const double scaled = score * 10;
  const double rounded = std::round(scaled);
  // A one-decimal score is a whole number of tenths up to binary rounding
  // error (e.g. 90.1 * 10 = 901.0000000000001).
  if (std::fabs(scaled - rounded) > 1e-6) {
    return absl::InvalidArgumentError(
        absl::StrCat("score ", score, " has more than one decimal place"));
  }
  return static_cast<int64_t>(rounded);
}

}  // namespace

absl::StatusOr<v1::StarLevel> ComputeStarLevel(double score,
                                               uint32_t special_deductions) {
  // Too many deductions fail the evaluation whatever the score.
  if (special_deductions > kMaxSpecialDeductions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the evaluation fails: ", SpecialDeductionsText(special_deductions),
        " (", kMaxSpecialDeductions + 1, " or more fail the evaluation)"));
  }
  absl::StatusOr<int64_t> tenths = ScoreToTenths(score);
  if (!tenths.ok()) return tenths.status();
  const int64_t effective =
      *tenths - static_cast<int64_t>(special_deductions) * 10;
  if (effective < kCompliantTenths) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the evaluation fails: effective score ", FormatTenths(effective),
        " (score ", FormatTenths(*tenths), " minus ",
        SpecialDeductionsText(special_deductions), ") is below 70"));
  }
  if (effective >= kFiveStarTenths) return v1::STAR_LEVEL_FIVE;
  if (effective >= kFourStarTenths) return v1::STAR_LEVEL_FOUR;
  if (effective >= kThreeStarTenths) return v1::STAR_LEVEL_THREE;
  return v1::STAR_LEVEL_COMPLIANT;
}

absl::Status ValidateServiceGrade(const v1::ServiceGrade& grade,
                                  absl::string_view field) {
  absl::StatusOr<v1::StarLevel> computed =
      ComputeStarLevel(grade.score(), grade.special_deductions());
  if (!computed.ok()) {
    const absl::string_view subfield =
        grade.special_deductions() > kMaxSpecialDeductions
            ? ".special_deductions"
            : ".score";
    return absl::InvalidArgumentError(
        absl::StrCat(field, subfield, ": ", computed.status().message()));
  }
  if (grade.star_level() == v1::STAR_LEVEL_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".star_level: the star level is required; the score gives ",
        StarLevelNameEn(*computed), " (", StarLevelNameZh(*computed), ")"));
  }
  if (grade.star_level() != *computed) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".star_level: claimed ", StarLevelNameEn(grade.star_level()),
        " (", StarLevelNameZh(grade.star_level()), ") but score ",
        grade.score(), " with ",
        SpecialDeductionsText(grade.special_deductions()), " gives ",
        StarLevelNameEn(*computed), " (", StarLevelNameZh(*computed), ")"));
  }
  return absl::OkStatus();
}

absl::string_view StarLevelNameZh(v1::StarLevel level) {
  switch (level) {
    case v1::STAR_LEVEL_COMPLIANT:
      return "达标级";
    case v1::STAR_LEVEL_THREE:
      return "三星级";
    case v1::STAR_LEVEL_FOUR:
      return "四星级";
    case v1::STAR_LEVEL_FIVE:
      return "五星级";
    default:
      return "未评级";
  }
}

absl::string_view StarLevelNameEn(v1::StarLevel level) {
  switch (level) {
    case v1::STAR_LEVEL_COMPLIANT:
      return "compliant";
    case v1::STAR_LEVEL_THREE:
      return "three-star";
    case v1::STAR_LEVEL_FOUR:
      return "four-star";
    case v1::STAR_LEVEL_FIVE:
      return "five-star";
    default:
      return "unspecified";
  }
}

std::string SpecialDeductionsText(uint32_t count) {
  return absl::StrCat(
      count, count == 1 ? " special deduction" : " special deductions");
}

void SetStarLevelNames(v1::StarLevel level, std::string* zh, std::string* en) {
  if (level == v1::STAR_LEVEL_UNSPECIFIED) return;
  *zh = std::string(StarLevelNameZh(level));
  *en = std::string(StarLevelNameEn(level));
}

}  // namespace certreg
