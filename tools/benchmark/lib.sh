# shellcheck shell=bash disable=SC2034,SC2154
# The benchmark's setup and helpers, sourced by tools/benchmark.sh before the
# sections (tools/benchmark/*.sh). Defines functions only; the driver calls
# install_packages, build_binaries and make_workspace in that order, which
# set the variables the sections use:
#
#   repo, bench        the repository and tools/benchmark
#   count, duration    certificates, seconds per measurement (the flags)
#   work, config       the temporary directory and XDG_CONFIG_HOME/certreg in it
#   csv                the generated certificates (section 1 writes it)
#   figures            results/figures.txt: every figure, KEY=VALUE a line
#   registry_addr, verifier_addr, pg_port
#   cores, cpu_list, server_cpu, client_cpu   (client_cpu empty: the runs "a
#                      core each" are not measured)
#   clients            requests in flight in every closed-loop run (64)
#   registry_pid, verifier_pid                the servers while they run
#   client_pin         (taskset -c CPU) while a client is kept on its own core

log() { echo "benchmark: $*" >&2; }

# ---------------------------------------------------------------- setup

# Installs what is missing: tools/install_deps.sh's packages, then h2load,
# PostgreSQL 15 with pg_trgm, openssl and procps (needs root or sudo).
install_packages() {
  bash "$repo/tools/install_deps.sh"
  local bench_packages=(nghttp2-client nginx-light curl postgresql-15 postgresql-contrib openssl procps)
  local missing=() package status
  for package in "${bench_packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing missing packages: ${missing[*]}"
    local sudo=()
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
}

# Sets registry_bin, verifier_bin, certctl_bin, loadgen_bin, web_bin,
# watch_lag_bin and mirror_bin: from
# $bin_dir when given, else built with `bazel build -c opt`.
build_binaries() {
  if [[ -z "$bin_dir" ]]; then
    bazel build -c opt //registry:certreg-registry //verifier:certreg-verifier \
      //tools:certctl //tools:certreg-loadgen //verifier/web:certreg-web \
      //tools:certreg-watch-lag //registry:certreg-mirror >&2
    bin_dir=$(bazel info -c opt bazel-bin 2>/dev/null)
    registry_bin=$bin_dir/registry/certreg-registry
    verifier_bin=$bin_dir/verifier/certreg-verifier
    certctl_bin=$bin_dir/tools/certctl
    loadgen_bin=$bin_dir/tools/certreg-loadgen
    web_bin=$bin_dir/verifier/web/certreg-web
    watch_lag_bin=$bin_dir/tools/certreg-watch-lag
    mirror_bin=$bin_dir/registry/certreg-mirror
  else
    registry_bin=$bin_dir/certreg-registry
    verifier_bin=$bin_dir/certreg-verifier
    certctl_bin=$bin_dir/certctl
    loadgen_bin=$bin_dir/certreg-loadgen
    web_bin=$bin_dir/certreg-web
    watch_lag_bin=$bin_dir/certreg-watch-lag
    mirror_bin=$bin_dir/certreg-mirror
  fi
  local b
  for b in "$registry_bin" "$verifier_bin" "$certctl_bin" "$loadgen_bin" "$web_bin" \
    "$watch_lag_bin" "$mirror_bin"; do
    [[ -x "$b" ]] || { log "missing binary $b"; exit 2; }
  done
}

# Stops every process started (also on Ctrl-C) and removes the temporary
# directories unless --keep.
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $pg_running == 1 ]]; then pg_stop >/dev/null 2>&1 || true; fi
  if [[ $keep == 1 ]]; then
    log "kept $work${pg_dir:+ and $pg_dir}"
  else
    rm -rf "$work"
    [[ -n "$pg_dir" ]] && rm -rf "$pg_dir"
  fi
  exit "$rc"
}

# The runs "a core each" (the lookups compared with PostgreSQL, and
# BatchVerify) run the server (its every thread) on the first CPU this script
# may use and the client on the second; with one CPU they are not measured.
choose_cpus() {
  cores=$(nproc)
  cpu_list=$(python3 -c "import os; print(','.join(map(str, sorted(os.sched_getaffinity(0)))))")
  server_cpu=$(cut -s -d, -f1 <<<"$cpu_list")
  client_cpu=$(cut -s -d, -f2 <<<"$cpu_list")
  if [[ -z $client_cpu ]]; then
    log "one CPU: the runs a core each are not measured"
  elif ! taskset -c "$client_cpu" true 2>/dev/null; then
    log "taskset cannot set CPU affinity here: the runs a core each are not measured"
    server_cpu="" client_cpu=""
  fi
}

