#!/usr/bin/env python3
"""Reads the figures out of what the benchmark's tools print.

Usage: figures.py COMMAND ARGS...

  value FILE PATH             the value at PATH (keys joined by dots, e.g.
                              by_op.get.p99_ms) of the JSON in FILE
  loadgen-cpu NAME FILE       NAME_cpu_PROCESS_us=US for each process of a
                              certreg-loadgen JSON summary: its CPU per
                              request over the measured window
  median-run NAME DIR         of DIR/NAME_run{1,2,3}.json, copies the run
                              with the median p99 to DIR/NAME.json and prints
                              NAME_p99_runs_ms and NAME_dropped_runs
  h2load FILE                 h2load_req_s, h2load_mean_ms, h2load_max_ms and
                              h2load_failed from h2load's output
  h2load-named NAME FILE LOG  the same as NAME_req_s, ..., and NAME_p99_ms
                              from h2load's --log-file LOG ("-": none)
  pgbench NAME FILE PREFIX    pg_NAME_tps, _transactions, _mean_ms from
                              pgbench's output, and pg_NAME_p99_ms from its
                              per-transaction logs PREFIX.*
  statements CSV              the statements `certctl import` stores for a
                              certreg CSV: one per row and one per event
  process-cpu PID             CPU seconds (user + system, every thread) the
                              process has used
  postgres-cpu PID            "SECONDS CHILDREN": the CPU of the postmaster
                              PID, its live children and the children it has
                              reaped, and how many children are alive
  settle-seconds LINE         how long the registry's "settled:" log LINE
                              says the compaction took, or n/a
  lag-entries FILE NAME       NAME_entries_p50, NAME_entries_p99 and
                              NAME_entries_max of FILE's numbers (entries a
                              follower was behind, one a line)

Figures are printed as KEY=VALUE lines, "n/a" for one the output did not
hold; the other commands print a bare value.
"""
import csv
import glob
import json
import os
import re
import shutil
import sys


def value(path, keys):
    with open(path) as f:
        v = json.load(f)
    for key in keys.split("."):
        v = v[key]
    return [str(v)]


def loadgen_cpu(name, path):
    with open(path) as f:
        cpu = json.load(f).get("cpu", {})
    out = []
    for process, figures in cpu.items():
        us = figures.get("us_per_request")
        out.append("%s_cpu_%s_us=%s" % (name, process, "n/a" if us is None else us))
    return out


def median_run(name, results):
    """An open-loop run's p99 moves from one run to the next far more than its
    throughput: of three runs, the one with the median p99 counts."""
    runs = []
    dropped = []
    for run in (1, 2, 3):
        path = os.path.join(results, "%s_run%d.json" % (name, run))
        with open(path) as f:
            summary = json.load(f)
        runs.append((summary["total"]["p99_ms"], path))
        dropped.append(summary.get("dropped", 0))
    p99s = [p99 for p99, _ in runs]
    median_path = sorted(runs)[1][1]
    shutil.copyfile(median_path, os.path.join(results, name + ".json"))
    return ["%s_p99_runs_ms=%s" % (name, " / ".join("%.3f" % p for p in p99s)),
            "%s_dropped_runs=%s" % (name, " / ".join("%d" % d for d in dropped))]


def h2load(path):
    return h2load_named("h2load", path, "-")


def h2load_named(name, path, log):
    with open(path) as f:
        text = f.read()

    def ms(number, unit):
        return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

    out = []
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text)
    out.append("%s_req_s=%s" % (name, m.group(1) if m else "n/a"))
    m = re.search(r"time for request:\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)"
                  r"\s+([\d.]+)(us|ms|s)", text)
    out.append("%s_mean_ms=%s" % (name, "%.3f" % ms(m.group(5), m.group(6)) if m else "n/a"))
    out.append("%s_max_ms=%s" % (name, "%.3f" % ms(m.group(3), m.group(4)) if m else "n/a"))
    m = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded,"
                  r" (\d+) failed", text)
    out.append("%s_failed=%s" % (name, m.group(2) if m else "n/a"))
    if log != "-":
        out.append("%s_p99_ms=%s" % (name, h2load_p99_ms(log)))
    return out


