#include "verifier/web/public_pages.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "verifier/http/http_status.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/status_names.h"
#include "verifier/web/body_lookup.h"
#include "verifier/web/page_renderer.h"
#include "verifier/web/qr_code.h"

namespace certreg {
namespace {

// Certificates on one page of search results.
constexpr int kResultsPerPage = 20;

absl::StatusOr<std::optional<v1::Date>> AsOfParam(const QueryParams& params) {
  const std::string text(absl::StripAsciiWhitespace(ParamOf(params, "as_of")));
  if (text.empty()) return std::nullopt;
  absl::StatusOr<v1::Date> date = ParseDate(text, "as_of");
  if (!date.ok()) return date.status();
  return *date;
}

// Longest form value echoed back into a page, in bytes.
constexpr size_t kMaxEchoBytes = 256;

// A form value, trimmed and cut to kMaxEchoBytes (at a UTF-8 character
// boundary), so that nothing a client sends makes a page large.
std::string Trimmed(const QueryParams& params, absl::string_view name) {
  std::string value(absl::StripAsciiWhitespace(ParamOf(params, name)));
  if (value.size() <= kMaxEchoBytes) return value;
  size_t end = kMaxEchoBytes;
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
    --end;
  }
  value.resize(end);
  return value;
}

// The first check that failed, freshness aside; nullptr when none did.
const v1::Check* FailedCheck(const v1::VerifyResponse& response) {
  for (const v1::Check& check : response.checks()) {
    if (check.outcome() == v1::CHECK_OUTCOME_FAILED &&
        check.name() != "freshness") {
      return &check;
    }
  }
  return nullptr;
}

const v1::Check* StaleCheck(const v1::VerifyResponse& response) {
  for (const v1::Check& check : response.checks()) {
    if (check.name() == "freshness" &&
        check.outcome() == v1::CHECK_OUTCOME_FAILED) {
      return &check;
    }
  }
  return nullptr;
}

absl::string_view Detail(Lang lang, const v1::Check& check) {
  return lang == Lang::kEn || check.detail_zh().empty() ? check.detail()
                                                        : check.detail_zh();
}

// A certificate number in a path: '/' kept (numbers like
// "00114E22766R2L/3502" read better), everything else percent-encoded.
std::string NumberInPath(const std::string& number) {
  return absl::StrReplaceAll(PercentEncode(number), {{"%2F", "/"}});
}

void AddOptions(ctemplate::TemplateDictionary& dict, absl::string_view section,
                const std::vector<std::pair<std::string, std::string>>& options,
                absl::string_view selected) {
  for (const auto& [value, label] : options) {
    ctemplate::TemplateDictionary* option =
        dict.AddSectionDictionary(std::string(section));
    option->SetValue("VALUE", value);
    option->SetValue("LABEL", label);
    if (value == selected) option->ShowSection("SELECTED");
  }
}

std::vector<std::pair<std::string, std::string>> TypeOptions(Lang lang) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"", std::string(Label(lang, "ANY"))}};
  for (v1::CertificationType type :
       {v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM,
        v1::CERTIFICATION_TYPE_SERVICE, v1::CERTIFICATION_TYPE_PRODUCT}) {
    options.emplace_back(v1::CertificationType_Name(type),
                         std::string(TypeName(lang, type)));
  }
  return options;
}

std::vector<std::pair<std::string, std::string>> StatusOptions(Lang lang) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"", std::string(Label(lang, "ANY"))}};
  for (int status = v1::CERTIFICATE_STATUS_VALID;
       status <= v1::CERTIFICATE_STATUS_NOT_YET_VALID; ++status) {
    const auto value = static_cast<v1::CertificateStatus>(status);
    options.emplace_back(v1::CertificateStatus_Name(value),
                         std::string(StatusName(lang, value)));
  }
  return options;
}

