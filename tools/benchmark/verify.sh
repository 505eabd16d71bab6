# shellcheck shell=bash disable=SC2034,SC2154
# 4. BatchVerify: a fresh verifier checking batches of 100 claims against the
# registry, its claims/s against `openssl speed ed25519` verifications/s on
# the cores used; then once more with the verifier on a core of its own,
# against that one core's.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running.

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
  batches=$(result "$1" by_op.batch.ops_per_s)
  fig "$1_claims_s" "$(calc "'%.1f' % ($batches * 100)")"
  fig "$1_p99_ms" "$(result "$1" by_op.batch.p99_ms)"
  fig "$1_errors" "$(result "$1" total.errors)"
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

# One thread: the verifications of one core (the verifier's, when pinned).
openssl_seconds=$(calc "max(1, min(3, int(float('$duration'))))")
openssl_pin=()
[[ -n $server_cpu ]] && openssl_pin=(taskset -c "$server_cpu")
"${openssl_pin[@]}" openssl speed -seconds "$openssl_seconds" ed25519 >"$work/results/openssl.txt" 2>/dev/null
verify_per_core=$(awk '/Ed25519/ {v=$NF} END {print v}' "$work/results/openssl.txt")
fig openssl_verify_per_core "$verify_per_core"
fig openssl_verify_cores "$(calc "'%.1f' % ($verify_per_core * $cores)")"
