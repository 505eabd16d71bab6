#include "verifier/base/status_answer.h"

namespace certreg {

absl::Status AnswerStatus(int code, absl::string_view message) {
  if (code == 0) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(code), message);
}

}  // namespace certreg