std::vector<std::pair<std::string, std::string>> StarOptions(Lang lang) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"", std::string(Label(lang, "ANY"))}};
  for (v1::StarLevel level : {v1::STAR_LEVEL_COMPLIANT, v1::STAR_LEVEL_THREE,
                              v1::STAR_LEVEL_FOUR, v1::STAR_LEVEL_FIVE}) {
    options.emplace_back(
        v1::StarLevel_Name(level),
        std::string(lang == Lang::kEn ? StarLevelNameEn(level)
                                      : StarLevelNameZh(level)));
  }
  return options;
}

// The search form's request; INVALID_ARGUMENT for a malformed date.
absl::StatusOr<v1::SearchCertificatesRequest> SearchOfForm(
    const QueryParams& params) {
  v1::SearchCertificatesRequest search;
  search.set_query(Trimmed(params, "q"));
  search.set_item_code(absl::AsciiStrToUpper(Trimmed(params, "item")));
  search.set_body_approval_number(Trimmed(params, "body"));
  search.set_page_size(kResultsPerPage);
  search.set_page_token(Trimmed(params, "page_token"));
  v1::CertificationType type;
  if (v1::CertificationType_Parse(Trimmed(params, "type"), &type)) {
    search.set_type(type);
  }
  v1::CertificateStatus status;
  if (v1::CertificateStatus_Parse(Trimmed(params, "status"), &status)) {
    search.set_status(status);
  }
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOfParam(params);
  if (!as_of.ok()) return as_of.status();
  if (as_of->has_value()) *search.mutable_as_of() = **as_of;
  return search;
}

// The claim of the /verify form: number, holder, scope terms (separated
// by commas, Chinese commas or 、), minimum star level and date.
// INVALID_ARGUMENT for a malformed date.
absl::StatusOr<v1::Claim> ClaimOfForm(const QueryParams& params) {
  v1::Claim claim;
  claim.set_certificate_number(Trimmed(params, "number"));
  claim.set_holder_name(Trimmed(params, "holder"));
  const std::string scope = absl::StrReplaceAll(
      Trimmed(params, "scope"), {{"，", ","}, {"、", ","}, {";", ","}});
  for (absl::string_view term :
       absl::StrSplit(scope, absl::ByAnyChar(",\n"), absl::SkipWhitespace())) {
    claim.add_scope_terms(std::string(absl::StripAsciiWhitespace(term)));
  }
  v1::StarLevel level;
  if (v1::StarLevel_Parse(Trimmed(params, "star"), &level)) {
    claim.set_min_star_level(level);
  }
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOfParam(params);
  if (!as_of.ok()) return as_of.status();
  if (as_of->has_value()) *claim.mutable_as_of() = **as_of;
  return claim;
}

// The verdict and every check, in the page's language; returns their
// section.
ctemplate::TemplateDictionary* AddVerdict(
    ctemplate::TemplateDictionary& content, const v1::VerifyResponse& response,
    Lang lang) {
  ctemplate::TemplateDictionary* result =
      content.AddSectionDictionary("RESULT");
  result->SetValue("VERDICT", Text(VerdictName(lang, response.verdict())));
  result->SetValue("VERDICT_CLASS",
                   response.verdict() == v1::VERDICT_PASS   ? "good"
                   : response.verdict() == v1::VERDICT_FAIL ? "bad"
                                                            : "");
  for (const v1::Check& check : response.checks()) {
    ctemplate::TemplateDictionary* row = result->AddSectionDictionary("CHECK");
    row->SetValue("NAME", check.name());
    row->SetValue("OUTCOME", Text(OutcomeName(lang, check.outcome())));
    row->SetValue("DETAIL", Text(Detail(lang, check)));
  }
  return result;
}

HttpResponse Cacheable(HttpResponse response, int seconds) {
  response.AddHeader("Cache-Control",
                     absl::StrCat("public, max-age=", seconds));
  response.AddHeader("Vary", "Accept-Language, Cookie");
  return response;
}

}  // namespace

