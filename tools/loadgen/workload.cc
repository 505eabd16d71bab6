#include "tools/loadgen/workload.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/loadgen/flag_error.h"

namespace certreg::loadgen {

bool Workload::NeedsNumbers() const {
  return weights[kGet] > 0 || weights[kVerify] > 0 || weights[kBatch] > 0;
}

bool Workload::NeedsVerifier() const {
  return weights[kVerify] > 0 || weights[kBatch] > 0;
}

const std::string& RandomNumber(const Workload& workload,
                                std::mt19937_64& rng) {
  return workload.numbers[std::uniform_int_distribution<size_t>(
      0, workload.numbers.size() - 1)(rng)];
}

void FillLookup(const Workload& workload, std::mt19937_64& rng,
                v1::GetCertificateRequest* request) {
  request->set_number(RandomNumber(workload, rng));
  request->set_view(workload.view);
}

void FillSearch(const Workload& workload, std::mt19937_64& rng,
                v1::SearchCertificatesRequest* request) {
  request->set_query(workload.queries[std::uniform_int_distribution<size_t>(
      0, workload.queries.size() - 1)(rng)]);
}

void FillVerify(const Workload& workload, std::mt19937_64& rng,
                v1::VerifyRequest* request) {
  request->mutable_claim()->set_certificate_number(RandomNumber(workload, rng));
}

void FillBatchVerify(const Workload& workload, std::mt19937_64& rng,
                     v1::BatchVerifyRequest* request) {
  for (int i = 0; i < workload.batch_size; ++i) {
    request->add_claims()->set_certificate_number(RandomNumber(workload, rng));
  }
}

void FillIssue(const Workload& workload, size_t first,
               v1::SubmitStatementRequest* request) {
  *request->mutable_signed_statement() = workload.writes[first];
}

void FillSubmitMany(const Workload& workload, size_t first, size_t count,
                    v1::SubmitStatementsRequest* request) {
  for (size_t i = first; i < first + count; ++i) {
    *request->add_signed_statements() = workload.writes[i];
  }
}

const std::vector<std::string>& DefaultQueries() {
  static const auto* queries = new std::vector<std::string>{
      "青岛",     "海岳", "电器",     "科技有限", "环保", "物业",     "软件",
      "机械制造", "杭州", "深圳",     "上海",     "北京", "广州",     "苏州",
      "成都",     "武汉", "南京",     "天津",     "重庆", "西安",     "华信",
      "中衡",     "云帆", "绿源",     "金城",     "长江", "智联",     "建设",
      "工程",     "服务", "物流",     "食品",     "医疗", "信息技术", "电子",
      "化工",     "汽车", "能源",     "新材料",   "设备", "检测",     "咨询",
      "股份",     "集团", "有限公司", "贸易",     "制药", "纺织",     "建材"};
  return *queries;
}

namespace {

// The entry of one line of a list file (trimmed), or "" for none.
absl::string_view ListEntry(absl::string_view text, bool first_csv_column) {
  if (text.empty() || absl::StartsWith(text, "#")) return "";
  if (!first_csv_column) return text;
  text = absl::StripAsciiWhitespace(text.substr(0, text.find(',')));
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadListFile(const std::string& path,
                                                      absl::string_view flag,
                                                      bool first_csv_column) {
  std::ifstream in(path);
  if (!in) return FlagError(flag, absl::StrCat("cannot read ", path));
  std::vector<std::string> out;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (first) {
      absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 BOM
      first = false;
      if (first_csv_column && (absl::StartsWithIgnoreCase(text, "number,") ||
                               absl::EqualsIgnoreCase(text, "number"))) {
        continue;  // certreg CSV header
      }
    }
    const absl::string_view entry = ListEntry(text, first_csv_column);
    if (!entry.empty()) out.emplace_back(entry);
  }
  if (out.empty()) {
    return FlagError(flag, absl::StrCat(path, " has no entries"));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ListNumbers(RegistryClient& client,
                                                     size_t limit) {
  std::vector<std::string> numbers;
  v1::SearchCertificatesRequest request;
  request.set_page_size(100);
  while (numbers.size() < limit) {
    absl::StatusOr<v1::SearchCertificatesResponse> page =
        client.SearchCertificates(request);
    if (!page.ok()) return page.status();
    for (const auto& c : page->certificates()) numbers.push_back(c.number());
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  if (numbers.size() > limit) numbers.resize(limit);
  return numbers;
}

}  // namespace certreg::loadgen
