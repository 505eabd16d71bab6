#ifndef CERTREG_VERIFIER_BASE_DURABLE_FILE_H_
#define CERTREG_VERIFIER_BASE_DURABLE_FILE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// Small files that must survive a crash whole: written to a temporary file
// beside `path`, synced, renamed over `path`, and the directory synced, so a
// reader finds either the old contents or the new, never a mix. Creates the
// parent directory if needed. UNAVAILABLE naming the path and the system's
// reason on failure.
absl::Status WriteFileDurably(const std::string& path, absl::string_view bytes);

// The contents of `path`; nullopt when it does not exist. DATA_LOSS when it
// is larger than `max_bytes`; UNAVAILABLE when it cannot be read.
absl::StatusOr<std::optional<std::string>> ReadFileIfExists(
    const std::string& path, size_t max_bytes = 1 << 20);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BASE_DURABLE_FILE_H_