std::string PublicPages::CertificateUrl(const HttpRequest& request,
                                        const std::string& number) const {
  std::string base = options_.public_url;
  if (base.empty()) {
    std::string host(request.Header("host"));
    // Only a plain host[:port] is echoed into links and QR codes.
    if (host.empty() || host.size() > 255 ||
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            std::string::npos) {
      host = "localhost";
    }
    base = absl::StrCat(request.tls ? "https://" : "http://", host);
  }
  return absl::StrCat(absl::StripSuffix(base, "/"), "/c/",
                      NumberInPath(number));
}

absl::Status PublicPages::Holds(const std::string& number) const {
  v1::GetCertificateRequest request;
  request.set_number(number);
  request.set_view(v1::CERTIFICATE_VIEW_BASIC);
  return registry_->GetCertificate(request).status();
}

std::optional<HttpResponse> PublicPages::OpenIfNumber(
    const std::string& query, const std::string& as_of_text) const {
  if (!ValidateCertificateNumber(query, "q").ok() || !Holds(query).ok()) {
    return std::nullopt;
  }
  HttpResponse redirect;
  redirect.status = 303;
  redirect.AddHeader("Location",
                     absl::StrCat("/c/", NumberInPath(query),
                                  as_of_text.empty() ? "" : "?as_of=",
                                  PercentEncode(as_of_text)));
  return redirect;
}

HttpResponse PublicPages::Search(const HttpRequest& request,
                                 const QueryParams& params, Lang lang) const {
  Page page(lang, "search.tpl", Label(lang, "SEARCH_TITLE"), request);
  ctemplate::TemplateDictionary& content = page.content();
  const std::string query = Trimmed(params, "q");
  const std::string type = Trimmed(params, "type");
  const std::string status = Trimmed(params, "status");
  const std::string item = absl::AsciiStrToUpper(Trimmed(params, "item"));
  const std::string body = Trimmed(params, "body");
  const std::string as_of_text = Trimmed(params, "as_of");
  content.SetValue("QUERY", query);
  content.SetValue("ITEM", item);
  content.SetValue("BODY", body);
  content.SetValue("AS_OF", as_of_text);
  AddOptions(content, "TYPE_OPTION", TypeOptions(lang), type);
  AddOptions(content, "STATUS_OPTION", StatusOptions(lang), status);
  const bool filtered = !type.empty() || !status.empty() || !item.empty() ||
                        !body.empty() || !as_of_text.empty();
  if (filtered) content.ShowSection("FILTERS_OPEN");
  if (query.empty() && !filtered) {
    content.ShowSection("INTRO");
    return Cacheable(page.Respond(200), 300);
  }

  if (std::optional<HttpResponse> opened = OpenIfNumber(query, as_of_text)) {
    return *std::move(opened);
  }
  absl::StatusOr<v1::SearchCertificatesRequest> search = SearchOfForm(params);
  const absl::StatusOr<v1::SearchCertificatesResponse> found =
      search.ok()
          ? registry_->SearchCertificates(*search)
          : absl::StatusOr<v1::SearchCertificatesResponse>(search.status());
  if (!found.ok()) {
    content.AddSectionDictionary("ERROR")->SetValue(
        "MESSAGE", std::string(found.status().message()));
    return page.Respond(HttpStatusOf(found.status().code()));
  }
  AddResults(content, *found, *search, params, lang);
  return Cacheable(page.Respond(200), 60);
}

