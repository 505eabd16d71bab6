#include "tools/demo/demo_data.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

v1::Date D(absl::CivilDay day) { return ToProtoDate(day); }

// Every demo certificate is valid three years (expiry = issue + 36 months - 1
// day), the longest the schemes allow.
constexpr int kDemoValidityMonths = 36;

struct CertificateSpec {
  const char* number;
  v1::CertificationType type;
  const char* item_code;
  const char* item_name;
  const char* basis;
  const char* holder;
  const char* address;
  // The registering authority's administrative division (GB/T 2260), where
  // `address` is: characters 3-8 of the holder's credit code.
  const char* division;
  const char* scope;
  int body;
  int issued_months_ago;
  // Recertifications before this issue: the number's "R" count.
  uint32_t recertifications;
};

v1::Certificate MakeCertificate(const CertificateSpec& spec, uint64_t seed,
                                absl::CivilDay today) {
  v1::Certificate c;
  c.set_number(spec.number);
  c.set_type(spec.type);
  c.mutable_item()->set_code(spec.item_code);
  c.mutable_item()->set_name(spec.item_name);
  c.add_basis(spec.basis);
  c.mutable_holder()->set_name(spec.holder);
  c.mutable_holder()->set_unified_social_credit_code(
      DemoCreditCode(seed, spec.division));
  c.mutable_holder()->set_address(spec.address);
  c.set_scope(spec.scope);
  const absl::CivilDay issued = AddMonths(today, -spec.issued_months_ago);
  // Each earlier cycle was three years.
  *c.mutable_first_issue_date() = D(AddMonths(
      issued, -kDemoValidityMonths * static_cast<int>(spec.recertifications)));
  *c.mutable_issue_date() = D(issued);
  *c.mutable_expiry_date() = D(AddMonths(issued, kDemoValidityMonths) - 1);
  c.set_recertification_count(spec.recertifications);
  const DemoBody& body = DemoBodies()[spec.body];
  c.set_body_approval_number(body.approval_number);
  c.set_body_name(body.name);
  return c;
}

// The first surveillance audit of a cycle: a month before it is due (within
// 12 months of the issue date).
absl::CivilDay FirstAudit(const v1::Certificate& c) {
  return AddMonths(ToCivilDay(c.issue_date()), 11);
}

// The audit after `audit`: within 12 months of it, so in the next calendar
// year at the latest and well within 15 months.
absl::CivilDay NextAudit(absl::CivilDay audit) { return AddMonths(audit, 11); }

v1::Statement Event(const v1::Certificate& c, absl::CivilDay date) {
  v1::Statement s;
  s.set_certificate_number(c.number());
  *s.mutable_date() = D(date);
  return s;
}

v1::Statement Issue(const v1::Certificate& c) {
  v1::Statement s;
  s.set_certificate_number(c.number());
  *s.mutable_date() = c.issue_date();
  *s.mutable_issue()->mutable_certificate() = c;
  return s;
}

}  // namespace

const std::vector<DemoBody>& DemoBodies() {
  static const auto* bodies = new std::vector<DemoBody>{
      {"CNCA-R-2002-901", "华信质量认证中心有限公司"},
      {"CNCA-R-2011-902", "中衡服务认证有限公司"},
  };
  return *bodies;
}

absl::StatusOr<v1::StatementReceipt> ChainWriter::Submit(
    v1::Statement statement) {
  const v1::StatementKind kind = KindOf(statement);
  if (kind != v1::STATEMENT_KIND_ISSUE && !IsAuthorityKind(kind)) {
    statement.set_previous_event_hash(heads_[statement.certificate_number()]);
  }
  CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                           SignStatement(statement, signer_));
  absl::StatusOr<v1::StatementReceipt> receipt =
      submit_(kind, signed_statement);
  if (!receipt.ok()) {
    return absl::Status(
        receipt.status().code(),
        absl::StrCat(KindName(kind), " ", statement.certificate_number(), ": ",
                     receipt.status().message()));
  }
  if (!statement.certificate_number().empty()) {
    heads_[statement.certificate_number()] = receipt->statement_hash();
  }
  return receipt;
}

