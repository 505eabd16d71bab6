#include "tools/common/text_table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(TextTableTest, ChineseIsTwoColumnsWide) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("有效"), 4);
  EXPECT_EQ(DisplayWidth("（Ａ）"), 6);
  EXPECT_EQ(DisplayWidth("有效 valid"), 10);
  EXPECT_EQ(DisplayWidth(""), 0);
}

TEST(TextTableTest, ColumnsLineUpWithChineseText) {
  TextTable table({"编号", "名称", "状态"});
  table.AddRow({"A1", "青岛海岳电器股份有限公司", "有效"});
  table.AddRow({"B22", "abc", "暂停 suspended"});
  std::ostringstream out;
  table.Print(out);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<int> third_column_starts;
  while (std::getline(lines, line)) {
    // Find where the third column starts, in display columns.
    size_t last_gap = line.rfind("  ");
    ASSERT_NE(last_gap, std::string::npos) << line;
    size_t start = line.find_first_not_of(' ', last_gap);
    third_column_starts.push_back(DisplayWidth(line.substr(0, start)));
  }
  ASSERT_EQ(third_column_starts.size(), 4u);
  for (int start : third_column_starts)
    EXPECT_EQ(start, third_column_starts[0]);
}

}  // namespace
}  // namespace certreg