void PublicPages::AddResults(ctemplate::TemplateDictionary& content,
                             const v1::SearchCertificatesResponse& found,
                             const v1::SearchCertificatesRequest& search,
                             const QueryParams& params, Lang lang) const {
  ctemplate::TemplateDictionary* results =
      content.AddSectionDictionary("RESULTS");
  results->SetValue(
      "SUMMARY",
      lang == Lang::kEn
          ? absl::StrCat(found.certificates_size(), " certificates found")
          : absl::StrCat("查到 ", found.certificates_size(), " 张证书"));
  v1::BatchVerifyRequest batch;
  for (const v1::CertificateSummary& summary : found.certificates()) {
    v1::Claim* claim = batch.add_claims();
    claim->set_certificate_number(summary.number());
    if (search.has_as_of()) *claim->mutable_as_of() = search.as_of();
  }
  absl::StatusOr<v1::BatchVerifyResponse> verified =
      verifier_->BatchVerify(batch);
  const std::string as_of_query =
      search.has_as_of() ? absl::StrCat("?as_of=", FormatDate(search.as_of()))
                         : "";
  for (int i = 0; i < found.certificates_size(); ++i) {
    const std::string& number = found.certificates(i).number();
    ctemplate::TemplateDictionary* hit = results->AddSectionDictionary("HIT");
    hit->SetValue("NUMBER", number);
    hit->SetValue("HREF",
                  absl::StrCat("/c/", NumberInPath(number), as_of_query));
    const v1::VerifyResponse* result =
        verified.ok() && i < verified->results_size() ? &verified->results(i)
                                                      : nullptr;
    if (result == nullptr || !result->has_certificate()) {
      // Nothing unverified is shown: only the number, and why.
      hit->SetValue("STATUS", Text(Label(lang, "UNAVAILABLE")));
      hit->SetValue("STATUS_CLASS", "fail");
      continue;
    }
    const v1::Certificate& certificate = result->certificate();
    hit->SetValue("STATUS", Text(StatusName(lang, result->status().status())));
    hit->SetValue("STATUS_CLASS", Text(StatusClass(result->status().status())));
    hit->SetValue("HOLDER", certificate.holder().name());
    hit->SetValue("ITEM_NAME", certificate.item().name());
    hit->SetValue("BODY_NAME", certificate.body_name());
    hit->SetValue("EXPIRY", FormatDate(certificate.expiry_date()));
    const v1::StarLevel star = certificate.service_grade().star_level();
    if (star != v1::STAR_LEVEL_UNSPECIFIED) {
      hit->AddSectionDictionary("STAR")->SetValue(
          "STAR_NAME", Text(lang == Lang::kEn ? StarLevelNameEn(star)
                                              : StarLevelNameZh(star)));
    }
  }
  if (!found.next_page_token().empty()) {
    std::string next = "/?";
    for (const auto& [name, value] : params) {
      if (name == "page_token") continue;
      absl::StrAppend(&next, PercentEncode(name), "=", PercentEncode(value),
                      "&");
    }
    absl::StrAppend(&next,
                    "page_token=", PercentEncode(found.next_page_token()));
    results->AddSectionDictionary("NEXT")->SetValue("HREF", next);
  }
}

