#!/usr/bin/env python3
"""The benchmark's report: its measured figures as one table, JSON and Markdown.

Usage: report.py FIGURES [OUT_DIR]

FIGURES holds one figure a line, KEY=VALUE, as the sections of
tools/benchmark/ write them (a number, or text such as "n/a" or
"1.2 / 3.4 / 5.6"). The report adds the figures derived from them (certreg
over PostgreSQL, BatchVerify over openssl, CPU per request, the import scaled
to 1,000,000), prints every figure with its target and whether it was met,
and with OUT_DIR writes OUT_DIR/benchmark.json (every figure, measured and
derived; what docs/PERFORMANCE.md's tables are made from) and
OUT_DIR/benchmark.md (the figures that have a target, as a short Markdown
table).
"""
import json
import os
import sys

# The requests of every load run that must all have succeeded.
ERROR_FIGURES = (
    "get_errors", "get_full_errors", "get_stream_errors", "get_split_errors",
    "get_stream_split_errors", "search_errors", "batch_errors",
    "batch_split_errors", "write_errors", "write_batch_errors", "web_json_failed",
    "replicated_write_errors",
    "web_json_fresh_failed", "web_page_failed", "web_page_open70_failed",
    "nginx_page_failed")


class Figures(dict):
    """The figures by key; a value is an int, a float or text."""

    def num(self, key):
        """The figure as a number, or None when it is text or missing."""
        v = self.get(key)
        return v if isinstance(v, (int, float)) else None

    def ratio(self, a, b):
        a, b = self.num(a), self.num(b)
        return round(a / b, 3) if a is not None and b else None


def parse_value(value):
    try:
        return float(value) if "." in value or "e" in value else int(value)
    except ValueError:
        return value


def load_figures(path):
    figs = Figures()
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            figs[key] = parse_value(value)
    return figs


def derive(figs):
    """Adds the figures computed from the measured ones."""
    figs["web_json_vs_grpc"] = figs.ratio("web_json_req_s", "h2load_req_s")
    figs["web_json_fresh_vs_grpc"] = figs.ratio("web_json_fresh_req_s", "h2load_req_s")
    figs["web_page_vs_nginx"] = figs.ratio("web_page_req_s", "nginx_page_req_s")
    figs["lookup_vs_pg"] = figs.ratio("get_peak_ops_s", "pg_get_tps")
    figs["lookup_full_vs_pg"] = figs.ratio("get_full_peak_ops_s", "pg_get_tps")
    figs["lookup_stream_vs_pg"] = figs.ratio("get_stream_peak_ops_s", "pg_get_tps")
    figs["search_vs_pg"] = figs.ratio("search_ops_s", "pg_search_tps")
    figs["lookup_split_vs_pg"] = figs.ratio("get_split_ops_s", "pg_get_split_tps")
    figs["lookup_stream_split_vs_pg"] = figs.ratio(
        "get_stream_split_ops_s", "pg_get_split_tps")
    figs["batch_vs_openssl"] = figs.ratio("batch_claims_s", "openssl_verify_cores")
    figs["batch_split_vs_openssl"] = figs.ratio(
        "batch_split_claims_s", "openssl_verify_per_core")
    for name in ("get", "search", "get_unix", "get_split"):
        for side, key in (("server", "pg_%s_cpu_s"), ("client", "pgbench_%s_cpu_s")):
            cpu, tx = figs.num(key % name), figs.num("pg_%s_transactions" % name)
            figs["pg_%s_cpu_%s_us" % (name, side)] = (
                round(cpu * 1e6 / tx, 1) if cpu is not None and tx else None)
    # Server CPU per request, PostgreSQL's over certreg's: how the servers
    # compare with the clients' share taken out (both share the same cores).
    figs["lookup_server_cpu_pg_vs_certreg"] = figs.ratio(
        "pg_get_cpu_server_us", "get_peak_cpu_registry_us")
    figs["search_server_cpu_pg_vs_certreg"] = figs.ratio(
        "pg_search_cpu_server_us", "search_cpu_registry_us")
    scale = 1000000 / figs["count"]
    figs["bulk_import_s_per_million"] = round(figs["bulk_import_s"] * scale, 1)


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if not isinstance(v, (int, float)):
        return str(v)  # as measured, e.g. "n/a" when a tool's output had no figure
    if isinstance(v, float):
        if abs(v) < 10:
            s = "{:,.3f}".format(v)
        elif abs(v) < 1000:
            s = "{:,.1f}".format(v)
        else:
            s = "{:,.0f}".format(v)
    else:
        s = "{:,}".format(v)
    return s + unit


