#!/usr/bin/env bash
# Benchmarks certreg from nothing and prints one table of every figure with its
# target (docs/PERFORMANCE.md): bulk import, durable ingestion, lookup by
# number (certreg-loadgen and h2load), name search, BatchVerify against
# `openssl speed`, the same lookups on PostgreSQL 15 (btree, pg_trgm), server
# RSS, bytes on disk per certificate and time to open the database. The lookups
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
# --out=DIR    also write every figure as DIR/benchmark.json.
# --bin_dir=DIR use certreg-registry, certreg-verifier, certctl and
#              certreg-loadgen from DIR instead of building (tests use this).
#
# Installs what is missing (Debian packages: needs root like tools/run.sh),
# builds with `bazel build -c opt`, works in a fresh temporary directory with
# XDG_CONFIG_HOME inside it, listens on 127.0.0.1:56100-56199 only, and stops
# every process it started on exit (also on Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export PATH=$PATH:/usr/sbin:/sbin  # runuser, when PATH is minimal (bazel test)

count=1000000
duration=20
quick=0
keep=0
out_dir=""
bin_dir=""
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

log() { echo "benchmark: $*" >&2; }

# ---------------------------------------------------------------- install
bash tools/install_deps.sh
bench_packages=(nghttp2-client postgresql-15 postgresql-contrib openssl procps)
missing=()
for package in "${bench_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing missing packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { log "run as root (or install sudo) to install: ${missing[*]}"; exit 2; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
pg_bin=/usr/lib/postgresql/15/bin
ls /usr/share/postgresql/15/extension/pg_trgm.control >/dev/null

# ---------------------------------------------------------------- build
if [[ -z "$bin_dir" ]]; then
  bazel build -c opt //registry:certreg-registry //verifier:certreg-verifier \
    //tools:certctl //tools:certreg-loadgen >&2
  bin_dir=$(bazel info -c opt bazel-bin 2>/dev/null)
  registry_bin=$bin_dir/registry/certreg-registry
  verifier_bin=$bin_dir/verifier/certreg-verifier
  certctl_bin=$bin_dir/tools/certctl
  loadgen_bin=$bin_dir/tools/certreg-loadgen
else
  registry_bin=$bin_dir/certreg-registry
  verifier_bin=$bin_dir/certreg-verifier
  certctl_bin=$bin_dir/certctl
  loadgen_bin=$bin_dir/certreg-loadgen
fi
for b in "$registry_bin" "$verifier_bin" "$certctl_bin" "$loadgen_bin"; do
  [[ -x "$b" ]] || { log "missing binary $b"; exit 2; }
done

# ---------------------------------------------------------------- workspace
work=$(mktemp -d "${TMPDIR:-/tmp}/certreg-bench.XXXXXX")
pg_dir=""
pids=()
pg_running=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $pg_running == 1 ]]; then pg_ctl_run stop -m fast >/dev/null 2>&1 || true; fi
  if [[ $keep == 1 ]]; then
    log "kept $work${pg_dir:+ and $pg_dir}"
  else
    rm -rf "$work"
    [[ -n "$pg_dir" ]] && rm -rf "$pg_dir"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export XDG_CONFIG_HOME=$work/config
config=$XDG_CONFIG_HOME/certreg
mkdir -p "$config" "$work/keys" "$work/results"
registry_addr=127.0.0.1:56101
verifier_addr=127.0.0.1:56102
pg_port=56103
cores=$(nproc)
# The runs "a core each" (the lookups compared with PostgreSQL, and
# BatchVerify) run the server (its every thread) on the first CPU this script
# may use and the client on the second; with one CPU they are not measured.
cpu_list=$(python3 -c "import os; print(','.join(map(str, sorted(os.sched_getaffinity(0)))))")
server_cpu=$(cut -s -d, -f1 <<<"$cpu_list")
client_cpu=$(cut -s -d, -f2 <<<"$cpu_list")
if [[ -z $client_cpu ]]; then
  log "one CPU: the runs a core each are not measured"
elif ! taskset -c "$client_cpu" true 2>/dev/null; then
  log "taskset cannot set CPU affinity here: the runs a core each are not measured"
  server_cpu="" client_cpu=""
fi
client_pin=()  # (taskset -c CPU) while a client is kept on its own core
clients=64  # 4 channels x 16 outstanding, for every closed-loop run
figures=$work/results/figures.txt
: >"$figures"
fig() { printf '%s=%s\n' "$1" "$2" >>"$figures"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
# json FILE EXPR: a value from a JSON file (EXPR indexes `j`).
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }
certctl() { "$certctl_bin" --registry="$registry_addr" "$@"; }
# cpu_of PID: CPU seconds (user + system, all threads) the process has used.
cpu_of() {
  python3 -c "import os, sys
stat = open('/proc/%s/stat' % sys.argv[1]).read()
f = stat[stat.rindex(')') + 2:].split()
print('%.3f' % ((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')))" "$1"
}
# children_cpu VAR: sets VAR to the CPU seconds of this shell's children that
# have exited (bash's `times`), so a delta around one foreground command is
# that command's CPU. Not from $(...): a subshell has children of its own.
children_cpu() {
  times >"$work/times.txt"
  printf -v "$1" '%s' "$(tail -1 "$work/times.txt" | sed 's/[ms]/ /g' |
    awk '{printf "%.3f", $1 * 60 + $2 + $3 * 60 + $4}')"
}
# per_op SECONDS OPS: microseconds per operation.
per_op() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) * 1e6 / float(sys.argv[2])))" "$1" "$2"; }

