#include "tools/cli/certctl_lookup_requests.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::StartsWith;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(GetRequestsTest, OnePerNumberInOrder) {
  const v1::Date as_of = ToProtoDate(absl::CivilDay(2026, 3, 1));
  std::vector<v1::GetCertificateRequest> requests =
      GetRequests({"90126Q21540R2M", "90119Q30555R1L"}, false, as_of);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].number(), "90126Q21540R2M");
  EXPECT_EQ(requests[1].number(), "90119Q30555R1L");
  for (const v1::GetCertificateRequest& request : requests) {
    EXPECT_EQ(request.view(), v1::CERTIFICATE_VIEW_BASIC);
    EXPECT_EQ(FormatDate(request.as_of()), "2026-03-01");
  }
}

TEST(GetRequestsTest, FullViewAndTodayUnlessAsked) {
  std::vector<v1::GetCertificateRequest> requests =
      GetRequests({"90126Q21540R2M"}, true, std::nullopt);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].view(), v1::CERTIFICATE_VIEW_FULL);
  EXPECT_FALSE(requests[0].has_as_of());
}

TEST(SearchRequestTest, QueryAndEveryFilter) {
  SearchFlags flags;
  flags.as_of = "2026-12-31";
  flags.type = "Service";
  flags.status = "暂停";
  flags.item = "S03";
  flags.body = "CNCA-R-2002-001";
  flags.page_size = 50;
  flags.page_token = "abc";
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequest({"海岳"}, flags);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->query(), "海岳");
  EXPECT_EQ(FormatDate(request->as_of()), "2026-12-31");
  EXPECT_EQ(request->type(), v1::CERTIFICATION_TYPE_SERVICE);
  EXPECT_EQ(request->status(), v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(request->item_code(), "S03");
  EXPECT_EQ(request->body_approval_number(), "CNCA-R-2002-001");
  EXPECT_EQ(request->page_size(), 50);
  EXPECT_EQ(request->page_token(), "abc");
}

TEST(SearchRequestTest, NothingGivenListsEverything) {
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequest({}, SearchFlags());
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->query(), "");
  EXPECT_FALSE(request->has_as_of());
  EXPECT_EQ(request->type(), v1::CERTIFICATION_TYPE_UNSPECIFIED);
  EXPECT_EQ(request->status(), v1::CERTIFICATE_STATUS_UNSPECIFIED);
  EXPECT_EQ(request->page_size(), 20);
}

TEST(SearchRequestTest, StatusesByTheirChineseOrEnglishNames) {
  for (const auto& [name, status] :
       std::vector<std::pair<std::string, v1::CertificateStatus>>{
           {"有效", v1::CERTIFICATE_STATUS_VALID},
           {"revoked", v1::CERTIFICATE_STATUS_REVOKED},
           {"注销", v1::CERTIFICATE_STATUS_WITHDRAWN},
           {"not yet valid", v1::CERTIFICATE_STATUS_NOT_YET_VALID},
           {"EXPIRED", v1::CERTIFICATE_STATUS_EXPIRED}}) {
    SearchFlags flags;
    flags.status = name;
    absl::StatusOr<v1::SearchCertificatesRequest> request =
        SearchRequest({}, flags);
    ASSERT_TRUE(request.ok()) << name << ": " << request.status();
    EXPECT_EQ(request->status(), status) << name;
  }
}

TEST(SearchRequestTest, AtMostOneQuery) {
  EXPECT_EQ(Message(SearchRequest({"青岛", "海岳"}, SearchFlags()).status()),
            "give at most one query (quote names with spaces)");
}

TEST(SearchRequestTest, UsageErrorsNameTheFlag) {
  SearchFlags flags;
  flags.type = "system";
  absl::StatusOr<v1::SearchCertificatesRequest> request =
      SearchRequest({}, flags);
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(request.status()),
            "--type: unknown type \"system\" (management_system, service or "
            "product)");

  flags = SearchFlags();
  flags.status = "冻结";
  EXPECT_THAT(Message(SearchRequest({}, flags).status()),
              StartsWith("--status: "));

  flags = SearchFlags();
  flags.as_of = "31.12.2026";
  EXPECT_THAT(Message(SearchRequest({}, flags).status()),
              StartsWith("--as_of: "));
}

TEST(SearchRequestTest, TheQueryCountIsCheckedFirst) {
  SearchFlags flags;
  flags.as_of = "bad";
  flags.type = "bad";
  EXPECT_EQ(Message(SearchRequest({"a", "b"}, flags).status()),
            "give at most one query (quote names with spaces)");
  EXPECT_THAT(Message(SearchRequest({"a"}, flags).status()),
              StartsWith("--as_of: "));
}

}  // namespace
}  // namespace certreg
