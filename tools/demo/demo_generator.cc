#include "tools/demo/demo_generator.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_engine.h"

namespace certreg {
namespace {

// splitmix64: a small, fast, well-mixed generator; one per row.
class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0.
  int64_t Uniform(int64_t n) { return static_cast<int64_t>(Next() % n); }
  // Uniform in [lo, hi], lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) { return lo + Uniform(hi - lo + 1); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Uniform(N)];
  }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t x) {
  Rng rng(x);
  return rng.Next();
}

struct City {
  const char* name;
  const char* province;
  const char* region;  // administrative division code
  const char* districts[4];
};

constexpr City kCities[] = {
    {"青岛", "山东省", "370200", {"市南区", "崂山区", "黄岛区", "城阳区"}},
    {"杭州", "浙江省", "330100", {"西湖区", "滨江区", "余杭区", "萧山区"}},
    {"深圳", "广东省", "440300", {"南山区", "福田区", "宝安区", "龙岗区"}},
    {"成都", "四川省", "510100", {"武侯区", "锦江区", "双流区", "郫都区"}},
    {"武汉", "湖北省", "420100", {"江岸区", "洪山区", "江夏区", "东西湖区"}},
    {"苏州", "江苏省", "320500", {"吴中区", "相城区", "虎丘区", "姑苏区"}},
    {"南京", "江苏省", "320100", {"江宁区", "鼓楼区", "浦口区", "栖霞区"}},
    {"西安", "陕西省", "610100", {"雁塔区", "未央区", "长安区", "碑林区"}},
    {"宁波", "浙江省", "330200", {"鄞州区", "北仑区", "镇海区", "江北区"}},
    {"厦门", "福建省", "350200", {"思明区", "湖里区", "集美区", "海沧区"}},
    {"合肥", "安徽省", "340100", {"蜀山区", "包河区", "庐阳区", "瑶海区"}},
    {"长沙", "湖南省", "430100", {"岳麓区", "雨花区", "开福区", "天心区"}},
    {"郑州", "河南省", "410100", {"金水区", "二七区", "中原区", "管城回族区"}},
    {"济南", "山东省", "370100", {"历下区", "槐荫区", "天桥区", "历城区"}},
    {"无锡", "江苏省", "320200", {"梁溪区", "滨湖区", "新吴区", "锡山区"}},
    {"佛山", "广东省", "440600", {"禅城区", "南海区", "顺德区", "三水区"}},
};

constexpr const char* kRoads[] = {
    "人民路",   "中山路",   "解放路",   "建设路",   "长江路", "科技路",
    "创业大道", "高新大道", "工业园路", "滨海大道", "振兴路", "兴业路",
    "文化路",   "和平路",   "湖滨路",   "金桥路",
};

// Invented brand syllables; a brand is one of each.
constexpr const char* kBrandFirst[] = {
    "瑞", "恒", "鼎", "华", "启", "盛", "嘉", "锦", "宏", "翔",
    "泰", "德", "腾", "润", "汇", "泓", "卓", "昊", "骏", "澜",
};
constexpr const char* kBrandSecond[] = {
    "丰", "越", "岳", "帆", "明", "达", "辉", "源", "峰", "远",
    "诚", "信", "通", "博", "川", "晟", "弘", "霖", "朗", "拓",
};

struct Industry {
  const char* name;
  bool goods;  // makes goods: after-sales service and product certificates
  const char* items[6];
  const char* activity;          // appended to the items in a scope
  const char* product_standard;  // basis of a product certificate
};

