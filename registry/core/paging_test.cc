#include "registry/core/paging.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

TEST(PageTokenTest, RoundTripsAnyKey) {
  for (const std::string& key :
       {std::string("90126Q21540R2M"), std::string("a\0b", 3),
        std::string(300, '\xff')}) {
    absl::StatusOr<std::string> decoded =
        DecodePageToken("search", EncodePageToken("search", key));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, key);
  }
  EXPECT_EQ(*DecodePageToken("search", ""), "");
}

TEST(PageTokenTest, RefusesGarbageAlteredAndOtherListsTokens) {
  const std::string token = EncodePageToken("search", "90126Q21540R2M");
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  raw[0] ^= 1;
  for (const std::string& bad :
       {std::string("!!!not a token"), std::string("AAAA"),
        absl::WebSafeBase64Escape(raw), token.substr(0, token.size() - 4),
        absl::WebSafeBase64Escape("90126Q21540R2M")}) {
    absl::StatusOr<std::string> decoded = DecodePageToken("search", bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(std::string(decoded.status().message()),
                HasSubstr("page_token:"));
  }
  EXPECT_EQ(DecodePageToken("bodies", token).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
