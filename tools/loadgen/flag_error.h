#ifndef CERTREG_TOOLS_LOADGEN_FLAG_ERROR_H_
#define CERTREG_TOOLS_LOADGEN_FLAG_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace certreg::loadgen {

// INVALID_ARGUMENT "--FLAG: MESSAGE": what certreg-loadgen says of a flag's
// value, wherever the value is checked (certreg-loadgen exits 2 on it).
inline absl::Status FlagError(absl::string_view flag,
                              absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_FLAG_ERROR_H_