constexpr Industry kIndustries[] = {
    {"电器",
     true,
     {"家用电冰箱", "洗衣机", "房间空气调节器", "电热水器", "吸油烟机",
      "电饭锅"},
     "的设计、生产和服务",
     "GB 4706.1-2005"},
    {"机械",
     true,
     {"数控机床", "液压元件", "减速机", "工业阀门", "齿轮箱", "输送设备"},
     "的设计、加工和销售",
     "GB/T 5226.1-2019"},
    {"科技",
     true,
     {"智能电能表", "温湿度传感器", "工业控制器", "LED照明灯具", "电子元器件",
      "安防监控设备"},
     "的研发、生产和销售",
     "GB/T 17626.2-2018"},
    {"环保",
     true,
     {"污水处理设备", "废气净化设备", "除尘设备", "固废处理设备",
      "水质监测仪器", "环保工程"},
     "的设计、制造和安装",
     "HJ/T 283-2006"},
    {"物业",
     false,
     {"住宅小区", "写字楼", "产业园区", "商业综合体", "学校", "医院"},
     "的物业管理服务",
     ""},
    {"软件",
     false,
     {"企业管理软件", "移动应用软件", "信息系统集成", "数据处理",
      "运维服务平台", "电子商务平台"},
     "的开发和技术服务",
     ""},
    {"建材",
     true,
     {"预拌混凝土", "加气混凝土砌块", "陶瓷砖", "防水卷材", "人造板",
      "建筑涂料"},
     "的生产和销售",
     "GB/T 35601-2017"},
    {"食品",
     true,
     {"速冻面米制品", "饮料", "糕点", "调味品", "肉制品", "乳制品"},
     "的生产和销售",
     "GB/T 27306-2008"},
    {"物流",
     false,
     {"道路普通货物运输", "仓储", "城市配送", "冷链运输", "国际货运代理",
      "供应链管理"},
     "服务",
     ""},
    {"纺织",
     true,
     {"针织服装", "家用纺织品", "无纺布", "功能性面料", "羽绒制品", "工装"},
     "的设计、生产和销售",
     "GB 18401-2010"},
};

constexpr const char* kSuspendReasons[] = {
    "未按期接受监督审核",
    "获证组织主动申请暂停",
    "监督审核发现严重不符合，未在规定期限内完成整改",
    "获证组织发生重大质量事故，正在调查处理",
    "获证组织被有关执法监管部门责令停业整顿",
};
constexpr const char* kRevokeReasons[] = {
    "暂停期满未能恢复",
    "获证组织拒绝接受监督审核",
    "获证组织提供虚假材料",
    "获证组织出现重大质量安全问题",
};
constexpr const char* kWithdrawReasons[] = {
    "获证组织申请注销",
    "获证组织已停产",
    "获证组织已注销营业执照",
    "获证组织不再需要该认证",
};
constexpr const char* kAuditNotes[] = {
    "监督审核通过",
    "年度监督审核，未发现严重不符合",
    "监督审核通过，轻微不符合已关闭",
    "",
};

enum Kind { kQms, kEms, kOhs, kService, kProduct };

struct KindInfo {
  v1::CertificationType type;
  char letter;
  const char* item_code;
  const char* item_name;
  const char* basis;  // empty: the industry's product standard
  const char* scope_suffix;
};

constexpr KindInfo kKinds[] = {
    {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, 'Q', "A01",
     "质量管理体系认证（ISO 9001）", "GB/T 19001-2016/ISO 9001:2015", ""},
    {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, 'E', "A02",
     "环境管理体系认证（ISO 14001）", "GB/T 24001-2016/ISO 14001:2015",
     "及相关环境管理活动"},
    {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM, 'O', "A03",
     "职业健康安全管理体系认证（ISO 45001）", "GB/T 45001-2020/ISO 45001:2018",
     "及相关职业健康安全管理活动"},
    {v1::CERTIFICATION_TYPE_SERVICE, 'S', "S03", "商品售后服务评价认证",
     "GB/T 27922-2011", ""},
    {v1::CERTIFICATION_TYPE_PRODUCT, 'P', "P01", "自愿性产品认证", "", ""},
};

