#ifndef CERTREG_VERIFIER_RULES_TEXT_NORMALIZE_H_
#define CERTREG_VERIFIER_RULES_TEXT_NORMALIZE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace certreg {

// Normalises organisation names, addresses and scope text for search and for
// comparing claims: Unicode NFKC with case folding (ICU's NFKC_Casefold), so
// full-width and half-width forms, "（）" and "()", and upper and lower case
// all fold together; then every white-space character is removed (Chinese
// names are written without spaces, and "青岛 海尔" means "青岛海尔").
// Invalid UTF-8 sequences become U+FFFD. Thread-safe.
//
// Example:
//   NormalizeText("青岛海尔（集团）ＡＢＣ Co.") == "青岛海尔(集团)abcco."
std::string NormalizeText(absl::string_view utf8);

// Normalises a standard's designation (认证依据, e.g. "GB/T 27922-2011") for
// comparison however it is spelled: NormalizeText (full-width forms to ASCII,
// lower case, white space removed), then every dash (U+2010..U+2015 and the
// minus sign U+2212) becomes '-'. Thread-safe.
//
// Examples:
//   NormalizeBasis("ＧＢ／Ｔ　２７９２２—2011") == "gb/t27922-2011"
//   NormalizeBasis("GB/T27922-2011") == NormalizeBasis("gb/t 27922 - 2011")
std::string NormalizeBasis(absl::string_view utf8);

// The code points of a UTF-8 string, each as its own UTF-8 string.
std::vector<std::string> SplitCodePoints(absl::string_view utf8);

// The distinct character n-grams (n code points) of normalised text, in order
// of first appearance. Text shorter than n yields itself as the only gram.
std::vector<std::string> CharacterNGrams(absl::string_view normalized, int n);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_TEXT_NORMALIZE_H_
