#ifndef CERTREG_TOOLS_LOADGEN_REPORT_H_
#define CERTREG_TOOLS_LOADGEN_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "tools/loadgen/op_stats.h"
#include "tools/loadgen/operation.h"

namespace certreg::loadgen {

// certreg-loadgen's report of a run: a table of throughput and latency
// percentiles per operation, the errors by code, what was not sent, the CPU
// each watched process spent per request, and one "JSON: " line with every
// figure. tools/benchmark/ parses the JSON (written alone with --json_out)
// and the lines starting "errors:", "dropped:" and "writes:"; their form
// is kept as it is.
//
// Example:
//   RunSettings settings;  // from the flags
//   RunFigures figures;    // from the engine
//   WriteReport(settings, figures, std::cout);
//   std::string json = ReportJson(settings, figures);

// How the run was set up.
struct RunSettings {
  // ModeDescription's.
  std::string mode;
  std::string registry;
  // Empty when the run did not call the verifier.
  std::string verifier;
  double duration_seconds = 0;
  double warmup_seconds = 0;
  // Requests/s; 0 is closed loop.
  double rate = 0;
  int channels = 0;
  // Closed loop: requests outstanding per channel.
  int concurrency = 0;
  // --view as given: basic or full.
  std::string view;
  int write_batch = 1;
  int max_outstanding = 0;
  // The operations reported are those with weight.
  OpWeights weights{};
};

// What the run measured.
struct RunFigures {
  RunResults results;
  uint64_t dropped = 0;
  uint64_t writes_exhausted = 0;
  // Statements signed before the run.
  size_t presigned_writes = 0;
  // CPU seconds over the measured window of each process named, in order
  // (NaN for a process that could not be measured); empty when the CPU was
  // not sampled.
  std::vector<std::string> cpu_names;
  std::vector<double> cpu_used;
};

// "closed loop, C channels x N outstanding = T in flight", or "open loop at
// R requests/s over C channels".
std::string ModeDescription(double rate, int channels, int concurrency);

// Every result merged: the "total" row.
OpStats Total(const RunResults& results);

// The report as text, ending with the "JSON: " line (flushed).
void WriteReport(const RunSettings& settings, const RunFigures& figures,
                 std::ostream& out);

// The JSON summary, one line: duration_s, warmup_s, mode (open or closed),
// rate, channels, concurrency (0 in open loop), view, dropped,
// writes_exhausted, write_batch, total, by_op (each operation with weight),
// cpu (each process's cpu_s, cores and us_per_request; null where not
// measured).
std::string ReportJson(const RunSettings& settings, const RunFigures& figures);

}  // namespace certreg::loadgen

#endif  // CERTREG_TOOLS_LOADGEN_REPORT_H_
