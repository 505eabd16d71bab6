#!/usr/bin/env bash
# Benchmarks certreg from nothing and prints one table of every figure with its
# target (docs/PERFORMANCE.md): bulk import, durable ingestion, lookup by
# number (certreg-loadgen and h2load), name search, BatchVerify against
# `openssl speed`, the web front-end's page and JSON lookup (h2load --h1, with
# nginx serving a static file as the ceiling), watching (the status
# calendar's pass, a watcher's lag), the same lookups on PostgreSQL
# 15 (btree, pg_trgm), server RSS, bytes on disk per certificate and time to
# open the database. The lookups
# are compared with PostgreSQL twice: with every server and client sharing the
# machine's cores, and with the server on one core and its client on another.
#
#   bash tools/benchmark.sh [--quick] [--count=N] [--duration=S] [--keep]
#                           [--out=DIR] [--bin_dir=DIR]
#
# --quick      50,000 certificates and 5 s per measurement (default 1,000,000
#              and 20 s).
# --count=N    certificates to generate and import.
# --duration=S seconds measured per load run (after a 1 s warmup).
# --keep       keep the temporary directory (printed at the end).
# --out=DIR    also write every figure as DIR/benchmark.json, and the figures
#              with a target as a Markdown table, DIR/benchmark.md.
# --sections=N,M only these sections (1, the import, always runs): e.g.
#              --sections=5,11 for the writes, single node and replicated.
# --bin_dir=DIR use certreg-registry, certreg-verifier, certctl,
#              certreg-loadgen, certreg-web, certreg-watch-lag and
#              certreg-mirror from DIR
#              instead of building (tests use this).
#
# Installs what is missing (Debian packages: needs root like tools/run.sh),
# builds with `bazel build -c opt`, works in a fresh temporary directory with
# XDG_CONFIG_HOME inside it, listens on 127.0.0.1:56100-56199 only, and stops
# every process it started on exit (also on Ctrl-C).
#
# The measurements are tools/benchmark/*.sh, sections numbered in the order
# they run on one registry; tools/benchmark/report.py turns their figures
# into the report.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bench=$repo/tools/benchmark
export PATH=$PATH:/usr/sbin:/sbin  # runuser, when PATH is minimal (bazel test)

count=1000000
duration=20
quick=0
keep=0
out_dir=""
bin_dir=""
sections=""
count_set=0
duration_set=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --count=*) count=${arg#--count=}; count_set=1 ;;
    --duration=*) duration=${arg#--duration=}; duration_set=1 ;;
    --keep) keep=1 ;;
    --out=*) out_dir=${arg#--out=} ;;
    --bin_dir=*) bin_dir=${arg#--bin_dir=} ;;
    --sections=*) sections=,${arg#--sections=}, ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "benchmark: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $quick == 1 ]]; then
  [[ $count_set == 1 ]] || count=50000
  [[ $duration_set == 1 ]] || duration=5
fi
[[ "$count" =~ ^[0-9]+$ && "$count" -ge 100 ]] || { echo "benchmark: --count must be >= 100" >&2; exit 2; }
[[ "$duration" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "benchmark: --duration must be a number of seconds" >&2; exit 2; }

# shellcheck source=tools/benchmark/lib.sh
source "$bench/lib.sh"
install_packages
build_binaries
make_workspace

# The reads (2-4) are measured on the database as the import left it, once
# it has settled; the writes (5) follow, as they grow it; the registry's
# resources (6) once every load has run; PostgreSQL (7) on its own; the
# replicated mode (11) on a cluster of its own, last.
section 1 "bulk import" import.sh
section 2 "lookup by number" lookups.sh
section 3 "name search" search.sh
section 4 BatchVerify verify.sh
section 9 "web front-end" web.sh
section 10 watching watch.sh
section 5 "durable ingestion" writes.sh
section 6 "RSS and time to open" resources.sh
section 8 "writers under a read flood" flood.sh
section 7 PostgreSQL postgres.sh
section 11 "replicated mode" replication.sh

python3 "$bench/report.py" "$figures" "$out_dir"
