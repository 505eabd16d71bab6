#ifndef CERTREG_VERIFIER_BASE_STATUS_MACROS_H_
#define CERTREG_VERIFIER_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define CERTREG_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status certreg_status_ = (expr);           \
    if (!certreg_status_.ok()) return certreg_status_; \
  } while (false)

#define CERTREG_STATUS_CONCAT_INNER_(a, b) a##b
#define CERTREG_STATUS_CONCAT_(a, b) CERTREG_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status from
// the enclosing function, otherwise moves the value into `lhs`.
//
// Example:
//   CERTREG_ASSIGN_OR_RETURN(Date date, ParseDate(text));
#define CERTREG_ASSIGN_OR_RETURN(lhs, rexpr) \
  CERTREG_ASSIGN_OR_RETURN_IMPL_(            \
      CERTREG_STATUS_CONCAT_(certreg_statusor_, __LINE__), lhs, rexpr)

#define CERTREG_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

#endif  // CERTREG_VERIFIER_BASE_STATUS_MACROS_H_