def percent(v):
    return "n/a" if v is None else "%.1f%%" % (v * 100)


def met(ok):
    return "n/a" if ok is None else ("met" if ok else "MISSED")


class Rows:
    """Builds the table's rows: (label, value, target, met?) each."""

    def __init__(self, figs):
        self.figs = figs
        self.rows = []

    def add(self, label, value, target="", ok=None):
        self.rows.append((label, value, target, ok))

    def fig(self, key, unit=""):
        """A figure formatted, "n/a" when missing."""
        return fmt(self.figs.get(key), unit)

    def text(self, key):
        """A figure as written (e.g. the p99 of each run), "n/a" when missing."""
        return self.figs.get(key, "n/a")

    def cpu(self, *keys, per=1):
        """CPU per operation of each process, in us: "a / b / c"."""
        values = [self.figs.num(k) for k in keys]
        return " / ".join("n/a" if v is None else "%.0f" % (v / per) for v in values)

    def cmp(self, key, op, target):
        v = self.figs.num(key)
        if v is None:
            return None
        return v >= target if op == ">=" else v <= target


def import_rows(r):
    per_million = r.cmp("bulk_import_s_per_million", "<=", 300)
    r.add("certificates (N)", fmt(r.figs["count"]))
    r.add("generate N (s)", r.fig("generate_s"))
    r.add("import N, --parallel=8 (s)", r.fig("import_s"))
    r.add("bulk import N, generate + import (s)", r.fig("bulk_import_s"),
          "<= 300 s per 1,000,000", per_million)
    r.add("bulk import scaled to 1,000,000 (s)", r.fig("bulk_import_s_per_million"),
          "<= 300", per_million)
    r.add("statements stored by import", r.fig("statements"))
    r.add("  CPU per statement: registry / certctl (us)",
          r.cpu("import_cpu_registry_us", "import_cpu_certctl_us"))
    r.add("durable ingestion during import (statements/s)",
          r.fig("import_statements_per_s"))


def write_rows(r):
    r.add("durable ingestion, pre-signed, one per call, 64 in flight (statements/s)",
          r.fig("write_ops_s"), ">= 5,000", r.cmp("write_ops_s", ">=", 5000))
    r.add("  write p99 (ms)", r.fig("write_p99_ms"))
    r.add("  CPU per statement, one per call: registry / loadgen (us)",
          r.cpu("write_cpu_registry_us", "write_cpu_loadgen_us"))
    r.add("durable ingestion, pre-signed, 32 per SubmitStatements, 8 calls in flight"
          " (statements/s)", r.fig("write_batch_statements_s"), ">= 5,000",
          r.cmp("write_batch_statements_s", ">=", 5000))
    r.add("  p99 of a call of 32 (ms)", r.fig("write_batch_p99_ms"))
    r.add("  CPU per statement in calls of 32: registry / loadgen (us)",
          r.cpu("write_batch_cpu_registry_us", "write_batch_cpu_loadgen_us", per=32))


