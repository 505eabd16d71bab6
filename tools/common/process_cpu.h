#ifndef CERTREG_TOOLS_COMMON_PROCESS_CPU_H_
#define CERTREG_TOOLS_COMMON_PROCESS_CPU_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// CPU time a process has used so far, user and system, all its threads
// together (Linux: /proc/PID/stat), in seconds; its children are not
// included. NOT_FOUND if there is no such process.
//
// Example (the CPU a server spends on a measured window):
//   double before = *ProcessCpuSeconds(server_pid);
//   ...  // the load
//   double used = *ProcessCpuSeconds(server_pid) - before;
absl::StatusOr<double> ProcessCpuSeconds(pid_t pid);

// utime + stime, in clock ticks, from the text of a /proc/PID/stat file.
// The command name (field 2) may hold spaces and parentheses, so the fields
// are counted from its last ')'.
absl::StatusOr<unsigned long long> CpuTicksFromProcStat(absl::string_view stat);

// A process to watch, as given to --cpu_pids: "NAME=PID".
struct WatchedProcess {
  std::string name;
  pid_t pid = 0;
};

// Parses "NAME=PID[,NAME=PID...]" (names: letters, digits, '_' and '-',
// each once). INVALID_ARGUMENT naming `flag` and the item at fault.
absl::StatusOr<std::vector<WatchedProcess>> ParseWatchedProcesses(
    absl::string_view text, absl::string_view flag);

}  // namespace certreg

#endif  // CERTREG_TOOLS_COMMON_PROCESS_CPU_H_
