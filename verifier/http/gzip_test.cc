#include "verifier/http/gzip.h"

#include <zlib.h>

#include <string>

#include "gtest/gtest.h"

namespace certreg {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = data.size();
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = out.size();
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

TEST(GzipTest, RoundTripsAndShrinksRepetitiveText) {
  std::string page;
  for (int i = 0; i < 500; ++i)
    page += "<tr><td>证书编号</td><td>有效</td></tr>\n";
  absl::StatusOr<std::string> zipped = Gzip(page);
  ASSERT_TRUE(zipped.ok()) << zipped.status();
  EXPECT_LT(zipped->size(), page.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>((*zipped)[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>((*zipped)[1]), 0x8b);
  EXPECT_EQ(Gunzip(*zipped), page);
  EXPECT_EQ(Gunzip(*Gzip("")), "");
}

TEST(GzipTest, AcceptEncodingHonoursQualityValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5, br"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.0"));
  EXPECT_FALSE(AcceptsGzip("x-gzip-not"));
}

TEST(GzipTest, OnlyTextLikeTypesAreCompressed) {
  EXPECT_TRUE(IsCompressibleType("text/html; charset=utf-8"));
  EXPECT_TRUE(IsCompressibleType("application/json"));
  EXPECT_TRUE(IsCompressibleType("image/svg+xml"));
  EXPECT_FALSE(IsCompressibleType("image/png"));
  EXPECT_FALSE(IsCompressibleType("application/octet-stream"));
}

}  // namespace
}  // namespace certreg