def lookup_rows(r):
    r.add("lookup by number, basic view, closed loop 4x16 (ops/s)", r.fig("get_peak_ops_s"))
    r.add("  closed-loop p99 (ms)", r.fig("get_peak_p99_ms"))
    r.add("  CPU per lookup: registry / loadgen (us)",
          r.cpu("get_peak_cpu_registry_us", "get_peak_cpu_loadgen_us"))
    r.add("lookup, full view (+ signed statements) (ops/s)", r.fig("get_full_peak_ops_s"))
    r.add("  closed-loop p99 (ms)", r.fig("get_full_peak_p99_ms"))
    r.add("lookup open loop at 70% of peak (req/s)", r.fig("get_open70_rate"))
    r.add("lookup p99 at 70% of peak (ms)", r.fig("get_open70_p99_ms"), "<= 2 ms",
          r.cmp("get_open70_p99_ms", "<=", 2))
    r.add("  p99 of each of the 3 open-loop runs (ms)", r.text("get_open70_p99_runs_ms"))
    r.add("  requests due but not sent in each run (dropped)",
          r.text("get_open70_dropped_runs"))
    r.add("  CPU per lookup at 70%: registry / loadgen (us)",
          r.cpu("get_open70_cpu_registry_us", "get_open70_cpu_loadgen_us"))


def stream_rows(r):
    r.add("lookup over LookupCertificates streams, basic view, 1x64 (ops/s)",
          r.fig("get_stream_peak_ops_s"))
    r.add("  closed-loop p99 (ms)", r.fig("get_stream_peak_p99_ms"))
    r.add("  CPU per streamed lookup: registry / loadgen (us)",
          r.cpu("get_stream_peak_cpu_registry_us", "get_stream_peak_cpu_loadgen_us"))
    r.add("streamed lookup open loop at 70% of its peak (req/s)",
          r.fig("get_stream_open70_rate"))
    r.add("streamed lookup p99 at 70% of its peak (ms)", r.fig("get_stream_open70_p99_ms"),
          "<= 2 ms", r.cmp("get_stream_open70_p99_ms", "<=", 2))
    r.add("  p99 of each of the 3 streamed open-loop runs (ms)",
          r.text("get_stream_open70_p99_runs_ms"))
    r.add("  streamed lookups due but not sent in each run (dropped)",
          r.text("get_stream_open70_dropped_runs"))
    r.add("  CPU per streamed lookup at 70%: registry / loadgen (us)",
          r.cpu("get_stream_open70_cpu_registry_us", "get_stream_open70_cpu_loadgen_us"))


def lookup_vs_pg_rows(r):
    r.add("h2load GetCertificate basic, one number, 4x16 (req/s)", r.fig("h2load_req_s"))
    r.add("  h2load mean latency (ms)", r.fig("h2load_mean_ms"))
    r.add("PostgreSQL point select, 64 clients (tps)", r.fig("pg_get_tps"))
    r.add("  PostgreSQL point select mean / p99 (ms)",
          r.fig("pg_get_mean_ms") + " / " + r.fig("pg_get_p99_ms"))
    r.add("  CPU per select: PostgreSQL / pgbench (us)",
          r.cpu("pg_get_cpu_server_us", "pg_get_cpu_client_us"))
    r.add("  the same over its unix socket (tps)", r.fig("pg_get_unix_tps"))
    r.add("lookup certreg / PostgreSQL", r.fig("lookup_vs_pg", "x"), ">= 1.5x",
          r.cmp("lookup_vs_pg", ">=", 1.5))
    r.add("  full view / PostgreSQL", r.fig("lookup_full_vs_pg", "x"))
    r.add("  server CPU per lookup, PostgreSQL / certreg",
          r.fig("lookup_server_cpu_pg_vs_certreg", "x"))
    r.add("streamed lookup certreg / PostgreSQL", r.fig("lookup_stream_vs_pg", "x"),
          ">= 1.5x", r.cmp("lookup_stream_vs_pg", ">=", 1.5))


def split_rows(r):
    r.add("a core each for server and client: lookups/s, 4x16", r.fig("get_split_ops_s"))
    r.add("  streamed lookups/s, 1x64", r.fig("get_stream_split_ops_s"))
    r.add("  PostgreSQL point selects/s, 64 clients (tps)", r.fig("pg_get_split_tps"))
    r.add("  server CPU per lookup / streamed lookup / select (us)",
          r.cpu("get_split_cpu_registry_us", "get_stream_split_cpu_registry_us",
                "pg_get_split_cpu_server_us"))
    r.add("  client CPU per lookup / streamed lookup / select (us)",
          r.cpu("get_split_cpu_loadgen_us", "get_stream_split_cpu_loadgen_us",
                "pg_get_split_cpu_client_us"))
    r.add("lookup certreg / PostgreSQL, a core each", r.fig("lookup_split_vs_pg", "x"),
          ">= 1.5x", r.cmp("lookup_split_vs_pg", ">=", 1.5))
    r.add("streamed lookup certreg / PostgreSQL, a core each",
          r.fig("lookup_stream_split_vs_pg", "x"), ">= 1.5x",
          r.cmp("lookup_stream_split_vs_pg", ">=", 1.5))


