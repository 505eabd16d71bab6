#include "tools/cli/certctl_lookup_text.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Date D(int y, int m, int d) { return ToProtoDate(absl::CivilDay(y, m, d)); }

// A GB/T 27922 certificate, suspended, as of a day before its last event.
v1::GetCertificateResponse ServiceCertificate() {
  v1::GetCertificateResponse response;
  v1::Certificate& c = *response.mutable_certificate();
  c.set_number("90224S00317R0L");
  c.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  c.mutable_item()->set_code("S03");
  c.mutable_item()->set_name("商品售后服务评价认证");
  c.add_basis("GB/T 27922-2011");
  c.mutable_holder()->set_name("杭州云帆家电服务有限公司");
  c.mutable_holder()->set_unified_social_credit_code("91330106MA2B3C4D5E");
  c.mutable_holder()->set_address("浙江省杭州市西湖区文三路1号");
  v1::Site& site = *c.mutable_holder()->add_sites();
  site.set_name("维修中心");
  site.set_address("杭州市余杭区");
  c.set_scope("家用电器的售后服务");
  c.mutable_service_grade()->set_score(92.5);
  c.mutable_service_grade()->set_special_deductions(1);
  c.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  *c.mutable_first_issue_date() = D(2024, 1, 10);
  *c.mutable_issue_date() = D(2024, 1, 10);
  *c.mutable_expiry_date() = D(2027, 1, 9);
  c.set_body_approval_number("CNCA-R-2002-001");
  c.set_body_name("示例认证有限公司");
  v1::EffectiveStatus& status = *response.mutable_status();
  status.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
  *status.mutable_as_of() = D(2026, 3, 1);
  status.set_rules_version(2);
  v1::StatusReason& reason = *status.add_reasons();
  reason.set_text_zh("认证机构暂停");
  reason.set_text_en("suspended by the body");
  *response.mutable_last_surveillance_date() = D(2025, 1, 5);
  response.set_surveillance_count(1);
  v1::HistoryEntry& issued = *response.add_history();
  *issued.mutable_date() = D(2024, 1, 10);
  issued.set_details("颁证 issued");
  issued.set_leaf_index(12);
  v1::HistoryEntry& suspended = *response.add_history();
  *suspended.mutable_date() = D(2026, 2, 1);
  suspended.set_details("暂停 suspended: 未按期整改");
  suspended.set_leaf_index(40);
  response.set_later_event_count(1);
  return response;
}

TEST(CertificateTextTest, DetailsHistoryAndLaterEvents) {
  EXPECT_EQ(CertificateText(ServiceCertificate()),
            R"(字段 field                      内容 value
------------------------------  ---------------------------------------------------
证书编号 number                 90224S00317R0L
证书状态 status                 暂停 suspended (as of 2026-03-01, rules v2)
  原因 reason                   认证机构暂停 / suspended by the body
获证组织 holder                 杭州云帆家电服务有限公司
统一社会信用代码 credit code    91330106MA2B3C4D5E
注册地址 address                浙江省杭州市西湖区文三路1号
  场所 site                     维修中心 杭州市余杭区
认证类型 type                   服务 service
认证项目 item                   S03 商品售后服务评价认证
认证依据 basis                  GB/T 27922-2011
认证范围 scope                  家用电器的售后服务
星级 star level                 四星级 four-star (92.5 points, 1 special deduction)
初次获证日期 first issued       2024-01-10
颁证日期 issued                 2024-01-10
证书到期日期 expires            2027-01-09
再认证次数 recertifications     0
最近监督日期 last surveillance  2025-01-05
监督次数 surveillance audits    1
认证机构 body                   示例认证有限公司 (CNCA-R-2002-001)

证书变化历史轨迹 history
日期 date   活动 activity               日志位置 log index
----------  --------------------------  ------------------
2024-01-10  颁证 issued                 12
2026-02-01  暂停 suspended: 未按期整改  40
as of 2026-03-01: 1 later event not shown
)");
}

