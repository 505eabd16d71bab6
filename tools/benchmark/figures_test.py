#!/usr/bin/env python3
"""Tests of figures.py: the figures read out of each tool's output."""
import json
import os
import sys
import tempfile
import unittest

# Imported from beside this file: leave no __pycache__ in the source tree.
sys.dont_write_bytecode = True
import figures  # noqa: E402

H2LOAD = """finished in 2.00s, 81985.12 req/s, 5.00MB/s
requests: 163970 total, 163970 started, 163970 done, 163969 succeeded, 1 failed, 0 errored
                     min         max         mean         sd        +/- sd
time for request:      123us     12.10ms       780us       200us    80.00%
"""

PGBENCH = """number of clients: 64
number of transactions actually processed: 100000
latency average = 1.300 ms
tps = 47416.200000 (without initial connection time)
"""


class FiguresTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def loadgen_json(self, name, p99, dropped=0):
        return self.write(name, json.dumps({
            "total": {"p99_ms": p99}, "dropped": dropped,
            "by_op": {"get": {"ops_per_s": 1234.5}},
            "cpu": {"loadgen": {"us_per_request": 15.1},
                    "registry": {"us_per_request": None}}}))

    def test_value_at_a_path(self):
        path = self.loadgen_json("run.json", 2.5)
        self.assertEqual(figures.value(path, "by_op.get.ops_per_s"), ["1234.5"])
        self.assertEqual(figures.value(path, "dropped"), ["0"])

    def test_lag_entries(self):
        path = os.path.join(self.dir.name, "lag.txt")
        with open(path, "w") as f:
            f.write("".join("%d\n" % v for v in [0, 3, -1, 7, 2] * 20))
        self.assertEqual(figures.lag_entries(path, "lag"),
                         ["lag_entries_p50=2", "lag_entries_p99=7", "lag_entries_max=7"])
        with open(path, "w") as f:
            f.write("")
        self.assertEqual(figures.lag_entries(path, "lag")[0], "lag_entries_p50=n/a")

    def test_loadgen_cpu(self):
        path = self.loadgen_json("run.json", 2.5)
        self.assertEqual(figures.loadgen_cpu("get_peak", path),
                         ["get_peak_cpu_loadgen_us=15.1", "get_peak_cpu_registry_us=n/a"])

    def test_median_run_of_three(self):
        for run, (p99, dropped) in enumerate([(9.0, 0), (1.0, 3), (4.0, 0)], 1):
            self.loadgen_json("open_run%d.json" % run, p99, dropped)
        self.assertEqual(figures.median_run("open", self.dir.name),
                         ["open_p99_runs_ms=9.000 / 1.000 / 4.000",
                          "open_dropped_runs=0 / 3 / 0"])
        with open(os.path.join(self.dir.name, "open.json")) as f:
            self.assertEqual(json.load(f)["total"]["p99_ms"], 4.0)

    def test_h2load(self):
        self.assertEqual(figures.h2load(self.write("h2load.txt", H2LOAD)),
                         ["h2load_req_s=81985.12", "h2load_mean_ms=0.780",
                          "h2load_max_ms=12.100", "h2load_failed=1"])
        self.assertEqual(figures.h2load(self.write("h2load.txt", "error")),
                         ["h2load_req_s=n/a", "h2load_mean_ms=n/a", "h2load_max_ms=n/a",
                          "h2load_failed=n/a"])

    def test_pgbench_with_p99_from_its_logs(self):
        summary = self.write("pgbench_get.txt", PGBENCH)
        prefix = os.path.join(self.dir.name, "pglog_get")
        self.write("pglog_get.1", "".join("0 %d %d 0 0 0\n" % (i, 1000 * (i + 1))
                                          for i in range(99)))
        self.write("pglog_get.2", "1 0 500000 0 0 0\n")
        self.assertEqual(figures.pgbench("get", summary, prefix),
                         ["pg_get_tps=47416.200000", "pg_get_transactions=100000",
                          "pg_get_mean_ms=1.300", "pg_get_p99_ms=500.000"])
        self.assertEqual(figures.pgbench("x", summary, prefix + "none")[-1],
                         "pg_x_p99_ms=n/a")

    def test_statements_are_rows_and_events(self):
        path = self.write("c.csv", "\ufeffnumber,events\nA1,surveillance@2025-01-02; "
                                   "suspend@2025-02-03:reason;\nB2,\n")
        self.assertEqual(figures.statements(path), ["4"])  # 2 rows, 2 events

    def test_process_cpu_of_this_process(self):
        seconds = float(figures.process_cpu(str(os.getpid()))[0])
        self.assertGreaterEqual(seconds, 0)
        total, children = figures.postgres_cpu(str(os.getpid()))[0].split()
        self.assertGreaterEqual(float(total), seconds)
        self.assertGreaterEqual(int(children), 0)

    def test_settle_seconds(self):
        self.assertEqual(figures.settle_seconds(
            "certreg-registry: settled: level 0 compacted in 6.012 s"), ["6.012"])
        self.assertEqual(figures.settle_seconds("settled"), ["n/a"])

    def test_usage(self):
        self.assertEqual(figures.main(["figures.py"]), 2)
        self.assertEqual(figures.main(["figures.py", "h2load"]), 2)


if __name__ == "__main__":
    unittest.main()
