#!/usr/bin/env python3
"""Tests of report.py: derived figures, verdicts, and the files it writes."""
import io
import json
import os
import sys
import tempfile
import unittest

# Imported from beside this file: leave no __pycache__ in the source tree.
sys.dont_write_bytecode = True
import report  # noqa: E402


def figures(**values):
    figs = report.Figures(count=2000, duration_s=2, cores=2, bulk_import_s=0.5,
                          server_cpu=0, client_cpu=1)
    figs.update(values)
    return figs


class ParseTest(unittest.TestCase):
    def test_numbers_and_text(self):
        self.assertEqual(report.parse_value("12"), 12)
        self.assertEqual(report.parse_value("1.5"), 1.5)
        self.assertEqual(report.parse_value("1e3"), 1000.0)
        self.assertEqual(report.parse_value("n/a"), "n/a")
        self.assertEqual(report.parse_value("1.0 / 2.0 / 3.0"), "1.0 / 2.0 / 3.0")

    def test_load_figures_keeps_the_last_of_a_key(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("a=1\nb=x=y\na=2.5\n")
        try:
            figs = report.load_figures(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(figs, {"a": 2.5, "b": "x=y"})


class DeriveTest(unittest.TestCase):
    def test_ratios_and_cpu_per_request(self):
        figs = figures(get_peak_ops_s=3000.0, pg_get_tps=2000.0, search_ops_s=900.0,
                       pg_search_tps="n/a", batch_claims_s=700.0,
                       openssl_verify_cores=1000.0, pg_get_cpu_s=2.0,
                       pgbench_get_cpu_s=0.5, pg_get_transactions=1000,
                       get_peak_cpu_registry_us=40.0)
        report.derive(figs)
        self.assertEqual(figs["lookup_vs_pg"], 1.5)
        self.assertIsNone(figs["search_vs_pg"])
        self.assertIsNone(figs["lookup_split_vs_pg"])
        self.assertEqual(figs["batch_vs_openssl"], 0.7)
        self.assertEqual(figs["pg_get_cpu_server_us"], 2000.0)
        self.assertEqual(figs["pg_get_cpu_client_us"], 500.0)
        self.assertIsNone(figs["pg_search_cpu_server_us"])
        self.assertEqual(figs["lookup_server_cpu_pg_vs_certreg"], 50.0)
        self.assertEqual(figs["bulk_import_s_per_million"], 250.0)


def rows_by_label(figs):
    report.derive(figs)
    return {row[0]: row for row in report.table_rows(figs)}


class RowsTest(unittest.TestCase):
    def test_targets_met_missed_and_unmeasured(self):
        rows = rows_by_label(figures(write_ops_s=5000.0, search_p99_ms=10.5))
        self.assertEqual(rows["durable ingestion, pre-signed, one per call, 64 in flight"
                              " (statements/s)"][1:], ("5,000", ">= 5,000", True))
        self.assertEqual(rows["name search p99 (ms)"][1:], ("10.5", "<= 10 ms", False))
        self.assertEqual(rows["lookup certreg / PostgreSQL"][1:],
                         ("n/a", ">= 1.5x", None))
        # The RSS target applies at 1,000,000 certificates only.
        self.assertIsNone(rows["server peak RSS, VmHWM (MiB)"][3])

    def test_formats(self):
        self.assertEqual(report.fmt(None), "n/a")
        self.assertEqual(report.fmt(1.23456), "1.235")
        self.assertEqual(report.fmt(123.456, "x"), "123.5x")
        self.assertEqual(report.fmt(12345.6), "12,346")
        self.assertEqual(report.fmt(1234567), "1,234,567")
        self.assertEqual(report.fmt("n/a"), "n/a")
        self.assertEqual(report.percent(0.2675), "26.8%")

    def test_cpu_per_operation_of_each_process(self):
        rows = rows_by_label(figures(write_batch_cpu_registry_us=3200.0))
        self.assertEqual(
            rows["  CPU per statement in calls of 32: registry / loadgen (us)"][1],
            "100 / n/a")

    def test_a_figure_not_measured_is_printed_as_such(self):
        rows = rows_by_label(figures(settle_s="n/a"))
        self.assertEqual(
            rows["level 0 compacted once writes were quiet, after the import (s)"][1],
            "n/a")


class OutputTest(unittest.TestCase):
    def test_table_counts_request_errors(self):
        figs = figures(get_errors=2, write_errors=1)
        report.derive(figs)
        out = io.StringIO()
        report.print_table(figs, report.table_rows(figs), out)
        text = out.getvalue()
        self.assertIn("certreg benchmark: N=2,000, 2 s per measurement, 2 cores", text)
        self.assertIn("request errors during the runs: 3", text)

    def test_json_and_markdown(self):
        figs = figures(write_ops_s=6000.0)
        report.derive(figs)
        rows = report.table_rows(figs)
        with tempfile.TemporaryDirectory() as out_dir:
            out = io.StringIO()
            report.write_outputs(figs, rows, os.path.join(out_dir, "new"), out)
            with open(os.path.join(out_dir, "new", "benchmark.json")) as f:
                written = json.load(f)
            with open(os.path.join(out_dir, "new", "benchmark.md")) as f:
                md = f.read().splitlines()
        self.assertEqual(written["write_ops_s"], 6000.0)
        self.assertEqual(written["bulk_import_s_per_million"], 250.0)
        self.assertIn("figures written to", out.getvalue())
        self.assertEqual(md[2], "| figure | value | target | met |")
        self.assertIn("| durable ingestion, pre-signed, one per call, 64 in flight"
                      " (statements/s) | 6,000 | >= 5,000 | met |", md)
        # Only the figures with a target.
        self.assertEqual(len(md) - 4, sum(1 for row in rows if row[2]))


if __name__ == "__main__":
    unittest.main()