std::string DemoCreditCode(uint64_t seed, absl::string_view division) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  // 9 (industry and commerce) 1 (enterprise), the division, then an
  // organisation code derived from the seed.
  std::string code = absl::StrCat("91", division);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 12345;
  for (int i = 0; i < 9; ++i) {
    code += kAlphabet[(x >> (i * 5)) % 31];
  }
  absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(code);
  code += check.ok() ? *check : '0';
  return code;
}

std::string DemoCreditCode(uint64_t seed) {
  // Qingdao, Shanghai Pudong, Shenzhen, Chengdu, Wuhan, Beijing Haidian.
  static const char* kDivisions[] = {"370200", "310115", "440300",
                                     "510100", "420100", "110108"};
  return DemoCreditCode(seed, kDivisions[seed % 6]);
}

v1::Statement DemoAccreditation(const DemoBody& body,
                                const Ed25519PublicKey& key,
                                absl::CivilDay today) {
  v1::Statement s;
  *s.mutable_date() = D(AddMonths(today, -120));
  v1::AccreditBody* accredit = s.mutable_accredit_body();
  accredit->set_approval_number(body.approval_number);
  accredit->set_name(body.name);
  accredit->set_public_key(key.raw());
  *accredit->mutable_valid_from() = D(AddMonths(today, -120));
  *accredit->mutable_valid_until() = D(AddMonths(today, 60));
  return s;
}

