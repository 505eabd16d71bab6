#ifndef CERTREG_TOOLS_CLI_CERTCTL_TEXT_H_
#define CERTREG_TOOLS_CLI_CERTCTL_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "certreg/v1/status.pb.h"
#include "google/protobuf/message.h"

namespace certreg {

// The words and numbers every certctl command prints the same way.

// A status by its Chinese and English names: "有效 valid", "暂停 suspended".
std::string StatusName(v1::CertificateStatus status);

// `count` and the English `noun`, plural unless count is 1: "1 row",
// "3 rows".
std::string Counted(int64_t count, absl::string_view noun);

// A progress bar of 30 characters and the percentage:
// "[###############...............]  50.0%"; `fraction` is clamped to 0..1.
std::string ProgressBar(double fraction);

// `message` in the API's JSON form: proto field names, indented, ending in a
// newline. What --json prints.
std::string JsonText(const google::protobuf::Message& message);

// JsonText(message) to standard output.
void PrintJson(const google::protobuf::Message& message);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_TEXT_H_
