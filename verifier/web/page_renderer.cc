#include "verifier/web/page_renderer.h"

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ctemplate/template.h"
#include "verifier/web/embedded_files.h"

namespace certreg {
namespace {

// Puts the embedded templates into ctemplate's cache, once per process.
void LoadTemplates() {
  static absl::once_flag loaded;
  absl::call_once(loaded, [] {
    for (const EmbeddedFile& file : EmbeddedFiles()) {
      if (!absl::EndsWith(file.name, ".tpl")) continue;
      ctemplate::StringToTemplateCache(file.name, file.contents,
                                       ctemplate::DO_NOT_STRIP);
    }
  });
}

}  // namespace

std::string LanguageSwitchUrl(const HttpRequest& request, Lang other) {
  std::string query;
  // A query too long to be a form's is not carried over.
  const absl::string_view kept =
      request.query.size() <= 2048 ? absl::string_view(request.query) : "";
  for (absl::string_view pair : absl::StrSplit(kept, '&', absl::SkipEmpty())) {
    if (absl::StartsWith(pair, "lang=") || pair == "lang") continue;
    absl::StrAppend(&query, pair, "&");
  }
  return absl::StrCat(request.path.substr(0, 2048), "?", query,
                      "lang=", LangParam(other));
}

Page::Page(Lang lang, absl::string_view content_template,
           absl::string_view title, const HttpRequest& request)
    : content_template_(content_template), layout_("layout") {
  LoadTemplates();
  AddLabels(lang, &layout_);
  layout_.SetValue("LANG", Text(LangCode(lang)));
  layout_.SetValue("TITLE", Text(title));
  const Lang other = lang == Lang::kEn ? Lang::kZh : Lang::kEn;
  layout_.SetValue("SWITCH_URL", LanguageSwitchUrl(request, other));
  layout_.SetValue("SWITCH_LANG", Text(LangParam(other)));
  layout_.SetValue("SWITCH_LABEL", other == Lang::kEn ? "English" : "中文");
  content_ = layout_.AddIncludeDictionary("CONTENT");
  content_->SetFilename(content_template_);
  // An included template sees only its own dictionary's values.
  AddLabels(lang, content_);
}

void Page::SetCanonicalUrl(absl::string_view url) {
  layout_.AddSectionDictionary("CANONICAL")->SetValue("URL", std::string(url));
}

HttpResponse Page::Respond(int status) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  if (!ctemplate::ExpandTemplate("layout.tpl", ctemplate::DO_NOT_STRIP,
                                 &layout_, &response.body)) {
    response.status = 500;
    response.content_type = "text/plain; charset=utf-8";
    response.body = "the page template could not be expanded\n";
  }
  // Pages are never framed by other sites, nor run scripts.
  response.AddHeader("Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; "
                     "img-src 'self'; form-action 'self'; "
                     "frame-ancestors 'none'; base-uri 'none'");
  response.AddHeader("X-Content-Type-Options", "nosniff");
  response.AddHeader("Referrer-Policy", "same-origin");
  return response;
}

}  // namespace certreg