absl::StatusOr<std::vector<DemoCertificate>> SeedDemo(
    const Signer& operator_key, const std::vector<Ed25519PrivateKey>& body_keys,
    absl::CivilDay today, const SubmitStatementFn& submit) {
  if (body_keys.size() != DemoBodies().size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("body_keys: need ", DemoBodies().size(), " keys, got ",
                     body_keys.size()));
  }
  ChainWriter operator_writer(operator_key, submit);
  for (size_t i = 0; i < body_keys.size(); ++i) {
    CERTREG_RETURN_IF_ERROR(
        operator_writer
            .Submit(DemoAccreditation(DemoBodies()[i],
                                      body_keys[i].public_key(), today))
            .status());
  }
  ChainWriter quality(body_keys[0], submit);
  ChainWriter service(body_keys[1], submit);
  std::vector<DemoCertificate> out;

  // The dates below hold the statuses for any `today`: every date is a whole
  // number of months from `today` or from the issue date (AddMonths clamps to
  // the month's end, which moves a date by at most three days), and every
  // deadline the story relies on is a month or more away from `today`.

  // 1. Valid, audited on time; recertified twice before.
  v1::Certificate haiyue = MakeCertificate(
      {kDemoProbeNumber, v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A01",
       "质量管理体系认证（ISO 9001）", "GB/T 19001-2016/ISO 9001:2015",
       "青岛海岳电器股份有限公司", "山东省青岛市崂山区海岳路18号", "370212",
       "家用电冰箱、洗衣机的设计、生产和服务", 0, 20, 2},
      1, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(haiyue)).status());
  // 11 months after the issue, 9 months ago; the next is due 12 months or
  // more after it.
  v1::Statement audit = Event(haiyue, FirstAudit(haiyue));
  audit.mutable_surveillance()->set_note(
      "第一次监督审核，审核报告 HX-2025-0412");
  CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
  out.push_back({haiyue.number(), haiyue.holder().name(),
                 v1::CERTIFICATE_STATUS_VALID,
                 "issued 20 months ago (third cycle), first surveillance "
                 "audit 9 months ago"});

  // 2. GB/T 27922 four-star after-sales service, valid: issued 5 months ago,
  // its first surveillance audit due in 7 months.
  v1::Certificate yunfan = MakeCertificate(
      {"90224S00317R0L", v1::CERTIFICATION_TYPE_SERVICE, "S03",
       "商品售后服务评价认证", "GB/T 27922-2011", "杭州云帆家电服务有限公司",
       "浙江省杭州市西湖区文三路90号", "330106",
       "家用电器的安装、维修及售后服务", 1, 5, 0},
      2, today);
  yunfan.mutable_service_grade()->set_score(92.5);
  yunfan.mutable_service_grade()->set_special_deductions(1);
  yunfan.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  CERTREG_RETURN_IF_ERROR(service.Submit(Issue(yunfan)).status());
  out.push_back({yunfan.number(), yunfan.holder().name(),
                 v1::CERTIFICATE_STATUS_VALID,
                 "GB/T 27922 four-star (92.5 points, 1 special deduction)"});

  // 3. Suspended by its body 40 days ago; audited on time before that (its
  // second audit is not due for another month or more).
  v1::Certificate lvyuan = MakeCertificate(
      {"90115E30472R1S", v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A02",
       "环境管理体系认证（ISO 14001）", "GB/T 24001-2016/ISO 14001:2015",
       "深圳南山绿源环保科技有限公司", "广东省深圳市南山区科技园北区绿源大厦",
       "440305", "污水处理设备的研发、生产及相关环境管理活动", 0, 22, 1},
      3, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(lvyuan)).status());
  audit = Event(lvyuan, FirstAudit(lvyuan));  // 11 months ago
  audit.mutable_surveillance()->set_note("年度监督审核");
  CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
  v1::Statement suspend = Event(lvyuan, today - 40);
  suspend.mutable_suspend()->set_reason(
      "获证组织存在重大环境违法行为，正在整改");
  CERTREG_RETURN_IF_ERROR(quality.Submit(suspend).status());
  out.push_back({lvyuan.number(), lvyuan.holder().name(),
                 v1::CERTIFICATE_STATUS_SUSPENDED,
                 "suspended by its body 40 days ago"});

  // 4. Revoked: suspended 8 months ago (more than the 6 a suspension may
  // last), revoked 20 days ago.
  v1::Certificate jincheng = MakeCertificate(
      {"90119Q11234R0M", v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A01",
       "质量管理体系认证（ISO 9001）", "GB/T 19001-2016/ISO 9001:2015",
       "成都锦城精密机械制造有限公司", "四川省成都市高新区锦城大道666号",
       "510100", "精密数控机床零部件的加工", 0, 30, 0},
      4, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(jincheng)).status());
  audit = Event(jincheng, FirstAudit(jincheng));  // 19 months ago
  audit.mutable_surveillance();
  CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
  suspend = Event(jincheng, AddMonths(today, -8));
  suspend.mutable_suspend()->set_reason(
      "监督审核发现严重不符合，未在规定期限内完成整改");
  CERTREG_RETURN_IF_ERROR(quality.Submit(suspend).status());
  v1::Statement revoke = Event(jincheng, today - 20);
  revoke.mutable_revoke()->set_reason("暂停期满未能恢复");
  CERTREG_RETURN_IF_ERROR(quality.Submit(revoke).status());
  out.push_back({jincheng.number(), jincheng.holder().name(),
                 v1::CERTIFICATE_STATUS_REVOKED,
                 "suspended 8 months ago, revoked 20 days ago"});

  // 5. Surveillance overdue: issued 15 months ago, never audited; the first
  // audit was due within 12 months, so it is suspended since about 3 months
  // (revocation becomes due after 6).
  v1::Certificate changjiang = MakeCertificate(
      {"90218S00876R0S", v1::CERTIFICATION_TYPE_SERVICE, "S01", "物业服务认证",
       "GB/T 20647.9-2006", "武汉长江物业管理有限公司",
       "湖北省武汉市江岸区沿江大道100号", "420102",
       "住宅小区及写字楼的物业管理服务", 1, 15, 0},
      5, today);
  CERTREG_RETURN_IF_ERROR(service.Submit(Issue(changjiang)).status());
  out.push_back({changjiang.number(), changjiang.holder().name(),
                 v1::CERTIFICATE_STATUS_SUSPENDED,
                 "no surveillance audit within 12 months: suspended "
                 "automatically"});

  // 6. Its first audit was due 4 months ago and not done: suspended by its
  // body 3 months ago, audited late and reinstated 2 months ago, scope
  // changed last month: valid.
  v1::Certificate zhilian = MakeCertificate(
      {"90119Q30555R1L", v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A01",
       "质量管理体系认证（ISO 9001）", "GB/T 19001-2016/ISO 9001:2015",
       "北京海淀智联软件有限公司", "北京市海淀区中关村大街27号", "110108",
       "应用软件的开发和技术服务", 0, 16, 1},
      6, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(zhilian)).status());
  suspend = Event(zhilian, AddMonths(today, -3));
  suspend.mutable_suspend()->set_reason("未按期接受监督审核");
  CERTREG_RETURN_IF_ERROR(quality.Submit(suspend).status());
  audit = Event(zhilian, AddMonths(today, -2));
  audit.mutable_surveillance()->set_note("延期监督审核通过");
  CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
  v1::Statement reinstate = Event(zhilian, AddMonths(today, -2));
  reinstate.mutable_reinstate()->set_note("监督审核通过，恢复证书");
  CERTREG_RETURN_IF_ERROR(quality.Submit(reinstate).status());
  v1::Statement scope = Event(zhilian, AddMonths(today, -1));
  scope.mutable_change_scope()->set_new_scope(
      "应用软件的开发、系统集成和技术服务");
  CERTREG_RETURN_IF_ERROR(quality.Submit(scope).status());
  out.push_back({zhilian.number(), zhilian.holder().name(),
                 v1::CERTIFICATE_STATUS_VALID,
                 "first audit overdue: suspended 3 months ago, audited and "
                 "reinstated 2 months ago, scope extended last month"});

  // 7. Expired a month ago: audited in its first and second year, never
  // recertified.
  v1::Certificate huaxin = MakeCertificate(
      {"90113Q10288R0M", v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A01",
       "质量管理体系认证（ISO 9001）", "GB/T 19001-2016/ISO 9001:2015",
       "上海浦东华鑫包装材料有限公司", "上海市浦东新区张江路1200号", "310115",
       "塑料包装材料的生产", 0, 37, 0},
      7, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(huaxin)).status());
  absl::CivilDay audit_day = FirstAudit(huaxin);
  for (int i = 0; i < 2; ++i, audit_day = NextAudit(audit_day)) {
    audit = Event(huaxin, audit_day);
    audit.mutable_surveillance();
    CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
  }
  out.push_back({huaxin.number(), huaxin.holder().name(),
                 v1::CERTIFICATE_STATUS_EXPIRED, "expired a month ago"});

  // 8. In its recertification year: issued 30 months ago, both surveillance
  // audits of the cycle done (19 and 8 months ago), none due before it
  // expires in 6 months: valid.
  v1::Certificate hengrui = MakeCertificate(
      {"90123S20417R1M", v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, "A03",
       "职业健康安全管理体系认证（ISO 45001）",
       "GB/T 45001-2020/ISO 45001:2018", "苏州恒锐精密模具有限公司",
       "江苏省苏州市吴中区吴中大道2588号", "320506",
       "精密注塑模具的设计和制造及相关职业健康安全管理活动", 0, 30, 1},
      8, today);
  CERTREG_RETURN_IF_ERROR(quality.Submit(Issue(hengrui)).status());
  audit_day = FirstAudit(hengrui);
  for (const char* note : {"第一次监督审核", "第二次监督审核"}) {
    audit = Event(hengrui, audit_day);
    audit.mutable_surveillance()->set_note(note);
    CERTREG_RETURN_IF_ERROR(quality.Submit(audit).status());
    audit_day = NextAudit(audit_day);
  }
  out.push_back({hengrui.number(), hengrui.holder().name(),
                 v1::CERTIFICATE_STATUS_VALID,
                 "recertification year: both surveillance audits of the "
                 "cycle done, none due before it expires in 6 months"});
  return out;
}

}  // namespace certreg
