#ifndef CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_TEXT_H_
#define CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/registry.pb.h"

namespace certreg {

// The registry's answers as certctl get, search and bodies print them:
// tables whose columns line up on a terminal, Chinese and English headings.

// "管理体系 management system", "服务 service", "产品 product"; "-" for
// none.
std::string CertificationTypeName(v1::CertificationType type);

// The page of one certificate (certctl get): a table of its details with
// the status, the reasons for it and the scheme rules version it was
// computed under; then "证书变化历史轨迹 history" and a table of the
// statements (date, activity, log index); then, as of a past date, the
// count of later events not shown.
std::string CertificateText(const v1::GetCertificateResponse& response);

// The line certctl get prints for a number it could not look up (not found,
// malformed): "certctl: NUMBER: MESSAGE", without repeating the number when
// the message already names it.
std::string LookupErrorText(absl::string_view number,
                            const absl::Status& status);

// Search hits, one row each (number, holder, status, expiry, body), and
// "more: --page_token=TOKEN" when there are more pages; "no certificates
// found" for none.
std::string SearchResultsText(const v1::SearchCertificatesResponse& response);

// The certification bodies, one row each: approval number, name, the
// latest accreditation window (" (not now)" when today is outside it,
// " + N earlier" for earlier windows) and the count of active and retired
// keys.
std::string BodiesText(const v1::ListBodiesResponse& response);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_LOOKUP_TEXT_H_
