#include "tools/common/process_cpu.h"

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace certreg {

absl::StatusOr<unsigned long long> CpuTicksFromProcStat(
    absl::string_view stat) {
  const size_t paren = stat.rfind(')');
  if (paren == absl::string_view::npos) {
    return absl::InvalidArgumentError("/proc stat: no command name");
  }
  // After the name: state (field 3), then fields 4, 5, ...; utime is field
  // 14 and stime field 15.
  std::vector<absl::string_view> fields = absl::StrSplit(
      stat.substr(paren + 1), absl::ByAnyChar(" \n"), absl::SkipEmpty());
  constexpr size_t kUtime = 14 - 3;
  constexpr size_t kStime = 15 - 3;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  if (fields.size() <= kStime || !absl::SimpleAtoi(fields[kUtime], &utime) ||
      !absl::SimpleAtoi(fields[kStime], &stime)) {
    return absl::InvalidArgumentError(
        "/proc stat: no utime and stime after the command name");
  }
  return utime + stime;
}

absl::StatusOr<double> ProcessCpuSeconds(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("no process ", pid));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<unsigned long long> ticks = CpuTicksFromProcStat(text.str());
  if (!ticks.ok()) {
    return absl::Status(ticks.status().code(),
                        absl::StrCat(path, ": ", ticks.status().message()));
  }
  return static_cast<double>(*ticks) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

absl::StatusOr<std::vector<WatchedProcess>> ParseWatchedProcesses(
    absl::string_view text, absl::string_view flag) {
  std::vector<WatchedProcess> watched;
  std::set<std::string> names;
  if (text.empty()) return watched;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    auto problem = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": \"", item, "\" ", what));
    };
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    WatchedProcess process;
    process.name = std::string(parts.first);
    if (process.name.empty()) return problem("has no name: give NAME=PID");
    for (char c : process.name) {
      if (!absl::ascii_isalnum(c) && c != '_' && c != '-') {
        return problem("has a name other than letters, digits, '_' and '-'");
      }
    }
    int pid = 0;
    if (!absl::SimpleAtoi(parts.second, &pid) || pid <= 0) {
      return problem("has no process id: give NAME=PID");
    }
    process.pid = pid;
    if (!names.insert(process.name).second) {
      return problem("repeats a name");
    }
    watched.push_back(std::move(process));
  }
  return watched;
}

}  // namespace certreg
