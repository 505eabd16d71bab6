#ifndef CERTREG_VERIFIER_BASE_STATUS_ANSWER_H_
#define CERTREG_VERIFIER_BASE_STATUS_ANSWER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certreg {

// One item's answer inside a batch response -- SubmitStatementResult,
// CertificateLookup, VerificationBundleResult -- carries the status its own
// call would have returned as a google.rpc.Code number and a message. These
// are the two directions of that conversion, code for code (absl::StatusCode
// follows google.rpc.Code), without gRPC.
//
// Example:
//   v1::CertificateLookup answer;
//   SetAnswerStatus(found.status(), &answer);            // server side
//   absl::Status s = AnswerStatus(answer.code(), answer.message());  // client

// Sets `answer`'s code and message from `status`: 0 and "" when OK. `Answer`
// is any message with set_code(int32) and set_message(string).
template <typename Answer>
void SetAnswerStatus(const absl::Status& status, Answer* answer) {
  answer->set_code(static_cast<int32_t>(status.code()));
  answer->set_message(std::string(status.message()));
}

// The status an answer's code and message stand for: OK for 0; a number absl
// does not know reads as UNKNOWN, its message kept.
absl::Status AnswerStatus(int code, absl::string_view message);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BASE_STATUS_ANSWER_H_
