#ifndef CERTREG_TOOLS_CLI_CERTCTL_IMPORT_REPORT_H_
#define CERTREG_TOOLS_CLI_CERTCTL_IMPORT_REPORT_H_

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace certreg {

// What became of the rows of a certctl import, counted and reported as its
// workers go: a line per failed row, a progress line on a terminal, a
// summary at the end. Thread-safe.
//
// Example:
//   ImportReport report(&std::cerr, file_bytes,
//                       isatty(STDERR_FILENO) ? &std::cerr : nullptr);
//   report.Read();
//   report.Failed(3, 2, "90126Q21540R2M", "credit_code: ...");
//   std::cerr << report.SummaryText();
class ImportReport {
 public:
  // `errors` gets the failed rows; `progress`, when not null, the progress
  // line (a terminal's: it is redrawn in place). Neither is owned; both must
  // outlive the report. `file_bytes` is the size of the file imported.
  ImportReport(std::ostream* errors, int64_t file_bytes,
               std::ostream* progress);

  // A row was read (good or bad).
  void Read() { ++read_; }
  // A row's certificate and events were all submitted.
  void Imported() { ++imported_; }
  // A row's certificate was in the registry with part of its history: the
  // rest was submitted.
  void Completed() { ++completed_; }
  // A row's certificate and history were all in the registry already.
  void Skipped() { ++skipped_; }
  // Row `row`, starting on file line `line` (`number`: its certificate,
  // empty when unknown), failed: "line 8 (row 7, 90126Q21540R2M): MESSAGE"
  // on `errors`.
  void Failed(int64_t line, int64_t row, const std::string& number,
              const std::string& message);

  // Redraws the progress line for `bytes_done` of the file read and
  // imported, at most 5 times a second unless `final` (which ends the
  // line). Groups of rows finish out of order: the line shows the furthest.
  void Progress(int64_t bytes_done, bool final = false);

  // "import: 10 rows read, 7 imported, 1 completed (resumed), 1 already
  // there, 1 failed (2.5s)" and a newline.
  std::string SummaryText() const;

  // True when a row failed.
  bool AnyFailed() const { return failed_ > 0; }

 private:
  std::ostream* const errors_;
  const int64_t file_bytes_;
  std::ostream* const progress_;
  const absl::Time start_;
  std::atomic<int64_t> read_{0}, imported_{0}, completed_{0}, skipped_{0},
      failed_{0};
  absl::Mutex mu_;
  absl::Time last_draw_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t bytes_done_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_IMPORT_REPORT_H_
