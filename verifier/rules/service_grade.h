#ifndef CERTREG_VERIFIER_RULES_SERVICE_GRADE_H_
#define CERTREG_VERIFIER_RULES_SERVICE_GRADE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"

namespace certreg {

// Star levels of after-sales service certificates under GB/T 27922
// (商品售后服务评价体系).

// Number of special deductions (特别扣分项) at which the evaluation fails.
inline constexpr uint32_t kMaxSpecialDeductions = 4;

// Computes the star level from the evaluation `score` and the number of
// `special_deductions`.
//
// `score` must be within 0..100 with at most one decimal place. Each special
// deduction costs one further point outside the score, so the effective score
// is score - special_deductions. The level is 五星级 (STAR_LEVEL_FIVE) at an
// effective score >= 95, 四星级 (FOUR) >= 90, 三星级 (THREE) >= 80 and 达标级
// (COMPLIANT) >= 70. Comparisons are made in integer tenths of a point.
//
// Errors (all INVALID_ARGUMENT):
//   - `score` is not finite, outside 0..100 or has more than one decimal;
//   - the evaluation fails: five or more special deductions, or an effective
//     score below 70.
absl::StatusOr<v1::StarLevel> ComputeStarLevel(double score,
                                               uint32_t special_deductions);

// Validates a graded certificate's `grade`: computes the level from score and
// deductions and requires the claimed star_level to be set and equal to it.
// `field` names the grade in errors, e.g. "certificate.service_grade".
//
// Errors (all INVALID_ARGUMENT), each message starting with a field path:
//   - "<field>.score: ..." when the score is malformed or too low;
//   - "<field>.special_deductions: ..." when there are five or more;
//   - "<field>.star_level: ..." when the claimed level is unset or differs
//     from the computed one (the message names both).
absl::Status ValidateServiceGrade(const v1::ServiceGrade& grade,
                                  absl::string_view field);

// The level's Chinese name as GB/T 27922 gives it: "达标级", "三星级",
// "四星级", "五星级"; "未评级" for STAR_LEVEL_UNSPECIFIED or an unknown value.
absl::string_view StarLevelNameZh(v1::StarLevel level);

// The level's English name: "compliant", "three-star", "four-star",
// "five-star"; "unspecified" for STAR_LEVEL_UNSPECIFIED or an unknown value.
absl::string_view StarLevelNameEn(v1::StarLevel level);

// The Chinese and English names of a star level into `zh` and `en`
// (unchanged for STAR_LEVEL_UNSPECIFIED).
void SetStarLevelNames(v1::StarLevel level, std::string* zh, std::string* en);

// "1 special deduction", "0 special deductions", "2 special deductions".
std::string SpecialDeductionsText(uint32_t count);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_SERVICE_GRADE_H_
