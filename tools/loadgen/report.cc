#include "tools/loadgen/report.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/common/latency_histogram.h"

namespace certreg::loadgen {
namespace {

std::string Ms(int64_t nanos) { return absl::StrFormat("%.3f", nanos / 1e6); }

// JSON has no NaN: null stands for a figure that could not be measured.
std::string JsonNumber(double value) {
  return std::isfinite(value) ? absl::StrFormat("%.3f", value) : "null";
}

std::string StatsJson(const OpStats& s, double seconds) {
  const uint64_t ops = s.requests();
  std::vector<std::string> codes;
  for (const auto& [code, count] : s.errors) {
    codes.push_back(absl::StrCat("\"", code, "\":", count));
  }
  const LatencyHistogram& h = s.latency;
  return absl::StrCat("{\"ops\":", ops, ",\"ok\":", s.ok,
                      ",\"ops_per_s\":", absl::StrFormat("%.1f", ops / seconds),
                      ",\"errors\":", s.error_count(), ",\"errors_by_code\":{",
                      absl::StrJoin(codes, ","), "}",
                      ",\"mean_ms\":", absl::StrFormat("%.3f", h.mean() / 1e6),
                      ",\"p50_ms\":", Ms(h.Percentile(50)),
                      ",\"p90_ms\":", Ms(h.Percentile(90)),
                      ",\"p99_ms\":", Ms(h.Percentile(99)),
                      ",\"p99_9_ms\":", Ms(h.Percentile(99.9)),
                      ",\"max_ms\":", Ms(h.max()), "}");
}

void WriteRow(const std::string& name, const OpStats& s, double seconds,
              std::ostream& out) {
  const uint64_t ops = s.requests();
  const LatencyHistogram& h = s.latency;
  // No latency without a successful request.
  auto ms = [&h](int64_t nanos) {
    return h.count() == 0 ? std::string("-") : Ms(nanos);
  };
  out << absl::StrFormat("%-7s %9d %7d %10.1f %9s %9s %9s %9s %9s\n", name, ops,
                         s.error_count(), ops / seconds, ms(h.Percentile(50)),
                         ms(h.Percentile(90)), ms(h.Percentile(99)),
                         ms(h.Percentile(99.9)), ms(h.max()));
}

// One watched process's CPU over the measured window.
struct CpuFigure {
  std::string name;
  double seconds;
  double cores;
  // NaN if the process ended during the window, or no request ended.
  double us_per_request;
};

std::vector<CpuFigure> CpuFigures(const RunSettings& settings,
                                  const RunFigures& figures) {
  const uint64_t total_ops = Total(figures.results).requests();
  std::vector<CpuFigure> out;
  for (size_t i = 0;
       i < figures.cpu_names.size() && i < figures.cpu_used.size(); ++i) {
    const double used = figures.cpu_used[i];
    out.push_back(
        CpuFigure{figures.cpu_names[i], used, used / settings.duration_seconds,
                  total_ops > 0 ? used * 1e6 / static_cast<double>(total_ops)
                                : std::nan("")});
  }
  return out;
}

// The lines after the table: errors, requests not sent, writes, CPU.
void WriteNotes(const RunSettings& settings, const RunFigures& figures,
                std::ostream& out) {
  for (int op = 0; op < kNumOps; ++op) {
    for (const auto& [code, count] : figures.results[op].errors) {
      out << "errors: " << kOpNames[op] << " " << code << " x" << count << "\n";
    }
  }
  if (figures.dropped > 0) {
    out << "dropped: " << figures.dropped
        << " requests not sent (--max_outstanding=" << settings.max_outstanding
        << " in flight, or writes exhausted); they are not in count\n";
  }
  if (settings.weights[kWrite] > 0 && settings.write_batch > 1) {
    out << absl::StrFormat(
        "writes: %d statements per request: %.1f statements/s\n",
        settings.write_batch,
        static_cast<double>(figures.results[kWrite].ok) * settings.write_batch /
            settings.duration_seconds);
  }
  if (figures.writes_exhausted > 0) {
    out << "writes: the " << figures.presigned_writes
        << " pre-signed statements ran out; raise --write_count\n";
  }
  if (figures.cpu_used.empty()) return;
  std::vector<std::string> parts;
  for (const CpuFigure& cpu : CpuFigures(settings, figures)) {
    parts.push_back(std::isfinite(cpu.us_per_request)
                        ? absl::StrFormat("%s %.1f us (%.2f cores)", cpu.name,
                                          cpu.us_per_request, cpu.cores)
                        : absl::StrCat(cpu.name,
                                       " not measured (it ended, or no "
                                       "request completed)"));
  }
  out << "cpu per request over the measured window: "
      << absl::StrJoin(parts, ", ") << "\n";
}

}  // namespace

std::string ModeDescription(double rate, int channels, int concurrency) {
  return rate > 0
             ? absl::StrFormat("open loop at %.1f requests/s over %d channels",
                               rate, channels)
             : absl::StrFormat(
                   "closed loop, %d channels x %d outstanding = %d in flight",
                   channels, concurrency, channels * concurrency);
}

OpStats Total(const RunResults& results) {
  OpStats total;
  for (const OpStats& s : results) total.Merge(s);
  return total;
}

void WriteReport(const RunSettings& settings, const RunFigures& figures,
                 std::ostream& out) {
  const double duration = settings.duration_seconds;
  out << "certreg-loadgen: " << settings.mode << "\n"
      << "registry " << settings.registry;
  if (!settings.verifier.empty()) out << ", verifier " << settings.verifier;
  out << "; " << duration << " s measured after " << settings.warmup_seconds
      << " s warmup; latency of successful requests in ms\n";
  out << absl::StrFormat("%-7s %9s %7s %10s %9s %9s %9s %9s %9s\n", "op",
                         "count", "errors", "ops/s", "p50", "p90", "p99",
                         "p99.9", "max");
  for (int op = 0; op < kNumOps; ++op) {
    if (settings.weights[op] == 0) continue;
    WriteRow(kOpNames[op], figures.results[op], duration, out);
  }
  WriteRow("total", Total(figures.results), duration, out);
  WriteNotes(settings, figures, out);
  out << "JSON: " << ReportJson(settings, figures) << std::endl;
}

std::string ReportJson(const RunSettings& settings, const RunFigures& figures) {
  const double duration = settings.duration_seconds;
  std::vector<std::string> by_op;
  for (int op = 0; op < kNumOps; ++op) {
    if (settings.weights[op] == 0) continue;
    by_op.push_back(absl::StrCat(
        "\"", kOpNames[op], "\":", StatsJson(figures.results[op], duration)));
  }
  std::vector<std::string> cpu;
  for (const CpuFigure& c : CpuFigures(settings, figures)) {
    cpu.push_back(absl::StrCat(
        "\"", c.name, "\":{\"cpu_s\":", JsonNumber(c.seconds),
        ",\"cores\":", JsonNumber(c.cores),
        ",\"us_per_request\":", JsonNumber(c.us_per_request), "}"));
  }
  const bool open = settings.rate > 0;
  return absl::StrCat(
      "{\"duration_s\":", duration, ",\"warmup_s\":", settings.warmup_seconds,
      ",\"mode\":\"", open ? "open" : "closed", "\",\"rate\":", settings.rate,
      ",\"channels\":", settings.channels,
      ",\"concurrency\":", open ? 0 : settings.concurrency, ",\"view\":\"",
      settings.view, "\"", ",\"dropped\":", figures.dropped,
      ",\"writes_exhausted\":", figures.writes_exhausted,
      ",\"write_batch\":", settings.write_batch,
      ",\"total\":", StatsJson(Total(figures.results), duration),
      ",\"by_op\":{", absl::StrJoin(by_op, ","), "},\"cpu\":{",
      absl::StrJoin(cpu, ","), "}}");
}

}  // namespace certreg::loadgen
