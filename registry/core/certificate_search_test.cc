// Searching certificates through the registry: by name fragment, credit
// code and filters, folding, pages and their tokens, the candidate limit,
// corrupt records.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "registry/core/registry_test_fixture.h"
#include "registry/storage/store.h"
#include "tools/demo/demo_data.h"

namespace certreg {
namespace {

std::vector<std::string> Numbers(const v1::SearchCertificatesResponse& r) {
  std::vector<std::string> out;
  for (const auto& c : r.certificates()) out.push_back(c.number());
  return out;
}

TEST_F(RegistryTest, SearchByChineseNameFragmentCreditCodeAndFilters) {
  Seed();
  v1::SearchCertificatesRequest request;
  request.set_query("海岳");
  auto found = registry_->SearchCertificates(request);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(Numbers(*found), std::vector<std::string>{"90126Q21540R2M"});
  EXPECT_EQ(found->certificates(0).status().status(),
            v1::CERTIFICATE_STATUS_VALID);

  // Full-width, spaces and case fold together; "（）" matches "()".
  request.set_query("青岛 海岳电器股份");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)).size(), 1u);
  request.set_query("不存在的公司");
  EXPECT_TRUE(registry_->SearchCertificates(request)->certificates().empty());

  request.set_query(Get("90218S00876R0S")
                        .certificate()
                        .holder()
                        .unified_social_credit_code());
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90218S00876R0S"});
  // A credit code typed in lower case, with spaces, or in full width.
  const std::string code = request.query();
  std::string full_width;
  for (char c : code) {
    // U+FF10.. for digits, U+FF21.. for upper-case letters: 3 UTF-8 bytes.
    const int offset = c >= 'A' ? 0x21 + (c - 'A') : 0x10 + (c - '0');
    full_width += "\xef\xbc";
    full_width += static_cast<char>(0x80 + offset);
  }
  for (const std::string& typed :
       {absl::AsciiStrToLower(code), code.substr(0, 9) + " " + code.substr(9),
        full_width}) {
    request.set_query(typed);
    EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
              std::vector<std::string>{"90218S00876R0S"})
        << typed;
  }

  // Filters alone: every suspended certificate.
  v1::SearchCertificatesRequest suspended;
  suspended.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(suspended)),
            (std::vector<std::string>{"90115E30472R1S", "90218S00876R0S"}));
  v1::SearchCertificatesRequest service;
  service.set_query("有限公司");
  service.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(service)),
            (std::vector<std::string>{"90218S00876R0S", "90224S00317R0L"}));
  v1::SearchCertificatesRequest by_body;
  by_body.set_body_approval_number("CNCA-R-2011-902");
  by_body.set_item_code("S03");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(by_body)),
            std::vector<std::string>{"90224S00317R0L"});
}

TEST_F(RegistryTest, ACorruptRecordIsDataLossInSearchAndLookup) {
  Seed();
  const std::string number = "90126Q21540R2M";
  v1::SearchCertificatesRequest request;
  request.set_query("海岳");
  ASSERT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{number});
  v1::GetCertificateRequest lookup;
  lookup.set_number(number);

  // Bytes that do not parse, then a record whose chain is missing.
  v1::CertificateRecord no_chain;
  no_chain.add_statements()->set_leaf_index(1);
  for (const std::string& bytes :
       {std::string("\xff\xff\xff"), no_chain.SerializeAsString()}) {
    WriteBatch batch;
    batch.Put(Column::kCertificates, number, bytes);
    ASSERT_TRUE(store_.Write(batch).ok());
    auto found = registry_->SearchCertificates(request);
    EXPECT_EQ(found.status().code(), absl::StatusCode::kDataLoss)
        << found.status();
    EXPECT_NE(found.status().message().find(number), std::string::npos)
        << found.status();
    EXPECT_EQ(registry_->GetCertificate(lookup).status().code(),
              absl::StatusCode::kDataLoss);
  }
}

TEST_F(RegistryTest, FullWidthBracketsFoldInSearch) {
  Seed();
  v1::Certificate c =
      NewCertificate("90126Q99009R0M", "青岛海尔（集团）电器有限公司", 51);
  ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
  v1::SearchCertificatesRequest request;
  request.set_query("海尔(集团)");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90126Q99009R0M"});
  request.set_query("海尔");
  EXPECT_EQ(Numbers(*registry_->SearchCertificates(request)),
            std::vector<std::string>{"90126Q99009R0M"});
}

TEST_F(RegistryTest, SearchPagesAreStableAndComplete) {
  Seed();
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    std::string number = absl::StrCat("90126Q8", 1000 + i, "R0M");
    v1::Certificate c = NewCertificate(
        number, absl::StrCat("青岛分页电器第", i, "分公司"), 100 + i);
    ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok());
    expected.push_back(number);
  }
  v1::SearchCertificatesRequest request;
  request.set_query("分页电器");
  request.set_page_size(10);
  std::vector<std::string> all;
  int pages = 0;
  do {
    auto page = registry_->SearchCertificates(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->certificates_size(), 10);
    for (const auto& n : Numbers(*page)) all.push_back(n);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(all, expected);

  request.set_page_size(101);
  EXPECT_EQ(registry_->SearchCertificates(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_page_size(10);
  request.set_page_token("!!!not a token");
  EXPECT_EQ(registry_->SearchCertificates(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  // No query and no filter: every certificate, in number order.
  auto everything =
      registry_->SearchCertificates(v1::SearchCertificatesRequest());
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->certificates_size(), 20);
  EXPECT_FALSE(everything->next_page_token().empty());
}

// A search examines at most 5,000 candidates per call; with none of them
// matching it answers an empty page and a token that resumes after them.
TEST_F(RegistryTest, SearchStopsAfterItsCandidateLimitWithAToken) {
  Seed();
  constexpr int kCertificates = 5010;
  for (int i = 0; i < kCertificates; ++i) {
    v1::Certificate c =
        NewCertificate(absl::StrCat("90126Q8", 10000 + i, "R0M"),
                       absl::StrCat("青岛上限电器第", i, "分公司"), 1000 + i);
    ASSERT_TRUE(SignAndSubmit(IssueOf(c), body_keys_[0]).ok()) << i;
  }
  v1::SearchCertificatesRequest request;
  request.set_query("上限电器");
  // Every candidate is of the first body: none passes this filter.
  request.set_body_approval_number(DemoBodies()[1].approval_number);
  auto first = registry_->SearchCertificates(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->certificates_size(), 0);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  auto rest = registry_->SearchCertificates(request);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->certificates_size(), 0);
  EXPECT_TRUE(rest->next_page_token().empty());
  // Without the filter, the last page resumes where the first left off.
  request.clear_body_approval_number();
  request.set_page_size(20);
  auto last = registry_->SearchCertificates(request);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->certificates_size(), kCertificates - 5000);
  EXPECT_TRUE(last->next_page_token().empty());
}

}  // namespace
}  // namespace certreg
