#ifndef CERTREG_VERIFIER_WEB_PAGE_TEXT_H_
#define CERTREG_VERIFIER_WEB_PAGE_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "ctemplate/template_dictionary.h"

namespace certreg {

// The pages' languages: Chinese by default, English on request.
enum class Lang { kZh, kEn };

// The page's language: `lang_param` (?lang=en|zh, the visible switch) if
// given, else the `lang` cookie it set, else the first of zh / en in
// Accept-Language by quality; Chinese when nothing says.
Lang NegotiateLanguage(absl::string_view lang_param, absl::string_view cookie,
                       absl::string_view accept_language);

absl::string_view LangCode(Lang lang);   // "zh-CN", "en"
absl::string_view LangParam(Lang lang);  // "zh", "en"

// Sets every label the templates use (T_SITE, T_NUMBER, ...) in `dict`.
void AddLabels(Lang lang, ctemplate::TemplateDictionary* dict);

// One label by key (without the T_ prefix), e.g. Label(kEn, "NUMBER").
absl::string_view Label(Lang lang, absl::string_view key);

// Names for what the pages show.
absl::string_view TypeName(Lang lang, v1::CertificationType type);
absl::string_view KindName(Lang lang, v1::StatementKind kind);
absl::string_view VerdictName(Lang lang, v1::Verdict verdict);
absl::string_view OutcomeName(Lang lang, v1::CheckOutcome outcome);
// A status's name (有效, valid, ...; the status engine's), "any" for
// UNSPECIFIED (a filter's default).
absl::string_view StatusName(Lang lang, v1::CertificateStatus status);
// The CSS class suffix of a status badge: "valid", "suspended", ...,
// "not_yet_valid" (the English name, underscores for spaces).
std::string StatusClass(v1::CertificateStatus status);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_PAGE_TEXT_H_
