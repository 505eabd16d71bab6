#include "tools/cli/certctl_import_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/certctl_text.h"

namespace certreg {

ImportReport::ImportReport(std::ostream* errors, int64_t file_bytes,
                           std::ostream* progress)
    : errors_(errors),
      file_bytes_(file_bytes),
      progress_(progress),
      start_(absl::Now()) {}

void ImportReport::Failed(int64_t line, int64_t row, const std::string& number,
                          const std::string& message) {
  ++failed_;
  absl::MutexLock lock(&mu_);
  if (errors_ == progress_) *progress_ << "\r\033[K";  // over the progress
  *errors_ << "line " << line << " (row " << row
           << (number.empty() ? "" : ", " + number) << "): " << message << "\n";
}

void ImportReport::Progress(int64_t bytes_done, bool final) {
  if (progress_ == nullptr) return;
  absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  bytes_done_ = std::max(bytes_done_, bytes_done);
  if (!final && now - last_draw_ < absl::Milliseconds(200)) return;
  last_draw_ = now;
  double fraction =
      file_bytes_ > 0 ? std::min(1.0, double(bytes_done_) / file_bytes_) : 0;
  double seconds = absl::ToDoubleSeconds(now - start_);
  int64_t done = imported_ + completed_ + skipped_ + failed_;
  double rate = seconds > 0 ? done / seconds : 0;
  std::string eta = "-";
  if (fraction > 0.001 && fraction < 1) {
    eta = absl::StrFormat("%.0fs", seconds / fraction - seconds);
  }
  *progress_ << "\r" << ProgressBar(fraction) << " "
             << absl::StrFormat("%s, %.0f rows/s, ETA %s", Counted(done, "row"),
                                rate, eta)
             << "\033[K" << std::flush;
  if (final) *progress_ << "\n";
}

std::string ImportReport::SummaryText() const {
  return absl::StrCat(
      "import: ", Counted(read_, "row"), " read, ", imported_.load(),
      " imported, ", completed_.load(), " completed (resumed), ",
      skipped_.load(), " already there, ", failed_.load(), " failed (",
      absl::StrFormat("%.1fs", absl::ToDoubleSeconds(absl::Now() - start_)),
      ")\n");
}

}  // namespace certreg