def search_rows(r):
    r.add("name search, closed loop 4x16 (ops/s)", r.fig("search_ops_s"))
    r.add("name search p99 (ms)", r.fig("search_p99_ms"), "<= 10 ms",
          r.cmp("search_p99_ms", "<=", 10))
    r.add("  CPU per search: registry / loadgen (us)",
          r.cpu("search_cpu_registry_us", "search_cpu_loadgen_us"))
    r.add("PostgreSQL pg_trgm search, 64 clients (tps)", r.fig("pg_search_tps"))
    r.add("  PostgreSQL search mean / p99 (ms)",
          r.fig("pg_search_mean_ms") + " / " + r.fig("pg_search_p99_ms"))
    r.add("  CPU per search: PostgreSQL / pgbench (us)",
          r.cpu("pg_search_cpu_server_us", "pg_search_cpu_client_us"))
    r.add("search certreg / PostgreSQL", r.fig("search_vs_pg", "x"), ">= 3x",
          r.cmp("search_vs_pg", ">=", 3))
    r.add("  server CPU per search, PostgreSQL / certreg",
          r.fig("search_server_cpu_pg_vs_certreg", "x"))


def verify_rows(r):
    figs = r.figs
    r.add("BatchVerify, batches of 100, 4 in flight (claims/s)", r.fig("batch_claims_s"))
    r.add("  CPU per claim: verifier / registry / loadgen (us)",
          r.cpu("batch_cpu_verifier_us", "batch_cpu_registry_us", "batch_cpu_loadgen_us",
                per=100))
    r.add("openssl ed25519 verify/s per core", r.fig("openssl_verify_per_core"))
    r.add("openssl ed25519 verify/s x cores used (%d)" % figs["cores"],
          r.fig("openssl_verify_cores"))
    r.add("BatchVerify claims/s / openssl verify/s", percent(figs["batch_vs_openssl"]),
          ">= 70%", r.cmp("batch_vs_openssl", ">=", 0.7))
    r.add("BatchVerify, the verifier on a core of its own (claims/s)",
          r.fig("batch_split_claims_s"))
    r.add("  CPU per claim, a core each: verifier / registry / loadgen (us)",
          r.cpu("batch_split_cpu_verifier_us", "batch_split_cpu_registry_us",
                "batch_split_cpu_loadgen_us", per=100))
    r.add("BatchVerify on its own core / that core's openssl verify/s",
          percent(figs["batch_split_vs_openssl"]), ">= 70%",
          r.cmp("batch_split_vs_openssl", ">=", 0.7))


def resource_rows(r):
    figs = r.figs
    rss = figs.num("registry_rss_kib")
    # The RSS target applies at N = 1,000,000 only.
    rss_ok = None if rss is None else (rss <= 1048576 if figs["count"] >= 1000000 else None)
    r.add("server peak RSS, VmHWM (MiB)", fmt(round(rss / 1024, 1) if rss else None),
          "<= 1,024 MiB at 1,000,000", rss_ok)
    r.add("database on disk right after import, with WAL (bytes)", r.fig("disk_bytes"))
    r.add("  per certificate (bytes)", r.fig("disk_bytes_per_cert"))
    r.add("database on disk after a clean stop (bytes)", r.fig("settled_disk_bytes"))
    r.add("disk per certificate (bytes)", r.fig("settled_disk_bytes_per_cert"), "<= 2,048",
          r.cmp("settled_disk_bytes_per_cert", "<=", 2048))
    r.add("PostgreSQL database per certificate (bytes)", r.fig("pg_bytes_per_cert"))
    r.add("time to open the database (s)", r.fig("open_s"))
    r.add("level 0 compacted once writes were quiet, after the import (s)",
          r.fig("settle_s"))


