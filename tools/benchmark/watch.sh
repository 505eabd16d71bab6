# shellcheck shell=bash disable=SC2034,SC2154
# 10. Watching: the lag of a watcher, and the status calendar's daily pass.
# The pass: the registry restarted with its clock a year ahead passes 365
# days at once, every certificate's changes of the year; a day's share of
# it, scaled to 1,000,000 certificates, is the figure (a day's pass reads
# only that day's changes, so it grows with the registry, not with time). The lag: from a
# statement's acknowledgement to its arrival on a WatchCertificates stream
# (certreg-watch-lag, 100 statements/s), alone and beside the durable
# ingestion load of section 5 (loadgen, 64 writes in flight); and to a
# webhook receiver on loopback, with 1,000 watchlists of 100 certificates
# each registered beside it.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running.

stop_registry
# The lags with a watchlist API key, and 1,000 watchlists of 100
# certificates each (100,000 watched) as the dispatcher's load.
watch_api_key=benchmark-watch-key
printf 'watcher %s 0 0 0 0 0\n' "$(printf '%s' "$watch_api_key" | sha256sum | cut -d' ' -f1)" \
  >"$work/watch_api_keys"
registry_args=(--api_keys_file="$work/watch_api_keys" --max_watchlists_per_key=2000)
start_registry

watch_keys=("$work/keys"/*.key)
watch_key=${watch_keys[0]}
watch_body=$(basename "$watch_key" .key)
watch_lag() {
  "$watch_lag_bin" --registry="$registry_addr" --write_key="$watch_key" \
    --write_body="$watch_body" --numbers_file="$csv" --rate=100 \
    --duration="$duration" --api_key="$watch_api_key" --watchlists=1000 \
    >"$work/results/$1.json" 2>>"$work/watch.log" ||
    { log "certreg-watch-lag failed"; tail -5 "$work/watch.log" >&2; exit 1; }
  fig "$1_p50_ms" "$(result "$1" lag_p50_ms)"
  fig "$1_p99_ms" "$(result "$1" lag_p99_ms)"
  fig "$1_received" "$(result "$1" received) / $(result "$1" statements)"
  fig "$1_webhook_p50_ms" "$(result "$1" webhook_lag_p50_ms)"
  fig "$1_webhook_p99_ms" "$(result "$1" webhook_lag_p99_ms)"
  fig "$1_webhook_received" "$(result "$1" webhook_received) / $(result "$1" statements)"
}
log "certreg-watch-lag, alone"
watch_lag watch_lag_alone
log "certreg-watch-lag beside loadgen's writes"
# The load writes as another body (the first again when there is one only):
# the watcher hears of its own statements, every watchlist's filter is
# matched against all of them.
load_key=${watch_keys[1]:-$watch_key}
load_body=$(basename "$load_key" .key)
watch_lag watch_lag_loaded &
lag_pid=$!
loadgen watch_load --mix=write=100 --write_key="$load_key" --write_body="$load_body" \
  --numbers_file="$csv" --channels=4 --concurrency=16
wait "$lag_pid"
fig watch_load_writes_s "$(result watch_load by_op.write.ops_per_s)"

# The pass, last: the clock moved a year ahead leaves the calendar passed
# into the future, which the watches above must not see.
stop_registry
passes_before=$(grep -c "day(s) passed" "$work/registry.log" 2>/dev/null || true)
registry_args=(--test_clock_offset_days=365)
start_registry
registry_logged "day(s) passed" "${passes_before:-0}" 30000 ||
  { log "the status calendar did not pass"; exit 1; }
pass_line=$(grep "day(s) passed" "$work/registry.log" | tail -1)
log "$pass_line"
pass_moved=$(sed -E 's/.* ([0-9]+) certificates.*/\1/' <<<"$pass_line")
pass_cpu_ms=$(sed -E 's/.* ([0-9]+) ms of CPU.*/\1/' <<<"$pass_line")
fig calendar_year_moved "$pass_moved"
fig calendar_year_cpu_ms "$pass_cpu_ms"
fig calendar_us_per_moved "$(calc "'%.1f' % ($pass_cpu_ms * 1000.0 / max(1, $pass_moved))")"
# One day's pass (a year's work over 365) for a registry of 1,000,000.
fig calendar_day_at_million_s "$(calc "'%.3f' % ($pass_cpu_ms / 1000.0 / 365 * 1e6 / $count)")"
stop_registry
registry_args=()
start_registry
