#include "verifier/web/qr_code.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(QrCodeTest, EncodesAUrlWithFinderPatterns) {
  absl::StatusOr<QrCode> code =
      QrCode::Encode("https://cert.example.cn/c/90126Q21540R2M");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_GE(code->width(), 21);
  EXPECT_EQ((code->width() - 17) % 4, 0);  // 17 + 4 x version
  // The three finder patterns: dark 7x7 rings in three corners.
  const int w = code->width();
  for (auto [x, y] : {std::pair{0, 0}, {w - 7, 0}, {0, w - 7}}) {
    EXPECT_TRUE(code->dark(x, y));
    EXPECT_TRUE(code->dark(x + 6, y + 6));
    EXPECT_FALSE(code->dark(x + 1, y + 1));
    EXPECT_TRUE(code->dark(x + 3, y + 3));
  }
  EXPECT_FALSE(QrCode::Encode("").ok());
  EXPECT_FALSE(QrCode::Encode(std::string(10000, 'x')).ok());
}

TEST(QrCodeTest, SvgAndPngImages) {
  absl::StatusOr<QrCode> code = QrCode::Encode("http://127.0.0.1/c/X");
  ASSERT_TRUE(code.ok());
  const std::string svg = code->ToSvg();
  EXPECT_TRUE(
      absl::StrContains(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(absl::StrContains(svg, "M4 4h1v1h-1z"));  // top-left module
  absl::StatusOr<std::string> png = code->ToPng(4);
  ASSERT_TRUE(png.ok()) << png.status();
  EXPECT_EQ(png->substr(0, 8), "\x89PNG\r\n\x1a\n");
  EXPECT_FALSE(code->ToPng(0).ok());
}

// zbarimg (Debian's zbar-tools) reads the PNG back to the same text.
TEST(QrCodeTest, ThePngDecodesToTheText) {
  if (std::system("command -v zbarimg >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "zbarimg is not installed (apt-get install zbar-tools)";
  }
  const std::string text = "http://127.0.0.1:8080/c/00124Q30001R1M/3502";
  absl::StatusOr<QrCode> code = QrCode::Encode(text);
  ASSERT_TRUE(code.ok());
  const std::string path = std::string(getenv("TEST_TMPDIR")) + "/qr.png";
  std::ofstream(path, std::ios::binary) << *code->ToPng();
  FILE* zbar =
      popen(("zbarimg -q --raw " + path + " 2>/dev/null").c_str(), "r");
  ASSERT_NE(zbar, nullptr);
  char line[512] = {};
  ASSERT_NE(fgets(line, sizeof(line), zbar), nullptr);
  pclose(zbar);
  EXPECT_EQ(std::string(line), text + "\n");
}

}  // namespace
}  // namespace certreg
