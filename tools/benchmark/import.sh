# shellcheck shell=bash disable=SC2034,SC2154
# 1. Bulk import: `certctl generate N` then `certctl import --parallel=8`
# into a fresh registry, timed, with the CPU of both; the database's size
# right after it and after a clean stop; then the registry started again and
# left to settle, as the reads that follow want it.
#
# Sourced by tools/benchmark.sh (see lib.sh). Leaves the registry running
# and the certificates in $csv.

"$certctl_bin" keygen "$config/operator" >/dev/null
"$certctl_bin" keygen "$config/log" >/dev/null
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
import_registry_cpu=$(calc "round($(cpu_of "$registry_pid") - $registry_cpu0, 3)")
children_cpu certctl_cpu1
import_certctl_cpu=$(calc "round($certctl_cpu1 - $certctl_cpu0, 3)")
import_s=$(elapsed "$t2" "$t3")
fig import_s "$import_s"
fig bulk_import_s "$(elapsed "$t0" "$t3")"
statements=$(figures_py statements "$csv")
fig statements "$statements"
fig import_cpu_registry_us "$(per_op "$import_registry_cpu" "$statements")"
fig import_cpu_certctl_us "$(per_op "$import_certctl_cpu" "$statements")"
fig import_statements_per_s "$(calc "'%.1f' % ($statements / $import_s)")"
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
  fig settle_s "$(figures_py settle-seconds "$settle_line")"
else
  log "the registry did not settle within 6 minutes; measuring as it is"
  fig settle_s n/a
fi