constexpr char kUsccAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// "A、B和C" from `count` distinct items of `industry`.
std::string Items(const Industry& industry, int count, Rng& rng) {
  const int first = static_cast<int>(rng.Uniform(6));
  const int step = rng.Uniform(2) == 0 ? 1 : 5;  // coprime to 6: distinct
  std::vector<std::string> items;
  for (int k = 0; k < count; ++k) {
    items.push_back(industry.items[(first + k * step) % 6]);
  }
  if (items.size() == 1) return items[0];
  std::string last = items.back();
  items.pop_back();
  return absl::StrCat(absl::StrJoin(items, "、"), "和", last);
}

std::string Scope(const Industry& industry, Kind kind, int count, Rng& rng) {
  const std::string items = Items(industry, count, rng);
  switch (kind) {
    case kService:
      return absl::StrCat(items, "的销售及售后服务（送货、安装、维修、",
                          "退换货及投诉处理）");
    case kProduct:
      return absl::StrCat(items, "（", rng.Between(2, 30), "个型号）");
    default:
      return absl::StrCat(items, industry.activity, kKinds[kind].scope_suffix);
  }
}

std::string Address(const City& city, const char* district, Rng& rng) {
  return absl::StrCat(city.province, city.name, "市", district,
                      rng.Pick(kRoads), rng.Between(1, 999), "号");
}

v1::Statement Event(const v1::Certificate& c, absl::CivilDay date) {
  v1::Statement s;
  *s.mutable_date() = ToProtoDate(date);
  s.set_certificate_number(c.number());
  return s;
}

// Builds a certificate's history after issue, in chronological order, under
// `rules` (the scheme rules of its type): surveillance audits are placed
// before they are due (SurveillanceDue), at most the cycle's number, and a
// renewal starts a new cycle.
class History {
 public:
  History(const v1::Certificate& c, absl::CivilDay issue,
          const v1::CertificationRules& rules, Rng& rng)
      : c_(c),
        rules_(rules),
        cycle_issue_(issue),
        expiry_(AddMonths(issue, 36) - 1),
        rng_(rng),
        last_(issue) {}

  absl::CivilDay last() const { return last_; }
  absl::CivilDay expiry() const { return expiry_; }
  std::vector<v1::Statement>& events() { return events_; }

  // When the cycle's next surveillance audit is due, if one is.
  std::optional<absl::CivilDay> Due() const {
    return SurveillanceDue(cycle_issue_, cycle_audits_, rules_);
  }

  // The cycle's surveillance audits, each 10-60 days before a year has
  // passed since the issue date or the previous audit (so never after it is
  // due), dated at most `limit` and inside the validity period, until the
  // cycle needs none.
  void Audits(absl::CivilDay limit) {
    while (std::optional<absl::CivilDay> due = Due()) {
      const absl::CivilDay after =
          cycle_audits_.empty() ? cycle_issue_ : cycle_audits_.back();
      const absl::CivilDay next =
          std::min(AddMonths(after, 12), *due) - rng_.Between(10, 60);
      if (next > limit || next > expiry_ || next < last_) break;
      Audit(next);
    }
  }

  // A surveillance audit on `day`.
  void Audit(absl::CivilDay day) {
    v1::Statement s = Event(c_, day);
    s.mutable_surveillance()->set_note(rng_.Pick(kAuditNotes));
    Add(std::move(s));
    cycle_audits_.push_back(day);
  }

  // Recertification dated `day` (on or before the expiry date): a new
  // 36-month window from the day after the expiry date, a new cycle.
  void Renew(absl::CivilDay day, v1::Statement renew) {
    const absl::CivilDay new_issue = expiry_ + 1;
    *renew.mutable_date() = ToProtoDate(day);
    *renew.mutable_renew()->mutable_new_issue_date() = ToProtoDate(new_issue);
    expiry_ = AddMonths(new_issue, 36) - 1;
    *renew.mutable_renew()->mutable_new_expiry_date() = ToProtoDate(expiry_);
    Add(std::move(renew));
    cycle_issue_ = new_issue;
    cycle_audits_.clear();
  }

  void Add(v1::Statement s) {
    last_ = ToCivilDay(s.date());
    events_.push_back(std::move(s));
  }