def h2load_p99_ms(path):
    """The p99 of an h2load --log-file (start, status, duration in us)."""
    durations = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3:
                durations.append(int(fields[2]))
    if not durations:
        return "n/a"
    durations.sort()
    return "%.3f" % (durations[min(len(durations) - 1, int(len(durations) * 0.99))] / 1e3)


def pgbench_p99_ms(prefix):
    """The p99 latency of pgbench's --log files PREFIX.* (field 3: us)."""
    lat = []
    for path in glob.glob(prefix + ".*"):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    lat.append(int(parts[2]))
    if not lat:
        return "n/a"
    lat.sort()
    return "%.3f" % (lat[min(len(lat) - 1, int(len(lat) * 0.99))] / 1000)


def pgbench(name, summary, prefix):
    with open(summary) as f:
        text = f.read()
    out = []
    for figure, pattern in (
            ("tps", r"tps = ([\d.]+)"),
            ("transactions", r"number of transactions actually processed: (\d+)"),
            ("mean_ms", r"latency average = ([\d.]+) ms")):
        m = re.search(pattern, text)
        out.append("pg_%s_%s=%s" % (name, figure, m.group(1) if m else "n/a"))
    out.append("pg_%s_p99_ms=%s" % (name, pgbench_p99_ms(prefix)))
    return out


def statements(path):
    csv.field_size_limit(1 << 30)
    rows = events = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            rows += 1
            events += sum(1 for e in (row.get("events") or "").split(";") if e.strip())
    return [str(rows + events)]


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (field 3 on)."""
    with open("/proc/%s/stat" % pid) as f:
        stat = f.read()
    return stat[stat.rindex(")") + 2:].split()


def process_cpu(pid):
    f = stat_fields(pid)
    return ["%.3f" % ((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK"))]


def postgres_cpu(postmaster):
    """Each connection's backend exits with its client: its CPU is in the
    postmaster's cutime and cstime once reaped."""
    f = stat_fields(postmaster)
    ticks = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
    alive = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == postmaster:
            continue
        try:
            c = stat_fields(pid)
        except (OSError, ValueError):
            continue
        if c[1] == postmaster:
            ticks += int(c[11]) + int(c[12])
            alive += 1
    return ["%.3f %d" % (ticks / os.sysconf("SC_CLK_TCK"), alive)]


def settle_seconds(line):
    m = re.search(r" in ([0-9.]+) s", line)
    return [m.group(1) if m else "n/a"]


def lag_entries(path, name):
    """Percentiles of the distances a follower was behind, in entries."""
    with open(path) as f:
        values = sorted(max(0, int(line)) for line in f if line.strip().lstrip("-").isdigit())
    if not values:
        return ["%s_entries_%s=n/a" % (name, k) for k in ("p50", "p99", "max")]
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return ["%s_entries_p50=%d" % (name, pick(0.5)), "%s_entries_p99=%d" % (name, pick(0.99)),
            "%s_entries_max=%d" % (name, values[-1])]


COMMANDS = {
    "value": (value, 2),
    "loadgen-cpu": (loadgen_cpu, 2),
    "median-run": (median_run, 2),
    "h2load": (h2load, 1),
    "h2load-named": (h2load_named, 3),
    "pgbench": (pgbench, 3),
    "statements": (statements, 1),
    "process-cpu": (process_cpu, 1),
    "postgres-cpu": (postgres_cpu, 1),
    "settle-seconds": (settle_seconds, 1),
    "lag-entries": (lag_entries, 2),
}


def main(argv):
    command = COMMANDS.get(argv[1]) if len(argv) > 1 else None
    if command is None or len(argv) - 2 != command[1]:
        sys.stderr.write(__doc__)
        return 2
    for line in command[0](*argv[2:]):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
