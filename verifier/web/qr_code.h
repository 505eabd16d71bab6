#ifndef CERTREG_VERIFIER_WEB_QR_CODE_H_
#define CERTREG_VERIFIER_WEB_QR_CODE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// A QR code's modules, encoded by libqrencode at error correction level M
// (15% of the symbol may be damaged or covered, right for a printed
// certificate), smallest version that fits.
class QrCode {
 public:
  // INVALID_ARGUMENT when `text` is empty or too long for any version.
  static absl::StatusOr<QrCode> Encode(absl::string_view text);

  int width() const { return width_; }
  bool dark(int x, int y) const { return modules_[y * width_ + x]; }

  // An SVG image: one path of unit squares, a 4-module quiet zone, scalable
  // to any print size.
  std::string ToSvg() const;
  // A PNG image (1-bit greyscale) with `scale` pixels per module and the
  // quiet zone. INTERNAL when libpng fails.
  absl::StatusOr<std::string> ToPng(int scale = 8) const;

 private:
  QrCode(int width, std::vector<bool> modules)
      : width_(width), modules_(std::move(modules)) {}

  int width_;
  std::vector<bool> modules_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_WEB_QR_CODE_H_
