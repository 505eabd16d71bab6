#ifndef CERTREG_VERIFIER_HTTP_GZIP_H_
#define CERTREG_VERIFIER_HTTP_GZIP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// `data` compressed in the gzip format (RFC 1952) with zlib at its default
// level. INTERNAL only when zlib fails (out of memory).
absl::StatusOr<std::string> Gzip(absl::string_view data);

// Whether an Accept-Encoding field value accepts gzip: a "gzip" (or "*")
// coding whose q value is not 0. Case-insensitive.
bool AcceptsGzip(absl::string_view accept_encoding);

// Whether a response of this Content-Type is worth compressing: text,
// JSON, SVG, JavaScript, XML; not images or already compressed data.
bool IsCompressibleType(absl::string_view content_type);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_HTTP_GZIP_H_