# registry_alive: exits, showing its log, if the registry has.
registry_alive() {
  kill -0 "$registry_pid" 2>/dev/null || { log "registry exited (see below)"; tail -20 "$work/registry.log" >&2; exit 1; }
}
# registry_logged PATTERN SEEN TRIES: waits until more than SEEN lines of the
# registry's log match PATTERN, looking TRIES times 0.02 s apart; fails if
# they never do.
registry_logged() {
  for _ in $(seq 1 "$3"); do
    registry_alive
    [[ $(grep -c -- "$1" "$work/registry.log" 2>/dev/null) -gt $2 ]] && return 0
    sleep 0.02
  done
  return 1
}

listening=0
start_registry() {
  "$registry_bin" --listen="$registry_addr" --data_dir="$work/data" \
    --operator_public_key="$config/operator.pub" \
    --log_private_key="$config/log.key" --backup_dir="$work/backups" \
    2>>"$work/registry.log" &
  registry_pid=$!
  pids+=("$registry_pid")
  # Wait for its "listening on" line (a health call before the port is open
  # can wait out its whole deadline), then for health to answer.
  registry_logged "listening on" "$listening" 6000 || true
  listening=$((listening + 1))
  for _ in $(seq 1 600); do
    registry_alive
    certctl --timeout_seconds=1 health >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  log "registry did not answer health"; exit 1
}
stop_registry() {
  kill -TERM "$registry_pid"
  wait "$registry_pid" || true
}

# loadgen NAME ARGS...: one measured run, JSON in results/NAME.json.
loadgen() {
  local name=$1
  shift
  log "loadgen $name: $*"
  "${client_pin[@]}" "$loadgen_bin" --registry="$registry_addr" --verifier="$verifier_addr" \
    --duration_seconds="$duration" --warmup_seconds=1 --seed=1 \
    --cpu_pids="registry=$registry_pid${verifier_pid:+,verifier=$verifier_pid}" \
    --json_out="$work/results/$name.json" "$@" >"$work/results/$name.txt" 2>>"$work/loadgen.log" ||
    { log "loadgen $name failed:"; cat "$work/results/$name.txt" >&2; tail -5 "$work/loadgen.log" >&2; exit 1; }
  grep -E '^(errors|dropped|writes):' "$work/results/$name.txt" >&2 || true
  cpu_figures "$name"
}
# cpu_figures NAME: NAME_cpu_PROCESS_us, each process's CPU per request over
# the measured window of results/NAME.json.
cpu_figures() {
  python3 - "$1" "$work/results/$1.json" >>"$figures" <<'EOF'
import json, sys
name, path = sys.argv[1:3]
for process, cpu in json.load(open(path)).get("cpu", {}).items():
    value = cpu.get("us_per_request")
    print("%s_cpu_%s_us=%s" % (name, process, "n/a" if value is None else value))
EOF
}

# open_loop NAME ARGS: an open-loop run's p99 moves far more from one run to
# the next (the shared cores' phase) than its throughput does, so it is
# measured three times, each with its own seed (its own random numbers, not a
# cache the run before warmed). NAME's figures and results/NAME.json are the
# run with the median p99; NAME_p99_runs_ms lists all three, and
# NAME_dropped_runs the requests each run had due but did not send (past
# --max_outstanding in flight): they are in no latency, so a run that
# dropped any understates its p99.
open_loop() {
  local name=$1 run
  shift
  for run in 1 2 3; do loadgen "${name}_run$run" "$@" --seed="$run"; done
  python3 - "$name" "$work/results" >>"$figures" <<'EOF'
import json, os, shutil, sys
name, results = sys.argv[1:3]
runs = []
dropped = []
for run in (1, 2, 3):
    path = os.path.join(results, "%s_run%d.json" % (name, run))
    summary = json.load(open(path))
    runs.append((summary["total"]["p99_ms"], path))
    dropped.append(summary.get("dropped", 0))
p99s = [p99 for p99, _ in runs]
median_path = sorted(runs)[1][1]
shutil.copyfile(median_path, os.path.join(results, name + ".json"))
print("%s_p99_runs_ms=%s" % (name, " / ".join("%.3f" % p for p in p99s)))
print("%s_dropped_runs=%s" % (name, " / ".join("%d" % d for d in dropped)))
EOF
  cpu_figures "$name"
}

log "working in $work: $count certificates, $duration s per measurement, $cores cores"
fig count "$count"
fig duration_s "$duration"
fig cores "$cores"
fig server_cpu "${server_cpu:-n/a}"
fig client_cpu "${client_cpu:-n/a}"

# ---------------------------------------------------------------- 1. bulk import
"$certctl_bin" keygen "$config/operator" >/dev/null
"$certctl_bin" keygen "$config/log" >/dev/null
csv=$work/certificates.csv
log "generating $count certificates"
t0=$(now)
"$certctl_bin" generate "$count" --seed=1 --keys_dir="$work/keys" --out="$csv" >/dev/null 2>>"$work/certctl.log"
t1=$(now)
fig generate_s "$(elapsed "$t0" "$t1")"
start_registry
log "importing"
t2=$(now)
registry_cpu0=$(cpu_of "$registry_pid")
children_cpu certctl_cpu0
certctl import "$csv" --keys_dir="$work/keys" --accredit --parallel=8 \
  --errors="$work/import-errors.csv" >"$work/import.log" 2>&1 ||
  { log "import failed"; tail -20 "$work/import.log" >&2; exit 1; }
