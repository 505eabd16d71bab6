// certctl's CSV reader (import) on arbitrary files.
//
// Input: the file's bytes. The header is read, then every row; each row that
// reads is validated (ValidateRecord), printed as JSON, and written back with
// CertificateCsvWriter.
//
// Properties checked: row numbers count up by one per row; a row that was
// read, written and read again gives back the same record (the documented
// round trip) and the same validation verdict; a row that passes
// ValidateRecord makes statements protobuf can carry (valid UTF-8 in every
// string field, which import needs to send them).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/fuzz_support.h"
#include "tools/cli/certificate_csv.h"

namespace certreg {
namespace {

using google::protobuf::util::MessageDifferencer;

// Rows read per input at most (inputs are small; this bounds the odd one).
constexpr int kMaxRows = 1000;

void CheckRoundTrip(const CertificateRecord& record) {
  std::ostringstream written;
  CertificateCsvWriter writer(&written);
  writer.WriteHeader();
  writer.Write(record);
  std::istringstream in(written.str());
  absl::StatusOr<std::unique_ptr<CertificateCsvReader>> reader =
      CertificateCsvReader::Open(&in);
  FUZZ_CHECK(reader.ok(), reader.status().ToString());
  absl::StatusOr<std::optional<CertificateRecord>> again = (*reader)->Next();
  FUZZ_CHECK(again.ok() && again->has_value(),
             absl::StrCat("the writer's row does not read back: ",
                          again.status().ToString(), "\n", written.str()));
  const CertificateRecord& back = **again;
  FUZZ_CHECK(
      MessageDifferencer::Equals(back.certificate, record.certificate),
      absl::StrCat("the certificate changed on a round trip:\n", written.str(),
                   "\nread back as\n", back.certificate.DebugString(),
                   "\nwas\n", record.certificate.DebugString()));
  FUZZ_CHECK(back.events.size() == record.events.size(),
             absl::StrCat("events changed on a round trip:\n", written.str()));
  for (size_t i = 0; i < back.events.size(); ++i) {
    FUZZ_CHECK(MessageDifferencer::Equals(back.events[i], record.events[i]),
               absl::StrCat("event ", i + 1, " changed on a round trip:\n",
                            written.str(), "\nread back as\n",
                            back.events[i].DebugString(), "\nwas\n",
                            record.events[i].DebugString()));
  }
  absl::StatusOr<std::optional<CertificateRecord>> end = (*reader)->Next();
  FUZZ_CHECK(end.ok() && !end->has_value(), "the writer wrote a second row");
  FUZZ_CHECK(ValidateRecord(back).code() == ValidateRecord(record).code(),
             "validation differs after a round trip");
}

// True when `message` survives serialization and parsing (proto3 refuses to
// parse a string field holding invalid UTF-8).
bool Transmissible(const google::protobuf::Message& message) {
  std::unique_ptr<google::protobuf::Message> parsed(message.New());
  return parsed->ParseFromString(message.SerializeAsString());
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  absl::StatusOr<std::unique_ptr<CertificateCsvReader>> reader =
      CertificateCsvReader::Open(&in);
  if (!reader.ok()) return 0;
  for (int row = 1; row <= kMaxRows; ++row) {
    absl::StatusOr<std::optional<CertificateRecord>> record = (*reader)->Next();
    if (record.ok() && !record->has_value()) break;
    FUZZ_CHECK(
        (*reader)->row_number() == row,
        absl::StrCat("row_number ", (*reader)->row_number(), " for row ", row));
    if (!record.ok()) {
      FUZZ_CHECK(absl::IsInvalidArgument(record.status()),
                 record.status().ToString());
      continue;
    }
    if (ValidateRecord(**record).ok()) {
      FUZZ_CHECK(Transmissible((*record)->certificate),
                 absl::StrCat("a valid row's certificate cannot be sent:\n",
                              (*record)->certificate.DebugString()));
      for (const v1::Statement& event : (*record)->events) {
        FUZZ_CHECK(Transmissible(event),
                   absl::StrCat("a valid row's event cannot be sent:\n",
                                event.DebugString()));
      }
    }
    CertificateRecordToJsonLine(**record);
    CheckRoundTrip(**record);
  }
  return 0;
}
