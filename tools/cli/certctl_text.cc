#include "tools/cli/certctl_text.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "verifier/rules/status_engine.h"

namespace certreg {

std::string StatusName(v1::CertificateStatus status) {
  return absl::StrCat(CertificateStatusNameZh(status), " ",
                      CertificateStatusNameEn(status));
}

std::string ProgressBar(double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int filled = static_cast<int>(fraction * 30);
  return absl::StrFormat("[%s%s] %5.1f%%", std::string(filled, '#'),
                         std::string(30 - filled, '.'), fraction * 100);
}

std::string Counted(int64_t count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

std::string JsonText(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintJson(const google::protobuf::Message& message) {
  std::cout << JsonText(message);
}

}  // namespace certreg