t3=$(now)
import_registry_cpu=$(python3 -c "print(round($(cpu_of "$registry_pid") - $registry_cpu0, 3))")
children_cpu certctl_cpu1
import_certctl_cpu=$(python3 -c "print(round($certctl_cpu1 - $certctl_cpu0, 3))")
import_s=$(elapsed "$t2" "$t3")
fig import_s "$import_s"
fig bulk_import_s "$(elapsed "$t0" "$t3")"
statements=$(python3 - "$csv" <<'EOF'
import csv, sys
csv.field_size_limit(1 << 30)
rows = events = 0
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        rows += 1
        events += sum(1 for e in (row.get("events") or "").split(";") if e.strip())
print(rows + events)
EOF
)
fig statements "$statements"
fig import_cpu_registry_us "$(per_op "$import_registry_cpu" "$statements")"
fig import_cpu_certctl_us "$(per_op "$import_certctl_cpu" "$statements")"
fig import_statements_per_s "$(python3 -c "print('%.1f' % ($statements / $import_s))")"
du_bytes=$(du -sb "$work/data" | cut -f1)
fig disk_bytes "$du_bytes"
fig disk_bytes_per_cert "$((du_bytes / count))"
# Settled: after a clean stop (memtables flushed, the WAL they held gone),
# as the database is between bursts of writes.
stop_registry
settled_bytes=$(du -sb "$work/data" | cut -f1)
fig settled_disk_bytes "$settled_bytes"
fig settled_disk_bytes_per_cert "$((settled_bytes / count))"
# The reads are measured on the database as it stays between bursts of
# writes: once writes have been quiet for --settle_seconds (30 by default),
# the registry compacts RocksDB's level 0 into level 1 and logs it.
folds=$(grep -c "settled:" "$work/registry.log" || true)
start_registry
log "waiting for the registry to settle"
if registry_logged "settled:" "$folds" 18000; then
  settle_line=$(grep "settled:" "$work/registry.log" | sed -n "$((folds + 1))p")
  log "${settle_line#certreg-registry: }"
  fig settle_s "$(python3 -c "import re, sys; m = re.search(r' in ([0-9.]+) s', sys.argv[1]); print(m.group(1) if m else 'n/a')" "$settle_line")"
else
  log "the registry did not settle within 6 minutes; measuring as it is"
  fig settle_s n/a
fi

# ---------------------------------------------------------------- 3. lookup
# The basic view (certificate, status, history: what the lookup page shows,
# and more than PostgreSQL's row) is the lookup; the full view adds every
# signed statement.
loadgen get_peak --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --concurrency=16
get_peak=$(json "$work/results/get_peak.json" "j['by_op']['get']['ops_per_s']")
fig get_peak_ops_s "$get_peak"
fig get_peak_p99_ms "$(json "$work/results/get_peak.json" "j['by_op']['get']['p99_ms']")"
loadgen get_full_peak --mix=get=100 --view=full --numbers_file="$csv" --channels=4 --concurrency=16
fig get_full_peak_ops_s "$(json "$work/results/get_full_peak.json" "j['by_op']['get']['ops_per_s']")"
fig get_full_peak_p99_ms "$(json "$work/results/get_full_peak.json" "j['by_op']['get']['p99_ms']")"
rate70=$(python3 -c "print(max(1, int($get_peak * 0.7)))")
open_loop get_open70 --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --rate="$rate70"
fig get_open70_rate "$rate70"
fig get_open70_ops_s "$(json "$work/results/get_open70.json" "j['by_op']['get']['ops_per_s']")"
fig get_open70_p50_ms "$(json "$work/results/get_open70.json" "j['by_op']['get']['p50_ms']")"
fig get_open70_p99_ms "$(json "$work/results/get_open70.json" "j['by_op']['get']['p99_ms']")"
fig get_errors "$(json "$work/results/get_peak.json" "j['total']['errors']")"
fig get_full_errors "$(json "$work/results/get_full_peak.json" "j['total']['errors']")"
# The same lookups over LookupCertificates streams (one lookup at a time on
# each of 64 streams sharing one connection), the way a client that looks
# many numbers up sends them; open loop at 70 % of this peak, on up to 64
# streams (a lookup due while all are busy waits for one).
loadgen get_stream_peak --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --lookup_stream
get_stream_peak=$(json "$work/results/get_stream_peak.json" "j['by_op']['get']['ops_per_s']")
fig get_stream_peak_ops_s "$get_stream_peak"
fig get_stream_peak_p99_ms "$(json "$work/results/get_stream_peak.json" "j['by_op']['get']['p99_ms']")"
stream_rate70=$(python3 -c "print(max(1, int($get_stream_peak * 0.7)))")
open_loop get_stream_open70 --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --rate="$stream_rate70" --lookup_stream
fig get_stream_open70_rate "$stream_rate70"
fig get_stream_open70_ops_s "$(json "$work/results/get_stream_open70.json" "j['by_op']['get']['ops_per_s']")"
fig get_stream_open70_p99_ms "$(json "$work/results/get_stream_open70.json" "j['by_op']['get']['p99_ms']")"
fig get_stream_errors "$(json "$work/results/get_stream_peak.json" "j['total']['errors']")"
# The same two closed loops with the registry (every thread of it) on one core
# and the load generator on the other, as PostgreSQL and pgbench are below:
# the servers compared without their clients taking CPU from them, as when
# the clients are other machines.
if [[ -n $client_cpu ]]; then
  taskset -a -p -c "$server_cpu" "$registry_pid" >/dev/null
  client_pin=(taskset -c "$client_cpu")
  loadgen get_split --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --concurrency=16
  loadgen get_stream_split --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --lookup_stream
  client_pin=()
  taskset -a -p -c "$cpu_list" "$registry_pid" >/dev/null
  for name in get_split get_stream_split; do
    fig "${name}_ops_s" "$(json "$work/results/$name.json" "j['by_op']['get']['ops_per_s']")"
    fig "${name}_p99_ms" "$(json "$work/results/$name.json" "j['by_op']['get']['p99_ms']")"
    fig "${name}_errors" "$(json "$work/results/$name.json" "j['total']['errors']")"
  done
fi

