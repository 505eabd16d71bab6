#include "verifier/web/qr_code.h"

#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <csetjmp>
#include <memory>

#include "absl/strings/str_cat.h"

namespace certreg {
namespace {

constexpr int kQuietZone = 4;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

void AppendToString(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}

}  // namespace

absl::StatusOr<QrCode> QrCode::Encode(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("qr: nothing to encode");
  const std::string data(text);
  std::unique_ptr<QRcode, QrCodeFree> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M));
  if (code == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("qr: cannot encode ",
                                                   text.size(), " bytes (",
                                                   std::strerror(errno), ")"));
  }
  std::vector<bool> modules(code->width * code->width);
  for (int i = 0; i < code->width * code->width; ++i) {
    modules[i] = (code->data[i] & 1) != 0;
  }
  return QrCode(code->width, std::move(modules));
}

std::string QrCode::ToSvg() const {
  const int size = width_ + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < width_; ++y) {
    for (int x = 0; x < width_; ++x) {
      if (!dark(x, y)) continue;
      absl::StrAppend(&path, "M", x + kQuietZone, " ", y + kQuietZone,
                      "h1v1h-1z");
    }
  }
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
      size, " ", size,
      "\" shape-rendering=\"crispEdges\">"
      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"",
      path, "\"/></svg>\n");
}

absl::StatusOr<std::string> QrCode::ToPng(int scale) const {
  if (scale < 1 || scale > 64) {
    return absl::InvalidArgumentError("scale: must be 1-64");
  }
  const int pixels = (width_ + 2 * kQuietZone) * scale;
  std::string out;
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png == nullptr ? nullptr : png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return absl::InternalError("png: libpng could not start");
  }
  // Rows: 1 bit per pixel, 1 = white.
  std::vector<std::vector<png_byte>> rows(
      pixels, std::vector<png_byte>((pixels + 7) / 8, 0));
  for (int py = 0; py < pixels; ++py) {
    for (int px = 0; px < pixels; ++px) {
      const int x = px / scale - kQuietZone;
      const int y = py / scale - kQuietZone;
      const bool black =
          x >= 0 && y >= 0 && x < width_ && y < width_ && dark(x, y);
      if (!black) rows[py][px / 8] |= 0x80 >> (px % 8);
    }
  }
  std::vector<png_bytep> row_pointers;
  for (auto& row : rows) row_pointers.push_back(row.data());
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return absl::InternalError("png: libpng failed to write the image");
  }
  png_set_write_fn(png, &out, AppendToString, nullptr);
  png_set_IHDR(png, info, pixels, pixels, 1, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_rows(png, info, row_pointers.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace certreg
