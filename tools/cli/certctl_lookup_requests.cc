#include "tools/cli/certctl_lookup_requests.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "verifier/rules/date.h"
#include "verifier/rules/status_names.h"

namespace certreg {

std::vector<v1::GetCertificateRequest> GetRequests(
    const std::vector<std::string>& numbers, bool full_view,
    const std::optional<v1::Date>& as_of) {
  v1::GetCertificateRequest request;
  request.set_view(full_view ? v1::CERTIFICATE_VIEW_FULL
                             : v1::CERTIFICATE_VIEW_BASIC);
  if (as_of) *request.mutable_as_of() = *as_of;
  std::vector<v1::GetCertificateRequest> requests;
  for (const std::string& number : numbers) {
    requests.push_back(request);
    requests.back().set_number(number);
  }
  return requests;
}

absl::StatusOr<v1::SearchCertificatesRequest> SearchRequest(
    const std::vector<std::string>& args, const SearchFlags& flags) {
  v1::SearchCertificatesRequest request;
  if (args.size() > 1) {
    return absl::InvalidArgumentError(
        "give at most one query (quote names with spaces)");
  }
  if (!args.empty()) request.set_query(args[0]);
  if (!flags.as_of.empty()) {
    absl::StatusOr<v1::Date> as_of = ParseDate(flags.as_of, "--as_of");
    if (!as_of.ok()) return as_of.status();
    *request.mutable_as_of() = *as_of;
  }
  if (!flags.type.empty()) {
    v1::CertificationType parsed;
    if (!v1::CertificationType_Parse(
            absl::StrCat("CERTIFICATION_TYPE_",
                         absl::AsciiStrToUpper(flags.type)),
            &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--type: unknown type \"", flags.type,
                       "\" (management_system, service or product)"));
    }
    request.set_type(parsed);
  }
  if (!flags.status.empty()) {
    absl::StatusOr<v1::CertificateStatus> parsed =
        ParseCertificateStatus(flags.status);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--status: ", parsed.status().message()));
    }
    request.set_status(*parsed);
  }
  request.set_item_code(flags.item);
  request.set_body_approval_number(flags.body);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  return request;
}

}  // namespace certreg
