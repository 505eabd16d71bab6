#ifndef CERTREG_VERIFIER_BUNDLE_CHECK_RESULT_H_
#define CERTREG_VERIFIER_BUNDLE_CHECK_RESULT_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "certreg/v1/verifier.pb.h"

namespace certreg {

// What one check of a verification found, before it becomes a v1::Check of
// the response.

// A check's detail in both languages: English (v1::Check.detail) and Chinese
// (v1::Check.detail_zh).
struct Text {
  std::string en;
  std::string zh;
};

struct CheckResult {
  v1::CheckOutcome outcome = v1::CHECK_OUTCOME_PASSED;
  Text text;
};

inline CheckResult Passed(Text text) {
  return {v1::CHECK_OUTCOME_PASSED, std::move(text)};
}
inline CheckResult Failed(Text text) {
  return {v1::CHECK_OUTCOME_FAILED, std::move(text)};
}
inline CheckResult Skipped(Text text) {
  return {v1::CHECK_OUTCOME_SKIPPED, std::move(text)};
}

// Appends the check `name` with `result` (its texts moved) to `response`.
inline void AddCheck(v1::VerifyResponse& response, absl::string_view name,
                     CheckResult result) {
  v1::Check* check = response.add_checks();
  check->set_name(std::string(name));
  check->set_outcome(result.outcome);
  check->set_detail(std::move(result.text.en));
  check->set_detail_zh(std::move(result.text.zh));
}

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_CHECK_RESULT_H_
