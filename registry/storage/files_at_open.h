#ifndef CERTREG_REGISTRY_STORAGE_FILES_AT_OPEN_H_
#define CERTREG_REGISTRY_STORAGE_FILES_AT_OPEN_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace certreg {

// The files of an existing RocksDB directory that opening it for writing
// would delete. RocksDB deletes every table file its MANIFEST does not list:
// normally the leftovers of a flush or compaction a crash interrupted, but
// with a truncated or stale MANIFEST (a damaged restore) the data itself.
// Until the registry has checked what it opened, those files are kept.

// The table files (NNNNNN.sst) in `path` that its MANIFEST does not list,
// found by opening the database read-only with `column_families`. Empty
// when the read-only open fails (the open for writing reports why).
std::vector<std::string> UnreferencedTableFiles(
    const std::string& path, const std::vector<std::string>& column_families);

// Hard-links `files` and the database's MANIFEST, CURRENT and write-ahead
// log files from `path` into `keep_dir` (created), never replacing a file
// already kept there: what a first refused start found is what stays.
absl::Status KeepFilesFoundAtOpen(const std::string& path,
                                  const std::vector<std::string>& files,
                                  const std::string& keep_dir);

// What KeepWhatOpeningDeletes kept.
struct FilesKeptAtOpen {
  size_t count = 0;          // table files kept by this open
  bool dir_existed = false;  // a refused earlier start left the directory
  std::string dir;           // empty when nothing is kept there
};

// Finds the table files opening the database in `path` for writing would
// delete (UnreferencedTableFiles) and keeps them in `keep_dir`
// (KeepFilesFoundAtOpen).
absl::StatusOr<FilesKeptAtOpen> KeepWhatOpeningDeletes(
    const std::string& path, const std::vector<std::string>& column_families,
    const std::string& keep_dir);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_FILES_AT_OPEN_H_