def flood_rows(r):
    r.add("writer p99 at 100 statements/s, alone (ms)", r.fig("write_alone_p99_ms"))
    r.add("  beside an unmetered lookup flood (ms)", r.fig("write_flooded_p99_ms"))
    alone = r.figs.num("write_alone_p99_ms")
    metered = r.figs.num("write_metered_p99_ms")
    ratio = None if not alone or metered is None else round(metered / alone, 2)
    r.add("  beside a metered flood, quotas on (ms)", r.fig("write_metered_p99_ms"))
    r.add("  metered flood / alone", fmt(ratio), "<= 2", None if ratio is None else ratio <= 2)
    r.add("  lookups the flood got done: unmetered / metered (ops/s)",
          "%s / %s" % (r.fig("flood_unmetered_ops_s"), r.fig("flood_metered_ops_s")))


def web_rows(r):
    r.add("web JSON lookup, basic view, h2load --h1 64 connections (req/s)",
          r.fig("web_json_req_s"))
    r.add("  web JSON lookup / gRPC lookup (h2load, one number each)",
          r.fig("web_json_vs_grpc", "x"), ">= 0.5x", r.cmp("web_json_vs_grpc", ">=", 0.5))
    r.add("  the same, nothing kept: bundle fetched and verified each time (req/s)",
          r.fig("web_json_fresh_req_s"))
    r.add("  nothing kept / gRPC lookup", r.fig("web_json_fresh_vs_grpc", "x"))
    r.add("web certificate page, 64 connections (req/s)", r.fig("web_page_req_s"))
    r.add("  page size (bytes)", r.fig("web_page_bytes"))
    r.add("web page p99 at 70% of its peak (ms)", r.fig("web_page_open70_p99_ms"),
          "<= 10 ms", r.cmp("web_page_open70_p99_ms", "<=", 10))
    r.add("  asked / achieved rate, 256 paced connections (req/s)",
          "%s / %s" % (r.fig("web_page_open70_rate"), r.fig("web_page_open70_req_s")))
    r.add("nginx, a static file of the page's size, 64 connections (req/s)",
          r.fig("nginx_page_req_s"))
    r.add("  web page / nginx static file", r.fig("web_page_vs_nginx", "x"))


def watch_rows(r):
    r.add("status calendar: a year of days passed at once (certificates moved)",
          r.fig("calendar_year_moved"))
    r.add("  its CPU (ms); per certificate moved (us)",
          "%s; %s" % (r.fig("calendar_year_cpu_ms"), r.fig("calendar_us_per_moved")))
    r.add("daily pass CPU, one day, scaled to 1,000,000 certificates (s)",
          r.fig("calendar_day_at_million_s"), "<= 1 s",
          r.cmp("calendar_day_at_million_s", "<=", 1))
    r.add("watch lag, acknowledged -> on the stream, alone: p50 / p99 (ms)",
          "%s / %s" % (r.fig("watch_lag_alone_p50_ms"), r.fig("watch_lag_alone_p99_ms")))
    r.add("watch lag p99 beside the ingestion load (ms)", r.fig("watch_lag_loaded_p99_ms"),
          "<= 100 ms", r.cmp("watch_lag_loaded_p99_ms", "<=", 100))
    r.add("webhook lag, acknowledged -> received, 1,000 watchlists: alone p50 / p99 (ms)",
          "%s / %s" % (r.fig("watch_lag_alone_webhook_p50_ms"),
                       r.fig("watch_lag_alone_webhook_p99_ms")))
    r.add("  beside the ingestion load: p50 / p99 (ms); received",
          "%s / %s; %s" % (r.fig("watch_lag_loaded_webhook_p50_ms"),
                           r.fig("watch_lag_loaded_webhook_p99_ms"),
                           r.text("watch_lag_loaded_webhook_received")))
    r.add("  p50; statements received; the load's writes/s",
          "%s; %s; %s" % (r.fig("watch_lag_loaded_p50_ms"), r.text("watch_lag_loaded_received"),
                          r.fig("watch_load_writes_s")))


