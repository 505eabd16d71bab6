#include "verifier/text_normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "absl/strings/str_join.h"

namespace certreg {

namespace {

// True when NormalizeText would return `utf8` unchanged: well-formed, no
// white space, already NFKC_Casefold. Most stored names are, and checking
// costs far less than the round trip through UTF-16.
bool IsNormalized(const icu::Normalizer2& nfkc_casefold,
                  absl::string_view utf8) {
  const char* s = utf8.data();
  const int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0 || u_isUWhiteSpace(c)) return false;
  }
  UErrorCode error = U_ZERO_ERROR;
  const bool normalized =
      nfkc_casefold.isNormalizedUTF8(icu::StringPiece(s, length), error);
  return U_SUCCESS(error) && normalized;
}

}  // namespace

std::string NormalizeText(absl::string_view utf8) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold =
      icu::Normalizer2::getNFKCCasefoldInstance(error);
  if (U_SUCCESS(error) && IsNormalized(*nfkc_casefold, utf8)) {
    return std::string(utf8);
  }
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded =
      U_SUCCESS(error) ? nfkc_casefold->normalize(input, error) : input;
  if (U_FAILURE(error)) folded = input;
  icu::UnicodeString compact;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    if (!u_isUWhiteSpace(c)) compact.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  compact.toUTF8String(out);
  return out;
}

std::vector<std::string> SplitCodePoints(absl::string_view utf8) {
  std::vector<std::string> out;
  const char* s = utf8.data();
  int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    out.emplace_back(s + start, static_cast<size_t>(i - start));
  }
  return out;
}

std::vector<std::string> CharacterNGrams(absl::string_view normalized, int n) {
  std::vector<std::string> chars = SplitCodePoints(normalized);
  std::vector<std::string> grams;
  if (chars.empty()) return grams;
  if (static_cast<int>(chars.size()) <= n) {
    grams.emplace_back(normalized);
    return grams;
  }
  for (size_t i = 0; i + n <= chars.size(); ++i) {
    std::string gram =
        absl::StrJoin(chars.begin() + i, chars.begin() + i + n, "");
    if (std::find(grams.begin(), grams.end(), gram) == grams.end()) {
      grams.push_back(std::move(gram));
    }
  }
  return grams;
}

}  // namespace certreg