# h2load: one number, the same pre-encoded gRPC frame on every request.
h2_number=$(sed -n "$((count / 2 + 2))p" "$csv" | cut -d, -f1)
python3 "$repo/tools/h2load_frame.py" "$h2_number" "$work/frame.bin" basic
log "h2load GetCertificate $h2_number"
h2load -D "$duration" --warm-up-time=1 -c 4 -m 16 -t 1 \
  -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/frame.bin" \
  "http://$registry_addr/certreg.v1.RegistryService/GetCertificate" >"$work/results/h2load.txt" 2>&1 ||
  { log "h2load failed"; cat "$work/results/h2load.txt" >&2; exit 1; }
python3 - "$work/results/h2load.txt" >>"$figures" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(value, unit):
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text)
print("h2load_req_s=%s" % (m.group(1) if m else "n/a"))
m = re.search(r"time for request:\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)", text)
print("h2load_mean_ms=%s" % ("%.3f" % ms(m.group(5), m.group(6)) if m else "n/a"))
print("h2load_max_ms=%s" % ("%.3f" % ms(m.group(3), m.group(4)) if m else "n/a"))
m = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed", text)
print("h2load_failed=%s" % (m.group(2) if m else "n/a"))
EOF

# ---------------------------------------------------------------- 4. search
loadgen search --mix=search=100 --numbers_file="$csv" --channels=4 --concurrency=16
fig search_ops_s "$(json "$work/results/search.json" "j['by_op']['search']['ops_per_s']")"
fig search_p99_ms "$(json "$work/results/search.json" "j['by_op']['search']['p99_ms']")"
fig search_errors "$(json "$work/results/search.json" "j['total']['errors']")"

# ---------------------------------------------------------------- 5. BatchVerify
# start_verifier [COMMAND...]: a fresh verifier (its memo of checked
# signatures empty), run under COMMAND (e.g. taskset -c CPU) when given.
start_verifier() {
  "$@" "$verifier_bin" --listen="$verifier_addr" --registry="$registry_addr" \
    --operator_public_key="$config/operator.pub" --log_public_key="$config/log.pub" \
    --state_file="$work/verifier_checkpoint" 2>>"$work/verifier.log" &
  verifier_pid=$!
  pids+=("$verifier_pid")
  sleep 1
  kill -0 "$verifier_pid" || { log "verifier exited"; tail "$work/verifier.log" >&2; exit 1; }
}
stop_verifier() {
  kill -TERM "$verifier_pid"
  wait "$verifier_pid" || true
  verifier_pid=""
}
# batch_figures NAME: claims/s, p99 and errors of results/NAME.json.
batch_figures() {
  local batches
  batches=$(json "$work/results/$1.json" "j['by_op']['batch']['ops_per_s']")
  fig "$1_claims_s" "$(python3 -c "print('%.1f' % ($batches * 100))")"
  fig "$1_p99_ms" "$(json "$work/results/$1.json" "j['by_op']['batch']['p99_ms']")"
  fig "$1_errors" "$(json "$work/results/$1.json" "j['total']['errors']")"
}
# Four batches in flight (400 claims): with 64, a batch waits seconds behind
# the others and a 5 s run sees a wave or two of completions, not a rate.
batch_args=(--mix=batch=100 --batch_size=100 --numbers_file="$csv" --channels=2 --concurrency=2)
start_verifier
loadgen batch "${batch_args[@]}"
stop_verifier
batch_figures batch
# Once more with a fresh verifier (every thread of it) on a core of its own,
# the registry and the load generator on the other: the verifier's claims/s
# against that one core's verifications/s.
if [[ -n $client_cpu ]]; then
  start_verifier taskset -c "$server_cpu"
  taskset -a -p -c "$client_cpu" "$registry_pid" >/dev/null
  client_pin=(taskset -c "$client_cpu")
  loadgen batch_split "${batch_args[@]}"
  client_pin=()
  taskset -a -p -c "$cpu_list" "$registry_pid" >/dev/null
  stop_verifier
  batch_figures batch_split
fi
openssl_seconds=$(python3 -c "print(max(1, min(3, int(float('$duration')))))")
# One thread: the verifications of one core (the verifier's, when pinned).
openssl_pin=()
[[ -n $server_cpu ]] && openssl_pin=(taskset -c "$server_cpu")
"${openssl_pin[@]}" openssl speed -seconds "$openssl_seconds" ed25519 >"$work/results/openssl.txt" 2>/dev/null
verify_per_core=$(awk '/Ed25519/ {v=$NF} END {print v}' "$work/results/openssl.txt")
fig openssl_verify_per_core "$verify_per_core"
fig openssl_verify_cores "$(python3 -c "print('%.1f' % ($verify_per_core * $cores))")"