def replication_rows(r):
    r.add("replicated (3 etcd + 3 replicas, one machine): import (statements/s)",
          r.fig("replicated_import_statements_per_s"))
    r.add("  single node, the same import (statements/s)", r.fig("import_statements_per_s"))
    r.add("  durable writes, one per call, on the leader (per s)", r.fig("replicated_write_ops_s"))
    r.add("  p99 (ms)", r.fig("replicated_write_p99_ms"))
    r.add("  single node, the same writes (per s; p99 ms)",
          "%s; %s" % (r.fig("write_ops_s"), r.fig("write_p99_ms")))
    r.add("  a verifying mirror catching up with the whole log (entries/s)",
          r.fig("mirror_catch_up_per_s"))
    r.add("  follower behind the leader meanwhile: p50 / p99 / max (entries)",
          "%s / %s / %s" % (r.fig("replicated_follower_lag_entries_p50"),
                            r.fig("replicated_follower_lag_entries_p99"),
                            r.fig("replicated_follower_lag_entries_max")))


def table_rows(figs):
    """Every row of the table, in the order of docs/PERFORMANCE.md."""
    r = Rows(figs)
    for section in (import_rows, write_rows, lookup_rows, stream_rows, lookup_vs_pg_rows,
                    split_rows, search_rows, verify_rows, web_rows, watch_rows,
                    resource_rows, flood_rows, replication_rows):
        section(r)
    return r.rows


def headline(figs):
    return ("certreg benchmark: N=%s, %s s per measurement, %d cores, 64 requests in flight"
            % ("{:,}".format(figs["count"]), figs["duration_s"], figs["cores"]))


def print_table(figs, rows, out):
    w = max(len(row[0]) for row in rows)
    print(file=out)
    print(headline(figs), file=out)
    print("%-*s  %14s  %-26s %s" % (w, "figure", "value", "target", "met"), file=out)
    print("-" * (w + 52), file=out)
    for label, value, target, ok in rows:
        print("%-*s  %14s  %-26s %s" % (w, label, value, target, met(ok) if target else ""),
              file=out)
    print("-" * (w + 52), file=out)
    print("PostgreSQL is measured over TCP on 127.0.0.1, like certreg; its point select joins"
          " a side table", file=out)
    print("bench_numbers(i, number) to pick a random existing number;", file=out)
    print("\"a core each\": the server (for BatchVerify the verifier) on CPU %s, its client"
          " (and the registry behind the verifier) on CPU %s; otherwise all share the cores."
          % (figs.get("server_cpu", "n/a"), figs.get("client_cpu", "n/a")), file=out)
    print("h2load sends one number on every request; RSS target applies at N = 1,000,000"
          " only.", file=out)
    errors = sum(figs.num(k) or 0 for k in ERROR_FIGURES)
    if errors:
        print("request errors during the runs: %d (see the loadgen output above)" % errors,
              file=out)


def markdown(figs, rows):
    """The rows that have a target, as a Markdown table under the headline."""
    lines = [headline(figs), "", "| figure | value | target | met |",
             "| --- | --- | --- | --- |"]
    for label, value, target, ok in rows:
        if target:
            cells = (label.strip(), str(value), target, met(ok))
            lines.append("| %s |" % " | ".join(c.replace("|", "\\|") for c in cells))
    return "\n".join(lines) + "\n"


def write_outputs(figs, rows, out_dir, out):
    os.makedirs(out_dir, exist_ok=True)
    json_path = os.path.join(out_dir, "benchmark.json")
    with open(json_path, "w") as f:
        json.dump(figs, f, indent=1, sort_keys=True)
    with open(os.path.join(out_dir, "benchmark.md"), "w", encoding="utf-8") as f:
        f.write(markdown(figs, rows))
    print("figures written to %s" % json_path, file=out)


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    figs = load_figures(argv[1])
    derive(figs)
    rows = table_rows(figs)
    print_table(figs, rows, sys.stdout)
    if len(argv) == 3 and argv[2]:
        write_outputs(figs, rows, argv[2], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
