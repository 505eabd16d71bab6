#include "verifier/grpc/request_parse_errors.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(RequestParseErrorMessageTest, NamesTheFieldThatIsNotUtf8) {
  EXPECT_EQ(RequestParseErrorMessage(
                "/certreg.v1.RegistryService/GetCertificate",
                "String field 'certreg.v1.GetCertificateRequest.number' "
                "contains invalid UTF-8 data when parsing a protocol buffer. "
                "Use the 'bytes' type if you intend to send raw bytes. "),
            "request: field certreg.v1.GetCertificateRequest.number is not "
            "valid UTF-8 (string fields must be UTF-8; the request was not "
            "read)");
}

TEST(RequestParseErrorMessageTest, NamesTheMethodForOtherDamage) {
  EXPECT_EQ(
      RequestParseErrorMessage("/certreg.v1.RegistryService/GetCertificate",
                               ""),
      "request: the bytes sent to /certreg.v1.RegistryService/GetCertificate "
      "are not a valid protobuf message of its request type (the request was "
      "not read)");
}

}  // namespace
}  // namespace certreg
