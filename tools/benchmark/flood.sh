# shellcheck shell=bash disable=SC2034,SC2154
# 8. Writers under a read flood: a writer signing 100 statements a second
# (open loop, three runs, the median p99 counts) alone, then beside a
# closed-loop lookup flood (4 connections x 16 in flight), first unmetered,
# then metered: the flood sends an API key whose quota is 500 lookups a
# second (--api_keys_file); the writer, on this machine without a key, is not
# metered. The goal: the writer's p99 beside the metered flood within 2x of
# alone.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry stopped;
# leaves it stopped.

body_keys=("$work/keys"/*.key)
body_key=${body_keys[0]}
body=$(basename "$body_key" .key)
flood_key=benchmark-flood-key
printf 'flood %s 500 0 0 0 0\n' "$(printf '%s' "$flood_key" | sha256sum | cut -d' ' -f1)" \
  >"$work/api_keys"

# writer NAME: the writer's three open-loop runs.
writer() {
  open_loop "$1" --mix=write=100 --rate=100 --write_key="$body_key" \
    --write_body="$body" --numbers_file="$csv" --channels=1 --concurrency=1 \
    --max_outstanding=64
}
# flood NAME: lookups as fast as they go for as long as the writer's runs.
flood() {
  "${client_pin[@]}" "$loadgen_bin" --registry="$registry_addr" \
    --duration_seconds="$(calc "3 * ($duration + 3) + 1")" --warmup_seconds=0 \
    --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --concurrency=16 \
    --rpc_timeout_seconds=5 --api_key="$flood_key" --json_out="$work/results/$1.json" \
    >"$work/results/$1.txt" 2>>"$work/loadgen.log" &
  flood_pid=$!
  sleep 0.5
}

registry_args=(--api_keys_file="$work/api_keys")
start_registry
writer write_alone
flood flood_metered
writer write_metered
wait "$flood_pid" || true
stop_registry

# Unmetered: the same flood with quotas off for it (its key unlimited).
printf 'flood %s 0 0 0 0 0\n' "$(printf '%s' "$flood_key" | sha256sum | cut -d' ' -f1)" \
  >"$work/api_keys"
start_registry
flood flood_unmetered
writer write_flooded
wait "$flood_pid" || true
stop_registry
registry_args=()

for name in write_alone write_flooded write_metered; do
  fig "${name}_p99_ms" "$(result "$name" total.p99_ms)"
done
fig flood_unmetered_ops_s "$(result flood_unmetered by_op.get.ops_per_s)"
fig flood_metered_ops_s "$(result flood_metered by_op.get.ops_per_s)"
