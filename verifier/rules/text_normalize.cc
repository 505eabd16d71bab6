#include "verifier/rules/text_normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "absl/strings/ascii.h"
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

// NormalizeText of ASCII text: NFKC_Casefold leaves ASCII as it is but for
// upper-case letters, and the only ASCII white space is \t..\r and ' '.
std::string NormalizeAscii(absl::string_view ascii) {
  std::string out;
  out.reserve(ascii.size());
  for (char c : ascii) {
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string NormalizeText(absl::string_view utf8) {
  if (IsAscii(utf8)) return NormalizeAscii(utf8);
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

std::string NormalizeBasis(absl::string_view utf8) {
  std::string text = NormalizeText(utf8);
  if (IsAscii(text)) return text;
  // U+2010..U+2015 are E2 80 90..95 and U+2212 is E2 88 92 in UTF-8.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = [&text](size_t at) {
      return at < text.size() ? static_cast<unsigned char>(text[at]) : 0;
    };
    if (byte(i) == 0xE2 &&
        ((byte(i + 1) == 0x80 && byte(i + 2) >= 0x90 && byte(i + 2) <= 0x95) ||
         (byte(i + 1) == 0x88 && byte(i + 2) == 0x92))) {
      out.push_back('-');
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
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
