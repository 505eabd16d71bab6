#include "verifier/base/status_answer.h"

#include <string>

#include "gtest/gtest.h"

namespace certreg {
namespace {

// The shape of SubmitStatementResult, CertificateLookup and
// VerificationBundleResult, without their protos.
struct Answer {
  void set_code(int32_t value) { code = value; }
  void set_message(std::string value) { message = std::move(value); }
  int32_t code = -1;
  std::string message = "unset";
};

TEST(StatusAnswerTest, AStatusBecomesItsCodeAndMessage) {
  Answer answer;
  SetAnswerStatus(absl::NotFoundError("certificate X is not in the registry"),
                  &answer);
  EXPECT_EQ(answer.code, 5);
  EXPECT_EQ(answer.message, "certificate X is not in the registry");
  SetAnswerStatus(absl::OkStatus(), &answer);
  EXPECT_EQ(answer.code, 0);
  EXPECT_EQ(answer.message, "");
}

TEST(StatusAnswerTest, AnAnswerReadsAsItsStatus) {
  EXPECT_TRUE(AnswerStatus(0, "").ok());
  EXPECT_EQ(AnswerStatus(5, "certificate_number: no certificate X"),
            absl::NotFoundError("certificate_number: no certificate X"));
  EXPECT_EQ(AnswerStatus(3, "number: empty"),
            absl::InvalidArgumentError("number: empty"));
  // A code from a newer server that this build does not know.
  const absl::Status odd = AnswerStatus(99, "something new");
  EXPECT_EQ(odd.code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(odd.message(), "something new");
}

TEST(StatusAnswerTest, EveryCodeGoesThereAndBack) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code),
                              code == 0 ? "" : "why");
    Answer answer;
    SetAnswerStatus(status, &answer);
    EXPECT_EQ(answer.code, code);
    EXPECT_EQ(AnswerStatus(answer.code, answer.message), status) << code;
  }
}

}  // namespace
}  // namespace certreg
