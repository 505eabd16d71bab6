#include "verifier/http/gzip.h"

#include <zlib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certreg {

absl::StatusOr<std::string> Gzip(absl::string_view data) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("gzip: zlib could not start");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return absl::InternalError("gzip: zlib could not compress");
  }
  return out;
}

bool AcceptsGzip(absl::string_view accept_encoding) {
  for (absl::string_view coding : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(coding, ';');
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    if (name != "gzip" && name != "*") continue;
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view parameter = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&parameter, "q=") ||
          absl::ConsumePrefix(&parameter, "Q=")) {
        if (!absl::SimpleAtod(parameter, &q)) q = 0;
      }
    }
    if (q > 0) return true;
  }
  return false;
}

bool IsCompressibleType(absl::string_view content_type) {
  return absl::StartsWith(content_type, "text/") ||
         absl::StrContains(content_type, "json") ||
         absl::StrContains(content_type, "svg") ||
         absl::StrContains(content_type, "javascript") ||
         absl::StrContains(content_type, "xml");
}

}  // namespace certreg
