#include "tools/cli/certctl_watch.h"

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

std::string StatusText(const v1::EffectiveStatus& status) {
  return absl::StrCat(status.status_name_zh(), " ", status.status_name_en());
}

}  // namespace

std::string ChangeLine(const v1::CertificateChange& change) {
  const std::string cursor = absl::StrCat("  cursor=", change.cursor());
  switch (change.kind()) {
    case v1::CHANGE_KIND_CURRENT_STATE:
      return absl::StrCat("now ", change.certificate_number(), ": ",
                          StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_STATEMENT:
      return absl::StrCat(FormatDate(change.status().as_of()), " statement ",
                          change.certificate_number(), " ",
                          KindName(change.statement_kind()), " (log index ",
                          change.leaf_index(),
                          "): ", StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_STATUS_CHANGE:
      return absl::StrCat(FormatDate(change.effective_date()), " status ",
                          change.certificate_number(), ": ",
                          StatusText(change.previous_status()), " -> ",
                          StatusText(change.status()), cursor);
    case v1::CHANGE_KIND_HEARTBEAT:
      return absl::StrCat("heartbeat", cursor);
    default:
      return absl::StrCat("unknown change", cursor);
  }
}

int WatchCommand(const Args& args) {
  v1::WatchCertificatesRequest request;
  for (const std::string& number : args) {
    request.mutable_filter()->add_certificate_numbers(number);
  }
  for (absl::string_view code : absl::StrSplit(absl::GetFlag(FLAGS_credit_code),
                                               ',', absl::SkipWhitespace())) {
    request.mutable_filter()->add_unified_social_credit_codes(
        std::string(code));
  }
  for (absl::string_view body :
       absl::StrSplit(absl::GetFlag(FLAGS_body), ',', absl::SkipWhitespace())) {
    request.mutable_filter()->add_body_approval_numbers(std::string(body));
  }
  if (request.filter().ByteSizeLong() == 0) {
    return Usage("watch",
                 "give certificate numbers, --credit_code or --body to watch");
  }
  request.set_cursor(absl::GetFlag(FLAGS_cursor));
  const bool json = absl::GetFlag(FLAGS_json);
  absl::Status ended =
      Client()->Watch(request, [json](const v1::CertificateChange& change) {
        if (json) {
          PrintJson(change);
        } else {
          std::cout << ChangeLine(change) << std::endl;
        }
        return std::cout.good();
      });
  return ended.ok() ? kExitOk : Fail(ended);
}

}  // namespace certreg