namespace {

// Status, its reasons and the notices above the certificate.
void FillStatus(ctemplate::TemplateDictionary& content,
                const VerifiedCertificate& found, Lang lang) {
  const v1::GetCertificateResponse& view = *found.view;
  const v1::EffectiveStatus& status = view.status();
  const bool en = lang == Lang::kEn;
  content.SetValue("STATUS",
                   en ? status.status_name_en() : status.status_name_zh());
  content.SetValue("STATUS_CLASS", Text(StatusClass(status.status())));
  content.SetValue("AS_OF", FormatDate(status.as_of()));
  for (const v1::StatusReason& reason : status.reasons()) {
    content.AddSectionDictionary("REASON")->SetValue(
        "TEXT", en ? reason.text_en() : reason.text_zh());
  }
  if (const v1::Check* stale = StaleCheck(found.verification)) {
    content.AddSectionDictionary("STALE")->SetValue("MESSAGE",
                                                    Text(Detail(lang, *stale)));
  }
  if (view.later_event_count() > 0) {
    content.AddSectionDictionary("LATER")->SetValue(
        "MESSAGE",
        en ? absl::StrCat(view.later_event_count(),
                          " later change(s) after this date are not shown.")
           : absl::StrCat("该日期之后另有 ", view.later_event_count(),
                          " 项变化，未在此显示。"));
  }
}

// The certificate's fields as cx.cnca.cn lists them.
void FillFields(ctemplate::TemplateDictionary& content,
                const v1::GetCertificateResponse& view, Lang lang) {
  const v1::Certificate& certificate = view.certificate();
  content.SetValue("ISSUE_DATE", FormatDate(certificate.issue_date()));
  content.SetValue("EXPIRY_DATE", FormatDate(certificate.expiry_date()));
  content.SetValue("FIRST_ISSUE_DATE",
                   FormatDate(certificate.first_issue_date()));
  content.SetValue("TYPE", Text(TypeName(lang, certificate.type())));
  content.SetValue("ITEM_NAME", certificate.item().name());
  content.SetValue("ITEM_CODE", certificate.item().code());
  content.SetValue("BASIS", absl::StrJoin(certificate.basis(), "; "));
  if (certificate.service_grade().star_level() != v1::STAR_LEVEL_UNSPECIFIED) {
    ctemplate::TemplateDictionary* grade = content.AddSectionDictionary("STAR");
    grade->SetValue("STAR_NAME", lang == Lang::kEn ? view.star_level_name_en()
                                                   : view.star_level_name_zh());
    grade->SetValue("SCORE", absl::StrCat(certificate.service_grade().score()));
  }
  content.SetValue("SURVEILLANCE_COUNT",
                   absl::StrCat(view.surveillance_count()));
  content.SetValue("LAST_SURVEILLANCE",
                   FormatDate(view.last_surveillance_date()));
  content.SetValue("RECERTIFICATIONS",
                   absl::StrCat(certificate.recertification_count()));
  content.SetValue("SCOPE", certificate.scope());
  content.SetValue("HOLDER", certificate.holder().name());
  content.SetValue("CREDIT_CODE",
                   certificate.holder().unified_social_credit_code());
  content.SetValue("ADDRESS", certificate.holder().address());
  for (const v1::Site& site : certificate.holder().sites()) {
    ctemplate::TemplateDictionary* row = content.AddSectionDictionary("SITE");
    row->SetValue("NAME", site.name());
    row->SetValue("ADDRESS", site.address());
  }
  content.SetValue("BODY_NAME", certificate.body_name());
  content.SetValue("BODY_NUMBER", certificate.body_approval_number());
  content.SetValue(
      "BODY_HREF",
      absl::StrCat("/b/", PercentEncode(certificate.body_approval_number())));
}

// The change history (证书变化历史轨迹).
void FillHistory(ctemplate::TemplateDictionary& content,
                 const v1::GetCertificateResponse& view, Lang lang) {
  for (const v1::HistoryEntry& entry : view.history()) {
    ctemplate::TemplateDictionary* event =
        content.AddSectionDictionary("EVENT");
    event->SetValue("DATE", FormatDate(entry.date()));
    event->SetValue("KIND", Text(KindName(lang, entry.kind())));
    event->SetValue("DETAILS", entry.details());
    event->SetValue("LEAF", absl::StrCat(entry.leaf_index()));
  }
}

// "Verified against log checkpoint N signed T" and the bundle's link.
void FillVerifiedLine(ctemplate::TemplateDictionary& content,
                      const VerifiedCertificate& found, Lang lang) {
  v1::Checkpoint checkpoint;
  checkpoint.ParseFromString(found.bundle.checkpoint().checkpoint());
  const std::string signed_at =
      absl::FormatTime("%Y-%m-%d %H:%M",
                       absl::FromUnixMillis(checkpoint.timestamp_unix_millis()),
                       absl::FixedTimeZone(8 * 3600));
  content.SetValue(
      "VERIFIED_LINE",
      lang == Lang::kEn
          ? absl::StrCat("Verified against log checkpoint ",
                         checkpoint.tree_size(), " signed ", signed_at,
                         " (China Standard Time), with the pinned registry "
                         "keys.")
          : absl::StrCat("已核验：日志检查点 ", checkpoint.tree_size(),
                         "，签发于 ", signed_at,
                         "（北京时间），使用预置的注册库公钥核对签名。"));
  content.SetValue(
      "BUNDLE_HREF",
      absl::StrCat("/api/v1/certificates/",
                   PercentEncode(found.bundle.certificate_number()),
                   "/bundle"));
}

// Every value of certificate.tpl from a verified answer.
void FillCertificate(ctemplate::TemplateDictionary& content,
                     const VerifiedCertificate& found,
                     const std::string& page_url, Lang lang) {
  const std::string& number = found.view->certificate().number();
  const std::string path = absl::StrCat("/c/", NumberInPath(number));
  content.SetValue("SELF", path);
  content.SetValue("QR_SVG", absl::StrCat(path, "/qr.svg"));
  content.SetValue("QR_PNG", absl::StrCat(path, "/qr.png"));
  content.SetValue("NUMBER", number);
  content.SetValue("CANONICAL_URL", page_url);
  FillStatus(content, found, lang);
  FillFields(content, *found.view, lang);
  FillHistory(content, *found.view, lang);
  FillVerifiedLine(content, found, lang);
}

}  // namespace

