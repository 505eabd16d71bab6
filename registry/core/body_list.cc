#include "registry/core/body_list.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "registry/core/paging.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/authority_rules.h"

namespace certreg {

absl::StatusOr<v1::ListBodiesResponse> ListBodies(
    const ReadableStore& durable, absl::CivilDay today,
    const v1::ListBodiesRequest& request) {
  CERTREG_ASSIGN_OR_RETURN(int page_size,
                           PageSize(request.page_size(), kDefaultBodiesPageSize,
                                    kMaxBodiesPageSize, "page_size"));
  CERTREG_ASSIGN_OR_RETURN(std::string after,
                           DecodePageToken("bodies", request.page_token()));
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<KeyValue> rows,
      durable.Scan(Column::kBodies, after.empty() ? "" : KeyAfter(after), "",
                   page_size + 1));
  v1::ListBodiesResponse response;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page_size);
       ++i) {
    v1::CertificationBody* body = response.add_bodies();
    if (!body->ParseFromString(rows[i].second)) {
      return absl::DataLossError(
          absl::StrCat("body record ", rows[i].first, " is corrupt"));
    }
    body->set_accredited(AccreditedOn(*body, today));
  }
  if (rows.size() > static_cast<size_t>(page_size)) {
    response.set_next_page_token(
        EncodePageToken("bodies", rows[page_size - 1].first));
  }
  return response;
}

}  // namespace certreg
