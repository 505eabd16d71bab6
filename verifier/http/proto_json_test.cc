#include "verifier/http/proto_json.h"

#include "absl/strings/match.h"
#include "certreg/v1/registry.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "verifier/http/http_status.h"

namespace certreg {
namespace {

TEST(HttpStatusTest, MapsEveryCodeAsGoogleApisDo) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kOutOfRange), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnknown), 500);
  EXPECT_EQ(CodeName(absl::StatusCode::kResourceExhausted),
            "RESOURCE_EXHAUSTED");
}

TEST(ProtoJsonTest, ErrorsHaveGooglesShapeAndTheSameMessage) {
  HttpResponse error =
      JsonError(absl::NotFoundError("number: no certificate 99999Q99999R9M"));
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.content_type, "application/json");
  google::protobuf::Struct body;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(error.body, &body).ok());
  ASSERT_EQ(body.fields().size(), 1u);
  const auto& fields = body.fields().at("error").struct_value().fields();
  EXPECT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields.at("code").number_value(), 404);
  EXPECT_EQ(fields.at("message").string_value(),
            "number: no certificate 99999Q99999R9M");
  EXPECT_EQ(fields.at("status").string_value(), "NOT_FOUND");
}

TEST(ProtoJsonTest, MessagesRoundTripInTheProto3Mapping) {
  v1::SearchCertificatesRequest request;
  request.set_query("海尔");
  request.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  request.mutable_as_of()->set_year(2026);
  HttpResponse response = JsonResponse(request);
  EXPECT_EQ(response.body,
            "{\"query\":\"海尔\",\"type\":\"CERTIFICATION_TYPE_SERVICE\","
            "\"asOf\":{\"year\":2026}}");
  v1::SearchCertificatesRequest parsed;
  ASSERT_TRUE(ParseJsonBody(response.body, &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), request.SerializeAsString());

  absl::Status unknown = ParseJsonBody("{\"qurey\":\"x\"}", &parsed);
  EXPECT_TRUE(absl::IsInvalidArgument(unknown));
  EXPECT_TRUE(absl::StartsWith(unknown.message(), "body: ")) << unknown;
  EXPECT_TRUE(absl::StrContains(unknown.message(), "qurey")) << unknown;
  EXPECT_FALSE(ParseJsonBody("{", &parsed).ok());
  EXPECT_FALSE(ParseJsonBody("", &parsed).ok());
}

TEST(ProtoJsonTest, QueryParametersSetFieldsByEitherName) {
  QueryMessageParsers parsers;
  parsers["certreg.v1.Date"] = [](absl::string_view text,
                                  google::protobuf::Message* date) {
    if (text != "2026-03-01") return absl::InvalidArgumentError("bad date");
    static_cast<v1::Date*>(date)->set_year(2026);
    return absl::OkStatus();
  };
  v1::SearchCertificatesRequest request;
  absl::Status set = QueryToMessage({{"query", "海尔"},
                                     {"type", "CERTIFICATION_TYPE_SERVICE"},
                                     {"pageSize", "5"},
                                     {"as_of", "2026-03-01"},
                                     {"status", "2"}},
                                    parsers, &request);
  ASSERT_TRUE(set.ok()) << set;
  EXPECT_EQ(request.query(), "海尔");
  EXPECT_EQ(request.type(), v1::CERTIFICATION_TYPE_SERVICE);
  EXPECT_EQ(request.page_size(), 5);
  EXPECT_EQ(request.as_of().year(), 2026);
  EXPECT_EQ(request.status(), 2);

  EXPECT_EQ(QueryToMessage({{"nope", "1"}}, parsers, &request).message(),
            "nope: unknown query parameter");
  EXPECT_EQ(
      QueryToMessage({{"page_size", "many"}}, parsers, &request).message(),
      "page_size: \"many\" is not an integer");
  EXPECT_EQ(
      QueryToMessage({{"as_of", "yesterday"}}, parsers, &request).message(),
      "as_of: bad date");
  EXPECT_TRUE(absl::StrContains(
      QueryToMessage({{"type", "GOLD"}}, parsers, &request).message(),
      "is not a CertificationType value"));
}

}  // namespace
}  // namespace certreg