HttpResponse PublicPages::Certificate(const HttpRequest& request,
                                      const std::string& number,
                                      const QueryParams& params,
                                      Lang lang) const {
  absl::StatusOr<std::optional<v1::Date>> as_of = AsOfParam(params);
  if (!as_of.ok()) return Error(request, as_of.status(), lang);
  v1::Claim claim;
  claim.set_certificate_number(number);
  if (as_of->has_value()) *claim.mutable_as_of() = **as_of;
  const std::shared_ptr<const VerifiedCertificate> answer =
      cache_->Lookup(claim, false);
  const VerifiedCertificate& found = *answer;
  if (!found.fetch_status.ok()) {
    if (absl::IsNotFound(found.fetch_status)) {
      return Error(request,
                   absl::NotFoundError(
                       lang == Lang::kEn
                           ? absl::StrCat("The registry has no certificate ",
                                          number, ".")
                           : absl::StrCat("注册库中没有证书 ", number, "。")),
                   lang);
    }
    return Error(request, found.fetch_status, lang);
  }
  if (!found.view.has_value()) {
    const v1::Check* failed = FailedCheck(found.verification);
    HttpResponse refused =
        Error(request,
              absl::DataLossError(absl::StrCat(
                  lang == Lang::kEn ? "The registry's answer did not verify: "
                                    : "注册库的答复未通过核验：",
                  failed == nullptr ? "" : failed->name(), " ",
                  failed == nullptr ? "" : Detail(lang, *failed))),
              lang);
    refused.status = 502;
    return refused;
  }
  const std::string url = CertificateUrl(request, number);
  Page page(lang, "certificate.tpl",
            absl::StrCat(Label(lang, "CERTIFICATE"), " ", number), request);
  page.SetCanonicalUrl(url);
  FillCertificate(page.content(), found, url, lang);
  HttpResponse response = Cacheable(page.Respond(200), 60);
  response.AddHeader("Certreg-Checkpoint",
                     absl::StrCat(found.verification.checkpoint_tree_size()));
  return response;
}

HttpResponse PublicPages::Verify(const HttpRequest& request,
                                 const QueryParams& params, Lang lang) const {
  Page page(lang, "verify.tpl", Label(lang, "VERIFY_TITLE"), request);
  ctemplate::TemplateDictionary& content = page.content();
  const std::string number = Trimmed(params, "number");
  const std::string holder = Trimmed(params, "holder");
  const std::string scope = Trimmed(params, "scope");
  const std::string star = Trimmed(params, "star");
  const std::string as_of_text = Trimmed(params, "as_of");
  content.SetValue("NUMBER", number);
  content.SetValue("HOLDER", holder);
  content.SetValue("SCOPE", scope);
  content.SetValue("AS_OF", as_of_text);
  AddOptions(content, "STAR_OPTION", StarOptions(lang), star);
  if (number.empty()) return Cacheable(page.Respond(200), 300);

  absl::StatusOr<v1::Claim> claim = ClaimOfForm(params);
  if (!claim.ok()) {
    content.AddSectionDictionary("ERROR")->SetValue(
        "MESSAGE", std::string(claim.status().message()));
    return page.Respond(400);
  }
  const v1::VerifyResponse response = verifier_->Verify(*claim);
  ctemplate::TemplateDictionary* result = AddVerdict(content, response, lang);
  if (response.has_certificate()) {
    result->AddSectionDictionary("LINK")->SetValue(
        "HREF", absl::StrCat("/c/", NumberInPath(number),
                             as_of_text.empty() ? "" : "?as_of=",
                             PercentEncode(as_of_text)));
  }
  HttpResponse answer = page.Respond(200);
  answer.AddHeader("Cache-Control", "no-store");
  return answer;
}

