#ifndef CERTREG_TOOLS_COMMON_TEXT_TABLE_H_
#define CERTREG_TOOLS_COMMON_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace certreg {

// Terminal columns `utf8` occupies: East Asian wide and full-width characters
// (汉字, "（") take two, combining marks none, everything else one.
int DisplayWidth(absl::string_view utf8);

// A plain-text table whose columns line up on a terminal, Chinese included.
//
// Example:
//   TextTable table({"证书编号 number", "状态 status"});
//   table.AddRow({"00216Q10097R1S", "有效 valid"});
//   table.Print(std::cout);
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void AddRow(std::vector<std::string> row);
  void Print(std::ostream& out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_COMMON_TEXT_TABLE_H_