  // A day in [max(lo, last), hi]; requires that range to be non-empty.
  absl::CivilDay DayIn(absl::CivilDay lo, absl::CivilDay hi) {
    if (lo < last_) lo = last_;
    if (hi < lo) hi = lo;
    return lo + rng_.Uniform(hi - lo + 1);
  }

 private:
  const v1::Certificate& c_;
  const v1::CertificationRules& rules_;
  absl::CivilDay cycle_issue_;
  std::vector<absl::CivilDay> cycle_audits_;
  absl::CivilDay expiry_;
  Rng& rng_;
  absl::CivilDay last_;
  std::vector<v1::Statement> events_;
};

void SetGrade(Rng& rng, v1::ServiceGrade* grade) {
  const int tenths = static_cast<int>(rng.Between(700, 1000));
  int deductions = static_cast<int>(rng.Uniform(kMaxSpecialDeductions + 1));
  if (tenths - 10 * deductions < 700) deductions = (tenths - 700) / 10;
  grade->set_score(tenths / 10.0);
  grade->set_special_deductions(deductions);
  absl::StatusOr<v1::StarLevel> star =
      ComputeStarLevel(grade->score(), grade->special_deductions());
  grade->set_star_level(star.ok() ? *star : v1::STAR_LEVEL_COMPLIANT);
}

}  // namespace

DemoGenerator::DemoGenerator(GeneratorOptions options)
    : options_(std::move(options)) {
  bodies_ = DemoBodies();
  const std::vector<DemoBody> more = {
      {"CNCA-R-2004-903", "东岳质量认证有限公司"},
      {"CNCA-R-2006-904", "远衡检验认证有限公司"},
      {"CNCA-R-2009-905", "华正标准认证中心有限公司"},
      {"CNCA-R-2013-906", "信达环境与安全认证有限公司"},
      {"CNCA-R-2016-907", "诚联服务认证有限公司"},
      {"CNCA-R-2019-908", "海纳产品认证有限公司"},
  };
  bodies_.insert(bodies_.end(), more.begin(), more.end());
  for (const DemoBody& body : bodies_) {
    absl::StatusOr<std::string> code =
        BodyCodeOfApprovalNumber(body.approval_number);
    body_codes_.push_back(code.ok() ? *code : "000");
  }
}