HttpResponse PublicPages::Body(const HttpRequest& request,
                               const std::string& approval_number,
                               Lang lang) const {
  absl::StatusOr<v1::CertificationBody> body =
      FindBody(*registry_, approval_number);
  if (!body.ok()) return Error(request, body.status(), lang);
  Page page(lang, "body.tpl", body->name(), request);
  ctemplate::TemplateDictionary& content = page.content();
  content.SetValue("NAME", body->name());
  content.SetValue("APPROVAL_NUMBER", body->approval_number());
  content.SetValue("ACCREDITED",
                   Text(Label(lang, body->accredited() ? "YES" : "NO")));
  for (const v1::AccreditationPeriod& period : body->accreditation_history()) {
    ctemplate::TemplateDictionary* row = content.AddSectionDictionary("WINDOW");
    row->SetValue("FROM", FormatDate(period.valid_from()));
    row->SetValue("UNTIL", FormatDate(period.valid_until()));
  }
  for (const v1::BodyKey& key : body->keys()) {
    ctemplate::TemplateDictionary* row = content.AddSectionDictionary("KEY");
    row->SetValue("KEY_ID", absl::BytesToHexString(key.key_id()));
    row->SetValue("REGISTERED", FormatDate(key.registered_on()));
    row->SetValue("RETIRED", FormatDate(key.retired_on()));
  }
  content.SetValue(
      "SEARCH_HREF",
      absl::StrCat("/?body=", PercentEncode(body->approval_number())));
  return Cacheable(page.Respond(200), 300);
}

HttpResponse PublicPages::QrCode(const HttpRequest& request,
                                 const std::string& number, bool png) const {
  // Only certificates the registry holds get a code.
  if (absl::Status found = Holds(number); !found.ok()) {
    HttpResponse refused;
    refused.status = HttpStatusOf(found.code());
    refused.body = absl::StrCat(found.message(), "\n");
    return refused;
  }
  absl::StatusOr<certreg::QrCode> code =
      certreg::QrCode::Encode(CertificateUrl(request, number));
  absl::StatusOr<std::string> image =
      !code.ok() ? absl::StatusOr<std::string>(code.status())
                 : (png ? code->ToPng(8) : code->ToSvg());
  HttpResponse response;
  if (!image.ok()) {
    response.status = HttpStatusOf(image.status().code());
    response.body = absl::StrCat(image.status().message(), "\n");
    return response;
  }
  response.content_type = png ? "image/png" : "image/svg+xml";
  response.body = *std::move(image);
  response.AddHeader("Cache-Control", "public, max-age=86400");
  response.AddHeader("Content-Security-Policy", "default-src 'none'");
  return response;
}

HttpResponse PublicPages::Error(const HttpRequest& request,
                                const absl::Status& status, Lang lang) const {
  const int code = HttpStatusOf(status.code());
  absl::string_view heading = Label(lang, "BAD_REQUEST");
  if (code == 404) heading = Label(lang, "NOT_FOUND");
  if (code == 429) heading = Label(lang, "TOO_MANY");
  if (code >= 500) heading = Label(lang, "UNAVAILABLE");
  if (status.code() == absl::StatusCode::kDataLoss) {
    heading = Label(lang, "FORGED");
  }
  Page page(lang, "error.tpl", heading, request);
  page.content().SetValue("HEADING", Text(heading));
  page.content().SetValue("MESSAGE", std::string(status.message()));
  HttpResponse response = page.Respond(code);
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace certreg
