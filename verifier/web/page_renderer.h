#ifndef CERTREG_VERIFIER_WEB_PAGE_RENDERER_H_
#define CERTREG_VERIFIER_WEB_PAGE_RENDERER_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "ctemplate/template_dictionary.h"
#include "verifier/http/http_message.h"
#include "verifier/web/page_text.h"

namespace certreg {

// One HTML page: the layout (header, language switch, footer) around a
// content template, both from the embedded templates (templates/*.tpl),
// expanded by ctemplate with auto-escaping by context: every value set here
// is escaped for where the template puts it (HTML text, attribute, URL), so
// no caller escapes anything by hand.
//
// Example:
//   Page page(Lang::kZh, "certificate.tpl", "证书", request);
//   page.content().SetValue("NUMBER", number);
//   return page.Respond(200);
class Page {
 public:
  // `request` gives the path and query for the language switch link.
  Page(Lang lang, absl::string_view content_template, absl::string_view title,
       const HttpRequest& request);

  // The content template's values (the labels are set in it too).
  ctemplate::TemplateDictionary& content() { return *content_; }
  // Sets the page's canonical URL (<link rel="canonical">).
  void SetCanonicalUrl(absl::string_view url);

  // The expanded page as an HTML response with `status`.
  HttpResponse Respond(int status);

 private:
  std::string content_template_;
  ctemplate::TemplateDictionary layout_;
  ctemplate::TemplateDictionary* content_;  // owned by layout_
};

// A string view as ctemplate takes values (it copies them).
inline ctemplate::TemplateString Text(absl::string_view text) {
  return ctemplate::TemplateString(text.data(), text.size());
}

// The language-switch link for a request: its path and query with the lang
// parameter set to the other language (a query over 2 KiB is dropped).
std::string LanguageSwitchUrl(const HttpRequest& request, Lang other);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_PAGE_RENDERER_H_