TEST(CertificateTextTest, TodaysPageOfAManagementSystemCertificate) {
  v1::GetCertificateResponse response = ServiceCertificate();
  response.mutable_certificate()->set_type(
      v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  response.mutable_certificate()->clear_service_grade();
  response.mutable_certificate()->mutable_holder()->clear_sites();
  response.mutable_status()->set_status(v1::CERTIFICATE_STATUS_VALID);
  response.mutable_status()->clear_reasons();
  response.mutable_status()->clear_rules_version();
  response.set_later_event_count(0);
  const std::string text = CertificateText(response);
  EXPECT_THAT(text, HasSubstr("\n证书状态 status                 有效 valid "
                              "(as of 2026-03-01)\n"));
  EXPECT_THAT(text, HasSubstr("管理体系 management system"));
  EXPECT_THAT(text, Not(HasSubstr("原因 reason")));
  EXPECT_THAT(text, Not(HasSubstr("场所 site")));
  EXPECT_THAT(text, Not(HasSubstr("星级 star level")));
  EXPECT_THAT(text, EndsWith("  40\n"));
}

TEST(CertificationTypeNameTest, ChineseThenEnglish) {
  EXPECT_EQ(CertificationTypeName(v1::CERTIFICATION_TYPE_PRODUCT),
            "产品 product");
  EXPECT_EQ(CertificationTypeName(v1::CERTIFICATION_TYPE_UNSPECIFIED), "-");
}

TEST(LookupErrorTextTest, NamesTheNumberOnce) {
  EXPECT_EQ(LookupErrorText("90126Q21540R2X",
                            absl::NotFoundError("no such certificate")),
            "certctl: 90126Q21540R2X: no such certificate\n");
  EXPECT_EQ(LookupErrorText(
                "90126Q21540R2X",
                absl::NotFoundError("certificate 90126Q21540R2X not found")),
            "certctl: certificate 90126Q21540R2X not found\n");
}

TEST(SearchResultsTextTest, OneRowPerHitAndTheNextPage) {
  v1::SearchCertificatesResponse response;
  v1::CertificateSummary& hit = *response.add_certificates();
  hit.set_number("90126Q21540R2M");
  hit.set_holder_name("青岛海岳电器股份有限公司");
  hit.mutable_status()->set_status(v1::CERTIFICATE_STATUS_VALID);
  *hit.mutable_expiry_date() = D(2027, 5, 31);
  hit.set_body_approval_number("CNCA-R-2002-001");
  response.set_next_page_token("tok");
  EXPECT_EQ(SearchResultsText(response),
            "证书编号 number  获证组织 holder           状态 status  "
            "到期 expires  认证机构 body\n"
            "---------------  ------------------------  -----------  "
            "------------  ---------------\n"
            "90126Q21540R2M   青岛海岳电器股份有限公司  有效 valid   "
            "2027-05-31    CNCA-R-2002-001\n"
            "\n"
            "more: --page_token=tok\n");
}

TEST(SearchResultsTextTest, NoHits) {
  EXPECT_EQ(SearchResultsText(v1::SearchCertificatesResponse()),
            "no certificates found\n");
}

TEST(BodiesTextTest, WindowsAndKeys) {
  v1::ListBodiesResponse response;
  v1::CertificationBody& body = *response.add_bodies();
  body.set_approval_number("CNCA-R-2002-001");
  body.set_name("示例认证有限公司");
  *body.mutable_accredited_from() = D(2024, 1, 1);
  *body.mutable_accredited_until() = D(2029, 12, 31);
  body.set_accredited(true);
  body.add_keys()->set_state(v1::KEY_STATE_ACTIVE);
  body.add_keys()->set_state(v1::KEY_STATE_RETIRED);
  body.add_keys()->set_state(v1::KEY_STATE_RETIRED);
  body.add_accreditation_history();
  body.add_accreditation_history();
  v1::CertificationBody& lapsed = *response.add_bodies();
  lapsed.set_approval_number("CNCA-R-2006-904");
  lapsed.set_name("远衡检验认证有限公司");
  *lapsed.mutable_accredited_from() = D(2016, 1, 1);
  *lapsed.mutable_accredited_until() = D(2020, 12, 31);
  lapsed.add_keys()->set_state(v1::KEY_STATE_ACTIVE);
  lapsed.add_accreditation_history();
  EXPECT_EQ(BodiesText(response),
            "批准号 approval  名称 name             认可期 accredited"
            "                     密钥 keys\n"
            "---------------  --------------------  -------------------"
            "-----------------  -------------------\n"
            "CNCA-R-2002-001  示例认证有限公司      2024-01-01 to "
            "2029-12-31 + 1 earlier  1 active, 2 retired\n"
            "CNCA-R-2006-904  远衡检验认证有限公司  2016-01-01 to "
            "2020-12-31 (not now)    1 active, 0 retired\n");
}

}  // namespace
}  // namespace certreg