CertificateRecord DemoGenerator::Row(int64_t i) const {
  const uint64_t index = static_cast<uint64_t>(i);
  Rng rng(Mix(options_.seed * 0xD1342543DE82EF95ull + 0x2545F4914F6CDD1Dull) ^
          Mix(index));
  const absl::CivilDay today = options_.today;
  CertificateRecord record;
  v1::Certificate& c = record.certificate;

  // What kind of organisation and certificate.
  const Industry& industry = rng.Pick(kIndustries);
  const int64_t t = rng.Uniform(100);
  Kind kind;
  if (industry.goods) {
    kind = t < 40   ? kQms
           : t < 58 ? kEms
           : t < 73 ? kOhs
           : t < 88 ? kService
                    : kProduct;
  } else {
    kind = t < 55 ? kQms : t < 78 ? kEms : kOhs;
  }
  const KindInfo& info = kKinds[kind];
  const City& city = rng.Pick(kCities);
  const int64_t f = rng.Uniform(100);
  const char* form = f < 60   ? "有限公司"
                     : f < 85 ? "股份有限公司"
                              : "有限责任公司";
  const std::string brand =
      absl::StrCat(rng.Pick(kBrandFirst), rng.Pick(kBrandSecond));
  const int64_t r = rng.Uniform(100);
  const int recertifications = r < 55 ? 0 : r < 80 ? 1 : r < 93 ? 2 : 3;
  const char size = "SML"[rng.Uniform(3)];

  // Number: body code, then seven digits. m is a bijection of i modulo
  // bodies * 10^7 (the multiplier is coprime to it), split into the body and
  // the digits, so numbers are unique for i < bodies * 10^7.
  const uint64_t space = bodies_.size() * uint64_t{10000000};
  const uint64_t m = (index % space * (2654435761ull % space) +
                      options_.seed % space * 40503) %
                     space;
  const DemoBody& body = bodies_[m % bodies_.size()];
  const uint64_t digits = m / bodies_.size();
  const std::string seven = absl::StrFormat("%07d", digits);
  c.set_number(absl::StrCat(body_codes_[m % bodies_.size()], seven.substr(0, 2),
                            std::string(1, info.letter), seven.substr(2), "R",
                            recertifications, std::string(1, size)));
  c.set_type(info.type);
  c.mutable_item()->set_code(info.item_code);
  c.mutable_item()->set_name(info.item_name);
  c.add_basis(info.basis[0] != '\0' ? info.basis : industry.product_standard);

  v1::Holder* holder = c.mutable_holder();
  holder->set_name(absl::StrCat(city.name, brand, industry.name, form));
  // Credit code: a bijection of i modulo 2^40 in nine base-31 characters.
  std::string code = absl::StrCat("91", city.region);
  uint64_t x = (index * 0x9E3779B97Full + options_.seed * 0x5851F42Dull) &
               ((uint64_t{1} << 40) - 1);
  for (int p = 0; p < 9; ++p) {
    code.push_back(kUsccAlphabet[x % 31]);
    x /= 31;
  }
  absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(code);
  code.push_back(check.ok() ? *check : '0');
  holder->set_unified_social_credit_code(code);
  holder->set_address(Address(city, rng.Pick(city.districts), rng));
  if (rng.Uniform(100) < 15) {
    const int sites = static_cast<int>(rng.Between(1, 3));
    for (int s = 0; s < sites; ++s) {
      v1::Site* site = holder->add_sites();
      const char* district = rng.Pick(city.districts);
      switch (rng.Uniform(3)) {
        case 0:
          site->set_name(absl::StrCat(holder->name(), district, "分公司"));
          break;
        case 1:
          site->set_name(absl::StrCat(holder->name(), "第", s + 1, "生产基地"));
          break;
        default:
          site->set_name(absl::StrCat(city.name, brand, industry.name, "（",
                                      district, "）服务中心"));
      }
      site->set_address(Address(city, district, rng));
    }
  }
  c.set_scope(Scope(industry, kind, static_cast<int>(rng.Between(1, 3)), rng));
  c.set_body_approval_number(body.approval_number);
  c.set_body_name(body.name);
  c.set_recertification_count(recertifications);
  if (kind == kService) SetGrade(rng, c.mutable_service_grade());

  // The history, by the status the certificate should have today, under the
  // scheme rules of its type.
  const v1::CertificationRules& rules =
      RulesFor(DefaultSchemeRules(), c.type());
  const int64_t u = rng.Uniform(1000);
  auto months_ago = [&](int lo, int hi, int spread_days) {
    return AddMonths(today, -static_cast<int>(rng.Between(lo, hi))) -
           rng.Uniform(spread_days);
  };
  absl::CivilDay issue;
  // For surveillance overdue: the one audit done on time, if any.
  std::optional<absl::CivilDay> overdue_audit;
  if (u < 750) {
    // Valid.
    if (rng.Uniform(100) < 12) {
      // Renewed: issued 37-46 months ago, recertified before expiry.
      issue = months_ago(37, 46, 20);
    } else {
      issue = today - rng.Uniform(3 * 365 - 45);
    }
  } else if (u < 830) {
    issue = months_ago(2, 34, 28);  // suspended by the body
  } else if (u < 880) {
    // Surveillance overdue since `overdue` + 1, under 6 months ago (a body
    // would have revoked it by then): either the first audit was never done,
    // or the second, 15 months after the first, was not.
    if (rng.Uniform(2) == 0) {
      const absl::CivilDay overdue = today - rng.Between(1, 170);
      issue = AddMonths(overdue, -12);
    } else {
      const absl::CivilDay overdue = today - rng.Between(1, 80);
      overdue_audit = AddMonths(overdue, -15);
      issue = AddMonths(*overdue_audit, -12) + rng.Between(10, 60);
    }
  } else if (u < 920) {
    issue = months_ago(4, 46, 28);  // revoked
  } else if (u < 950) {
    issue = months_ago(3, 46, 28);  // withdrawn
  } else {
    issue = months_ago(37, 47, 28);  // expired
  }
  *c.mutable_issue_date() = ToProtoDate(issue);
  *c.mutable_first_issue_date() =
      ToProtoDate(AddMonths(issue, -36 * recertifications));
  *c.mutable_expiry_date() = ToProtoDate(AddMonths(issue, 36) - 1);

  History history(c, issue, rules, rng);
  if (u < 750) {
    if (history.expiry() < today) {
      history.Audits(AddMonths(issue, 26));
      v1::Statement renew;
      renew.set_certificate_number(c.number());
      if (kind == kService && rng.Uniform(2) == 0) {
        SetGrade(rng, renew.mutable_renew()->mutable_service_grade());
      }
      history.Renew(history.DayIn(history.expiry() - rng.Between(5, 60),
                                  history.expiry()),
                    std::move(renew));
      history.Audits(today);
    } else {
      history.Audits(today);
      const int64_t extra = rng.Uniform(100);
      if (extra < 6) {
        v1::Statement suspend = Event(c, history.DayIn(history.last(), today));
        suspend.mutable_suspend()->set_reason(rng.Pick(kSuspendReasons));
        history.Add(std::move(suspend));
        v1::Statement reinstate =
            Event(c, history.DayIn(history.last(), today));
        reinstate.mutable_reinstate()->set_note("整改完成，恢复证书");
        history.Add(std::move(reinstate));
      } else if (extra < 12) {
        v1::Statement change = Event(c, history.DayIn(history.last(), today));
        change.mutable_change_scope()->set_new_scope(
            Scope(industry, kind, 3, rng));
        history.Add(std::move(change));
      }
    }
  } else if (u < 830) {
    const absl::CivilDay suspend_day =
        history.DayIn(std::max(issue, today - 150), today);
    history.Audits(suspend_day);
    v1::Statement suspend = Event(c, history.DayIn(suspend_day, today));
    suspend.mutable_suspend()->set_reason(rng.Pick(kSuspendReasons));
    history.Add(std::move(suspend));
  } else if (u < 880) {
    if (overdue_audit.has_value()) history.Audit(*overdue_audit);
  } else if (u < 920) {
    // Suspended, then revoked within the validity period.
    const absl::CivilDay suspend_day =
        history.DayIn(issue + 30, std::min(history.expiry() - 30, today - 30));
    history.Audits(suspend_day);
    v1::Statement suspend = Event(c, history.DayIn(suspend_day, suspend_day));
    suspend.mutable_suspend()->set_reason(rng.Pick(kSuspendReasons));
    history.Add(std::move(suspend));
    const absl::CivilDay revoke_day =
        history.DayIn(suspend_day + 30,
                      std::min({today, suspend_day + 200, history.expiry()}));
    v1::Statement revoke = Event(c, revoke_day);
    revoke.mutable_revoke()->set_reason(rng.Pick(kRevokeReasons));
    history.Add(std::move(revoke));
  } else if (u < 950) {
    const absl::CivilDay withdraw_day =
        history.DayIn(issue + 30, std::min(history.expiry(), today));
    history.Audits(withdraw_day);
    v1::Statement withdraw =
        Event(c, history.DayIn(withdraw_day, withdraw_day));
    withdraw.mutable_withdraw()->set_reason(rng.Pick(kWithdrawReasons));
    history.Add(std::move(withdraw));
  } else {
    history.Audits(AddMonths(issue, 26));
  }
  record.events = std::move(history.events());
  return record;
}

}  // namespace certreg