# ---------------------------------------------------------------- 2. ingestion
body_key=$(ls "$work/keys"/*.key | head -1)
body=$(basename "$body_key" .key)
loadgen write --mix=write=100 --write_key="$body_key" --write_body="$body" \
  --numbers_file="$csv" --channels=4 --concurrency=16
fig write_ops_s "$(json "$work/results/write.json" "j['by_op']['write']['ops_per_s']")"
fig write_p99_ms "$(json "$work/results/write.json" "j['by_op']['write']['p99_ms']")"
fig write_errors "$(json "$work/results/write.json" "j['total']['errors']")"
# The same, 32 statements per SubmitStatements call (as certctl import sends
# them), 8 calls in flight.
loadgen write_batch --mix=write=100 --write_key="$body_key" --write_body="$body" \
  --write_batch=32 --numbers_file="$csv" --channels=4 --concurrency=2
fig write_batch_statements_s "$(json "$work/results/write_batch.json" "j['by_op']['write']['ops_per_s'] * j['write_batch']")"
fig write_batch_p99_ms "$(json "$work/results/write_batch.json" "j['by_op']['write']['p99_ms']")"
fig write_batch_errors "$(json "$work/results/write_batch.json" "j['total']['errors']")"

# ---------------------------------------------------------------- 7. RSS, open
fig registry_rss_kib "$(awk '/VmHWM/ {print $2}' "/proc/$registry_pid/status")"
stop_registry
t4=$(now)
start_registry
t5=$(now)
fig open_s "$(elapsed "$t4" "$t5")"
stop_registry

# ---------------------------------------------------------------- 6. PostgreSQL
if [[ $(id -u) -eq 0 ]]; then
  pg_dir=$(mktemp -d /tmp/certreg-bench-pg.XXXXXX)
  chown postgres: "$pg_dir"
  pg_run() { runuser -u postgres -- "$@"; }
else
  pg_dir=$work/pg
  mkdir -p "$pg_dir"
  pg_run() { "$@"; }
fi
pg_ctl_run() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -w "$@"; }
log "PostgreSQL 15 in $pg_dir"
pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >"$work/pg-initdb.log" 2>&1
pg_ctl_run -l "$pg_dir/server.log" \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=$((clients + 20)) -c shared_buffers=256MB" \
  start >/dev/null
pg_running=1
psql_run() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres "$@"; }
columns=$(head -1 "$csv" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')
column_defs=$(echo "$columns" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
psql_run <<EOF
CREATE EXTENSION pg_trgm;
CREATE TABLE certificates ($column_defs);
EOF
psql_run -c "COPY certificates FROM STDIN WITH (FORMAT csv, HEADER true)" <"$csv"
psql_run <<'EOF'
ALTER TABLE certificates ADD PRIMARY KEY (number);
CREATE INDEX certificates_holder_trgm ON certificates USING gin (holder_name gin_trgm_ops);
-- pgbench cannot derive a number from a row index (it depends on random
-- choices of the generator), so a side table maps i -> number.
CREATE TABLE bench_numbers AS
  SELECT (row_number() OVER () - 1)::int AS i, number FROM certificates;
ALTER TABLE bench_numbers ADD PRIMARY KEY (i);
ANALYZE;
EOF
rows=$(psql_run -tA -c "SELECT count(*) FROM certificates")
fig pg_rows "$rows"
fig pg_bytes_per_cert "$(( $(psql_run -tA -c "SELECT pg_database_size(current_database())") / rows ))"
cat >"$work/pg_get.sql" <<EOF
\set i random(0, $((rows - 1)))
SELECT c.* FROM bench_numbers n JOIN certificates c ON c.number = n.number WHERE n.i = :i;
EOF
# The loadgen's built-in queries, one script file each, equally weighted.
search_args=()
qi=0
for q in 青岛 海岳 电器 科技有限 环保 物业 软件 机械制造 杭州 深圳 上海 北京 广州 苏州 \
  成都 武汉 南京 天津 重庆 西安 华信 中衡 云帆 绿源 金城 长江 智联 建设 工程 服务 \
  物流 食品 医疗 信息技术 电子 化工 汽车 能源 新材料 设备 检测 咨询 股份 集团 有限公司 \
  贸易 制药 纺织 建材; do
  printf "SELECT * FROM certificates WHERE holder_name LIKE '%%%s%%' LIMIT 20;\n" "$q" >"$work/pg_search_$qi.sql"
  search_args+=(-f "$work/pg_search_$qi.sql@1")
  qi=$((qi + 1))
done
# pg_cpu: "SECONDS BACKENDS": the CPU of PostgreSQL's postmaster, its live
# children and the children it has reaped (each connection's backend exits
# with its client), and how many children are alive.
pg_cpu() {
  python3 - "$(head -1 "$pg_dir/data/postmaster.pid")" <<'EOF'
import os, sys
postmaster = sys.argv[1]
def fields(pid):
    stat = open("/proc/%s/stat" % pid).read()
    return stat[stat.rindex(")") + 2:].split()
f = fields(postmaster)
ticks = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
alive = 0
for pid in os.listdir("/proc"):
    if not pid.isdigit() or pid == postmaster:
        continue
    try:
        c = fields(pid)
    except (OSError, ValueError):
        continue
    if c[1] == postmaster:
        ticks += int(c[11]) + int(c[12])
        alive += 1
print("%.3f %d" % (ticks / os.sysconf("SC_CLK_TCK"), alive))
EOF
}
# pgbench_run NAME HOST ARGS...: HOST 127.0.0.1 (TCP, as certreg is measured)
# or the socket directory. Also counts PostgreSQL's and pgbench's CPU.
pgbench_run() {
  local name=$1 host=$2
  shift 2
  log "pgbench $name"
  local pg0 pg1 pgbench0 pgbench1
  pg0=$(pg_cpu)
  children_cpu pgbench0
  "${client_pin[@]}" pgbench -n -h "$host" -p "$pg_port" -U postgres -M prepared -c "$clients" -j 2 \
    -T "$(python3 -c "print(max(1, round(float('$duration'))))")" \
    --log --log-prefix="$work/results/pglog_$name" "$@" postgres >"$work/results/pgbench_$name.txt" 2>&1 ||
    { log "pgbench $name failed"; tail "$work/results/pgbench_$name.txt" >&2; exit 1; }
  children_cpu pgbench1
  fig "pgbench_${name}_cpu_s" "$(python3 -c "print(round($pgbench1 - $pgbench0, 3))")"
  # The backends exit after their clients: wait until they have been reaped.
  for _ in $(seq 1 250); do
    pg1=$(pg_cpu)
    [[ ${pg1#* } -le ${pg0#* } ]] && break
    sleep 0.02
  done
  fig "pg_${name}_cpu_s" "$(python3 -c "print(round(${pg1% *} - ${pg0% *}, 3))")"
  python3 - "$name" "$work/results/pgbench_$name.txt" "$work/results/pglog_$name" >>"$figures" <<'EOF'
import glob, re, sys
name, summary, prefix = sys.argv[1:4]
text = open(summary).read()
m = re.search(r"tps = ([\d.]+)", text)
print("pg_%s_tps=%s" % (name, m.group(1) if m else "n/a"))
m = re.search(r"number of transactions actually processed: (\d+)", text)
print("pg_%s_transactions=%s" % (name, m.group(1) if m else "n/a"))
m = re.search(r"latency average = ([\d.]+) ms", text)
print("pg_%s_mean_ms=%s" % (name, m.group(1) if m else "n/a"))
lat = []
for path in glob.glob(prefix + ".*"):
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                lat.append(int(parts[2]))
lat.sort()
print("pg_%s_p99_ms=%s" % (name, "%.3f" % (lat[min(len(lat) - 1, int(len(lat) * 0.99))] / 1000) if lat else "n/a"))
EOF
}
pgbench_run get 127.0.0.1 -f "$work/pg_get.sql"
pgbench_run search 127.0.0.1 "${search_args[@]}"
pgbench_run get_unix "$pg_dir" -f "$work/pg_get.sql"
# pg_pin CPUS: the postmaster and its children on CPUS (the backends it forks
# for new connections inherit it).
pg_pin() {
  local postmaster child
  postmaster=$(head -1 "$pg_dir/data/postmaster.pid")
  taskset -p -c "$1" "$postmaster" >/dev/null
  for child in $(pgrep -P "$postmaster"); do
    taskset -p -c "$1" "$child" >/dev/null 2>&1 || true
  done
}
if [[ -n $client_cpu ]]; then
  pg_pin "$server_cpu"
  client_pin=(taskset -c "$client_cpu")
  pgbench_run get_split 127.0.0.1 -f "$work/pg_get.sql"
  client_pin=()
  pg_pin "$cpu_list"
fi
pg_ctl_run stop -m fast >/dev/null
pg_running=0

# ---------------------------------------------------------------- report
python3 - "$figures" "$out_dir" <<'EOF'
import json, os, sys
figs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    key, _, value = line.rstrip("\n").partition("=")
    try:
        figs[key] = float(value) if "." in value or "e" in value else int(value)
    except ValueError:
        figs[key] = value
def num(key):
    v = figs.get(key)
    return v if isinstance(v, (int, float)) else None
def ratio(a, b):
    a, b = num(a), num(b)
    return round(a / b, 3) if a is not None and b else None
figs["lookup_vs_pg"] = ratio("get_peak_ops_s", "pg_get_tps")
figs["lookup_full_vs_pg"] = ratio("get_full_peak_ops_s", "pg_get_tps")
figs["lookup_stream_vs_pg"] = ratio("get_stream_peak_ops_s", "pg_get_tps")
figs["search_vs_pg"] = ratio("search_ops_s", "pg_search_tps")
figs["lookup_split_vs_pg"] = ratio("get_split_ops_s", "pg_get_split_tps")
figs["lookup_stream_split_vs_pg"] = ratio("get_stream_split_ops_s", "pg_get_split_tps")
figs["batch_vs_openssl"] = ratio("batch_claims_s", "openssl_verify_cores")
figs["batch_split_vs_openssl"] = ratio("batch_split_claims_s", "openssl_verify_per_core")
for name in ("get", "search", "get_unix", "get_split"):
    for side, key in (("server", "pg_%s_cpu_s"), ("client", "pgbench_%s_cpu_s")):
        cpu, tx = num(key % name), num("pg_%s_transactions" % name)
        figs["pg_%s_cpu_%s_us" % (name, side)] = round(cpu * 1e6 / tx, 1) if cpu is not None and tx else None
# Server CPU per request, PostgreSQL's over certreg's: how the servers
# compare with the clients' share taken out (both share the same 2 cores).
figs["lookup_server_cpu_pg_vs_certreg"] = ratio("pg_get_cpu_server_us", "get_peak_cpu_registry_us")
figs["search_server_cpu_pg_vs_certreg"] = ratio("pg_search_cpu_server_us", "search_cpu_registry_us")
n = figs["count"]
scale = 1000000 / n
figs["bulk_import_s_per_million"] = round(figs["bulk_import_s"] * scale, 1)

def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        s = "{:,.3f}".format(v) if abs(v) < 10 else "{:,.1f}".format(v) if abs(v) < 1000 else "{:,.0f}".format(v)
    else:
        s = "{:,}".format(v)
    return s + unit

def percent(v):
    return "n/a" if v is None else "%.1f%%" % (v * 100)

def cpu(*keys, per=1):
    """CPU per operation of each process, in us: "a / b / c"."""
    values = [num(k) for k in keys]
    return " / ".join("n/a" if v is None else "%.0f" % (v / per) for v in values)

def met(ok):
    return "n/a" if ok is None else ("met" if ok else "MISSED")

def cmp(key, op, target):
    v = num(key) if key in figs else None
    if v is None:
        return None
    return v >= target if op == ">=" else v <= target

rows = [
    # label, value, target text, met?
    ("certificates (N)", fmt(n), "", None),
    ("generate N (s)", fmt(figs.get("generate_s")), "", None),
    ("import N, --parallel=8 (s)", fmt(figs.get("import_s")), "", None),
    ("bulk import N, generate + import (s)", fmt(figs.get("bulk_import_s")),
     "<= 300 s per 1,000,000", cmp("bulk_import_s_per_million", "<=", 300)),
    ("bulk import scaled to 1,000,000 (s)", fmt(figs.get("bulk_import_s_per_million")), "<= 300", cmp("bulk_import_s_per_million", "<=", 300)),
    ("statements stored by import", fmt(figs.get("statements")), "", None),
    ("  CPU per statement: registry / certctl (us)", cpu("import_cpu_registry_us", "import_cpu_certctl_us"), "", None),
    ("durable ingestion during import (statements/s)", fmt(figs.get("import_statements_per_s")), "", None),
    ("durable ingestion, pre-signed, one per call, 64 in flight (statements/s)", fmt(figs.get("write_ops_s")), ">= 5,000", cmp("write_ops_s", ">=", 5000)),
    ("  write p99 (ms)", fmt(figs.get("write_p99_ms")), "", None),
    ("  CPU per statement, one per call: registry / loadgen (us)", cpu("write_cpu_registry_us", "write_cpu_loadgen_us"), "", None),
    ("durable ingestion, pre-signed, 32 per SubmitStatements, 8 calls in flight (statements/s)", fmt(figs.get("write_batch_statements_s")), ">= 5,000", cmp("write_batch_statements_s", ">=", 5000)),
    ("  p99 of a call of 32 (ms)", fmt(figs.get("write_batch_p99_ms")), "", None),
    ("  CPU per statement in calls of 32: registry / loadgen (us)", cpu("write_batch_cpu_registry_us", "write_batch_cpu_loadgen_us", per=32), "", None),
    ("lookup by number, basic view, closed loop 4x16 (ops/s)", fmt(figs.get("get_peak_ops_s")), "", None),
    ("  closed-loop p99 (ms)", fmt(figs.get("get_peak_p99_ms")), "", None),
    ("  CPU per lookup: registry / loadgen (us)", cpu("get_peak_cpu_registry_us", "get_peak_cpu_loadgen_us"), "", None),
    ("lookup, full view (+ signed statements) (ops/s)", fmt(figs.get("get_full_peak_ops_s")), "", None),
    ("  closed-loop p99 (ms)", fmt(figs.get("get_full_peak_p99_ms")), "", None),
    ("lookup open loop at 70% of peak (req/s)", fmt(figs.get("get_open70_rate")), "", None),
    ("lookup p99 at 70% of peak (ms)", fmt(figs.get("get_open70_p99_ms")), "<= 2 ms", cmp("get_open70_p99_ms", "<=", 2)),
    ("  p99 of each of the 3 open-loop runs (ms)", figs.get("get_open70_p99_runs_ms", "n/a"), "", None),
    ("  requests due but not sent in each run (dropped)", figs.get("get_open70_dropped_runs", "n/a"), "", None),
    ("  CPU per lookup at 70%: registry / loadgen (us)", cpu("get_open70_cpu_registry_us", "get_open70_cpu_loadgen_us"), "", None),
    ("lookup over LookupCertificates streams, basic view, 1x64 (ops/s)", fmt(figs.get("get_stream_peak_ops_s")), "", None),
    ("  closed-loop p99 (ms)", fmt(figs.get("get_stream_peak_p99_ms")), "", None),
    ("  CPU per streamed lookup: registry / loadgen (us)", cpu("get_stream_peak_cpu_registry_us", "get_stream_peak_cpu_loadgen_us"), "", None),
    ("streamed lookup open loop at 70% of its peak (req/s)", fmt(figs.get("get_stream_open70_rate")), "", None),
    ("streamed lookup p99 at 70% of its peak (ms)", fmt(figs.get("get_stream_open70_p99_ms")), "<= 2 ms", cmp("get_stream_open70_p99_ms", "<=", 2)),
    ("  p99 of each of the 3 streamed open-loop runs (ms)", figs.get("get_stream_open70_p99_runs_ms", "n/a"), "", None),
    ("  streamed lookups due but not sent in each run (dropped)", figs.get("get_stream_open70_dropped_runs", "n/a"), "", None),
    ("  CPU per streamed lookup at 70%: registry / loadgen (us)", cpu("get_stream_open70_cpu_registry_us", "get_stream_open70_cpu_loadgen_us"), "", None),
    ("h2load GetCertificate basic, one number, 4x16 (req/s)", fmt(figs.get("h2load_req_s")), "", None),
    ("  h2load mean latency (ms)", fmt(figs.get("h2load_mean_ms")), "", None),
    ("PostgreSQL point select, 64 clients (tps)", fmt(figs.get("pg_get_tps")), "", None),
    ("  PostgreSQL point select mean / p99 (ms)", fmt(figs.get("pg_get_mean_ms")) + " / " + fmt(figs.get("pg_get_p99_ms")), "", None),
    ("  CPU per select: PostgreSQL / pgbench (us)", cpu("pg_get_cpu_server_us", "pg_get_cpu_client_us"), "", None),
    ("  the same over its unix socket (tps)", fmt(figs.get("pg_get_unix_tps")), "", None),
    ("lookup certreg / PostgreSQL", fmt(figs["lookup_vs_pg"], "x"), ">= 1.5x", cmp("lookup_vs_pg", ">=", 1.5)),
    ("  full view / PostgreSQL", fmt(figs["lookup_full_vs_pg"], "x"), "", None),
    ("  server CPU per lookup, PostgreSQL / certreg", fmt(figs["lookup_server_cpu_pg_vs_certreg"], "x"), "", None),
    ("streamed lookup certreg / PostgreSQL", fmt(figs["lookup_stream_vs_pg"], "x"), ">= 1.5x", cmp("lookup_stream_vs_pg", ">=", 1.5)),
    ("a core each for server and client: lookups/s, 4x16", fmt(figs.get("get_split_ops_s")), "", None),
    ("  streamed lookups/s, 1x64", fmt(figs.get("get_stream_split_ops_s")), "", None),
    ("  PostgreSQL point selects/s, 64 clients (tps)", fmt(figs.get("pg_get_split_tps")), "", None),
    ("  server CPU per lookup / streamed lookup / select (us)", cpu("get_split_cpu_registry_us", "get_stream_split_cpu_registry_us", "pg_get_split_cpu_server_us"), "", None),
    ("  client CPU per lookup / streamed lookup / select (us)", cpu("get_split_cpu_loadgen_us", "get_stream_split_cpu_loadgen_us", "pg_get_split_cpu_client_us"), "", None),
    ("lookup certreg / PostgreSQL, a core each", fmt(figs["lookup_split_vs_pg"], "x"), ">= 1.5x", cmp("lookup_split_vs_pg", ">=", 1.5)),
    ("streamed lookup certreg / PostgreSQL, a core each", fmt(figs["lookup_stream_split_vs_pg"], "x"), ">= 1.5x", cmp("lookup_stream_split_vs_pg", ">=", 1.5)),
    ("name search, closed loop 4x16 (ops/s)", fmt(figs.get("search_ops_s")), "", None),
    ("name search p99 (ms)", fmt(figs.get("search_p99_ms")), "<= 10 ms", cmp("search_p99_ms", "<=", 10)),
    ("  CPU per search: registry / loadgen (us)", cpu("search_cpu_registry_us", "search_cpu_loadgen_us"), "", None),
    ("PostgreSQL pg_trgm search, 64 clients (tps)", fmt(figs.get("pg_search_tps")), "", None),
    ("  PostgreSQL search mean / p99 (ms)", fmt(figs.get("pg_search_mean_ms")) + " / " + fmt(figs.get("pg_search_p99_ms")), "", None),
    ("  CPU per search: PostgreSQL / pgbench (us)", cpu("pg_search_cpu_server_us", "pg_search_cpu_client_us"), "", None),
    ("search certreg / PostgreSQL", fmt(figs["search_vs_pg"], "x"), ">= 3x", cmp("search_vs_pg", ">=", 3)),
    ("  server CPU per search, PostgreSQL / certreg", fmt(figs["search_server_cpu_pg_vs_certreg"], "x"), "", None),
    ("BatchVerify, batches of 100, 4 in flight (claims/s)", fmt(figs.get("batch_claims_s")), "", None),
    ("  CPU per claim: verifier / registry / loadgen (us)", cpu("batch_cpu_verifier_us", "batch_cpu_registry_us", "batch_cpu_loadgen_us", per=100), "", None),
    ("openssl ed25519 verify/s per core", fmt(figs.get("openssl_verify_per_core")), "", None),
    ("openssl ed25519 verify/s x cores used (%d)" % figs["cores"], fmt(figs.get("openssl_verify_cores")), "", None),
    ("BatchVerify claims/s / openssl verify/s", percent(figs["batch_vs_openssl"]), ">= 70%", cmp("batch_vs_openssl", ">=", 0.7)),
    ("BatchVerify, the verifier on a core of its own (claims/s)", fmt(figs.get("batch_split_claims_s")), "", None),
    ("  CPU per claim, a core each: verifier / registry / loadgen (us)", cpu("batch_split_cpu_verifier_us", "batch_split_cpu_registry_us", "batch_split_cpu_loadgen_us", per=100), "", None),
    ("BatchVerify on its own core / that core's openssl verify/s", percent(figs["batch_split_vs_openssl"]), ">= 70%", cmp("batch_split_vs_openssl", ">=", 0.7)),
    ("server peak RSS, VmHWM (MiB)", fmt(round(figs["registry_rss_kib"] / 1024, 1) if num("registry_rss_kib") else None),
     "<= 1,024 MiB at 1,000,000", None if num("registry_rss_kib") is None else (figs["registry_rss_kib"] <= 1048576 if n >= 1000000 else None)),
    ("database on disk right after import, with WAL (bytes)", fmt(figs.get("disk_bytes")), "", None),
    ("  per certificate (bytes)", fmt(figs.get("disk_bytes_per_cert")), "", None),
    ("database on disk after a clean stop (bytes)", fmt(figs.get("settled_disk_bytes")), "", None),
    ("disk per certificate (bytes)", fmt(figs.get("settled_disk_bytes_per_cert")), "<= 2,048", cmp("settled_disk_bytes_per_cert", "<=", 2048)),
    ("PostgreSQL database per certificate (bytes)", fmt(figs.get("pg_bytes_per_cert")), "", None),
    ("time to open the database (s)", fmt(figs.get("open_s")), "", None),
    ("level 0 compacted once writes were quiet, after the import (s)", fmt(figs.get("settle_s")), "", None),
]
errors = sum(num(k) or 0 for k in ("get_errors", "get_full_errors", "get_stream_errors", "get_split_errors", "get_stream_split_errors", "search_errors", "batch_errors", "batch_split_errors", "write_errors", "write_batch_errors"))
w = max(len(r[0]) for r in rows)
print()
print("certreg benchmark: N=%s, %s s per measurement, %d cores, 64 requests in flight"
      % ("{:,}".format(n), figs["duration_s"], figs["cores"]))
print("%-*s  %14s  %-26s %s" % (w, "figure", "value", "target", "met"))
print("-" * (w + 52))
for label, value, target, ok in rows:
    print("%-*s  %14s  %-26s %s" % (w, label, value, target, met(ok) if target else ""))
print("-" * (w + 52))
print("PostgreSQL is measured over TCP on 127.0.0.1, like certreg; its point select joins a side table")
print("bench_numbers(i, number) to pick a random existing number;")
print("\"a core each\": the server (for BatchVerify the verifier) on CPU %s, its client (and the registry"
      " behind the verifier) on CPU %s; otherwise all share the cores."
      % (figs.get("server_cpu", "n/a"), figs.get("client_cpu", "n/a")))
print("h2load sends one number on every request; RSS target applies at N = 1,000,000 only.")
if errors:
    print("request errors during the runs: %d (see the loadgen output above)" % errors)
if sys.argv[2]:
    os.makedirs(sys.argv[2], exist_ok=True)
    with open(os.path.join(sys.argv[2], "benchmark.json"), "w") as f:
        json.dump(figs, f, indent=1, sort_keys=True)
    print("figures written to %s" % os.path.join(sys.argv[2], "benchmark.json"))
EOF