# A fresh temporary directory with XDG_CONFIG_HOME in it, the addresses, the
# CPUs and the figures file (with the run's own figures).
make_workspace() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/certreg-bench.XXXXXX")
  pg_dir=""
  pids=()
  pg_running=0
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export XDG_CONFIG_HOME=$work/config
  config=$XDG_CONFIG_HOME/certreg
  mkdir -p "$config" "$work/keys" "$work/results"
  registry_addr=127.0.0.1:56101
  verifier_addr=127.0.0.1:56102
  pg_port=56103
  choose_cpus
  client_pin=()
  clients=64  # 4 channels x 16 outstanding, for every closed-loop run
  figures=$work/results/figures.txt
  : >"$figures"
  csv=$work/certificates.csv
  registry_pid=""
  verifier_pid=""
  listening=0
  log "working in $work: $count certificates, $duration s per measurement, $cores cores"
  fig count "$count"
  fig duration_s "$duration"
  fig cores "$cores"
  fig server_cpu "${server_cpu:-n/a}"
  fig client_cpu "${client_cpu:-n/a}"
}

# ---------------------------------------------------------------- helpers

# section N TITLE FILE: runs the section tools/benchmark/FILE.
section() {
  if [[ -n $sections && $1 != 1 && $sections != *",$1,"* ]]; then
    return 0
  fi
  log "$1. $2"
  # shellcheck source=/dev/null
  source "$bench/$3"
}

# fig KEY VALUE: records a figure for the report.
fig() { printf '%s=%s\n' "$1" "$2" >>"$figures"; }
# figures_py COMMAND ARGS...: tools/benchmark/figures.py.
figures_py() { python3 "$bench/figures.py" "$@"; }
# calc EXPR: a Python expression's value.
calc() { python3 -c "print($1)"; }
now() { date +%s.%N; }
# elapsed T0 T1: seconds from T0 to T1, to the millisecond.
elapsed() { calc "'%.3f' % ($2 - $1)"; }
# per_op SECONDS OPS: microseconds per operation.
per_op() { calc "'%.1f' % ($1 * 1e6 / $2)"; }
# result NAME PATH: a value of results/NAME.json (PATH: keys joined by dots).
result() { figures_py value "$work/results/$1.json" "$2"; }
certctl() { "$certctl_bin" --registry="$registry_addr" "$@"; }
# cpu_of PID: CPU seconds (user + system, all threads) the process has used.
cpu_of() { figures_py process-cpu "$1"; }
# children_cpu VAR: sets VAR to the CPU seconds of this shell's children that
# have exited (bash's `times`), so a delta around one foreground command is
# that command's CPU. Not from $(...): a subshell has children of its own.
children_cpu() {
  times >"$work/times.txt"
  printf -v "$1" '%s' "$(tail -1 "$work/times.txt" | sed 's/[ms]/ /g' |
    awk '{printf "%.3f", $1 * 60 + $2 + $3 * 60 + $4}')"
}

# ---------------------------------------------------------------- the registry

# registry_alive: exits, showing its log, if the registry has.
registry_alive() {
  kill -0 "$registry_pid" 2>/dev/null || { log "registry exited (see below)"; tail -20 "$work/registry.log" >&2; exit 1; }
}
# registry_logged PATTERN SEEN TRIES: waits until more than SEEN lines of the
# registry's log match PATTERN, looking TRIES times 0.02 s apart; fails if
# they never do.
registry_logged() {
  local _
  for _ in $(seq 1 "$3"); do
    registry_alive
    [[ $(grep -c -- "$1" "$work/registry.log" 2>/dev/null) -gt $2 ]] && return 0
    sleep 0.02
  done
  return 1
}

# Extra flags of the next start_registry (section 8 turns quotas on).
registry_args=()
start_registry() {
  "$registry_bin" --listen="$registry_addr" --data_dir="$work/data" \
    --operator_public_key="$config/operator.pub" \
    --log_private_key="$config/log.key" --backup_dir="$work/backups" \
    --metrics_listen= "${registry_args[@]}" \
    2>>"$work/registry.log" &
  registry_pid=$!
  pids+=("$registry_pid")
  # Wait for its "listening on" line (a health call before the port is open
  # can wait out its whole deadline), then for health to answer.
  registry_logged "listening on" "$listening" 6000 || true
  listening=$((listening + 1))
  local _
  for _ in $(seq 1 600); do
    registry_alive
    certctl --timeout_seconds=1 health >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  log "registry did not answer health"
  exit 1
}
stop_registry() {
  kill -TERM "$registry_pid"
  wait "$registry_pid" || true
}

# ---------------------------------------------------------------- load runs

# loadgen NAME ARGS...: one measured run, JSON in results/NAME.json, and the
# CPU each process spent per request as NAME_cpu_PROCESS_us.
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
  figures_py loadgen-cpu "$name" "$work/results/$name.json" >>"$figures"
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
  figures_py median-run "$name" "$work/results" >>"$figures"
  figures_py loadgen-cpu "$name" "$work/results/$name.json" >>"$figures"
}

# op_figures NAME OP: NAME_ops_s and NAME_p99_ms of operation OP in
# results/NAME.json.
op_figures() {
  fig "$1_ops_s" "$(result "$1" "by_op.$2.ops_per_s")"
  fig "$1_p99_ms" "$(result "$1" "by_op.$2.p99_ms")"
}
