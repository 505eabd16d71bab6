# shellcheck shell=bash disable=SC2034,SC2154
# 11. Replicated mode: three etcd members and three registry replicas on this
# machine (every fsync of all six on one disk, every process on the same
# cores: a floor, not what separate machines give), the same certificates
# imported and the same durable writes as sections 1 and 5, whose
# single-node figures stand beside these in the report; how far the
# followers run behind the leader while it takes those writes; and how fast
# a verifying mirror catches up with the whole log.
#
# Sourced by tools/benchmark.sh (see lib.sh), after section 1 (the
# certificates, the keys). Stops what it started.

cluster_dir=$work/cluster
mkdir -p "$cluster_dir"
etcd_peers="" etcd_endpoints="" replica_addresses=""
for i in 0 1 2; do
  etcd_peers+="${etcd_peers:+,}e$i=http://127.0.0.1:$((56153 + i))"
  etcd_endpoints+="${etcd_endpoints:+,}127.0.0.1:$((56150 + i))"
  replica_addresses+="${replica_addresses:+,}127.0.0.1:$((56156 + i))"
done
cluster_pids=()
for i in 0 1 2; do
  etcd --name "e$i" --data-dir "$cluster_dir/etcd$i" \
    --listen-client-urls "http://127.0.0.1:$((56150 + i))" \
    --advertise-client-urls "http://127.0.0.1:$((56150 + i))" \
    --listen-peer-urls "http://127.0.0.1:$((56153 + i))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((56153 + i))" \
    --initial-cluster "$etcd_peers" --initial-cluster-state new \
    --log-level error 2>>"$cluster_dir/etcd$i.log" &
  cluster_pids+=($!)
  pids+=($!)
done
for i in 0 1 2; do
  "$registry_bin" --listen="127.0.0.1:$((56156 + i))" \
    --data_dir="$cluster_dir/replica$i" --replica_name="r$i" \
    --operator_public_key="$config/operator.pub" \
    --log_private_key="$config/log.key" --metrics_listen= \
    --admin_socket="unix:$cluster_dir/r$i.sock" \
    --etcd_endpoints="$etcd_endpoints" 2>>"$cluster_dir/replica$i.log" &
  cluster_pids+=($!)
  pids+=($!)
done
# replica_health ADDRESS: "ROLE APPLIED" of the replica (certctl health).
replica_health() {
  "$certctl_bin" --registry="$1" --timeout_seconds=2 health 2>/dev/null |
    sed -n 's/.*(replica [^,]*, \([a-z]*\), \([0-9]*\) entries applied).*/\1 \2/p'
}
leader=""
for _ in $(seq 1 300); do
  for i in 0 1 2; do
    [[ $(replica_health "127.0.0.1:$((56156 + i))") == leader* ]] && leader=127.0.0.1:$((56156 + i))
  done
  [[ -n $leader ]] && break
  sleep 0.1
done
[[ -n $leader ]] || { log "no replica became the leader"; tail -5 "$cluster_dir"/replica*.log >&2; exit 1; }
follower=127.0.0.1:56156
[[ $leader == "$follower" ]] && follower=127.0.0.1:56157
log "leader $leader, follower watched $follower"

log "importing into the replicas"
t0=$(now)
"$certctl_bin" --registry="$replica_addresses" --timeout_seconds=30 import "$csv" \
  --keys_dir="$work/keys" --accredit --parallel=8 \
  --errors="$work/replicated-import-errors.csv" >"$work/replicated-import.log" 2>&1 ||
  { log "replicated import failed"; tail -20 "$work/replicated-import.log" >&2; exit 1; }
t1=$(now)
replicated_import_s=$(elapsed "$t0" "$t1")
fig replicated_import_s "$replicated_import_s"
fig replicated_import_statements_per_s "$(calc "'%.1f' % ($(figures_py statements "$csv") / $replicated_import_s)")"

# The writes of section 5 against the leader, the follower's distance in
# entries sampled every 0.1 s meanwhile.
lag_file=$work/results/replicated_lag.txt
: >"$lag_file"
(
  while true; do
    l=$(replica_health "$leader") f=$(replica_health "$follower")
    [[ -n $l && -n $f ]] && echo "$(( ${l#* } - ${f#* } ))" >>"$lag_file"
    sleep 0.1
  done
) &
sampler=$!
saved_addr=$registry_addr saved_pid=$registry_pid
registry_addr=$leader
registry_pid=${cluster_pids[3]}
body_keys=("$work/keys"/*.key)
loadgen replicated_write --mix=write=100 --write_key="${body_keys[0]}" \
  --write_body="$(basename "${body_keys[0]}" .key)" --numbers_file="$csv" \
  --channels=4 --concurrency=16
registry_addr=$saved_addr registry_pid=$saved_pid
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
op_figures replicated_write write
fig replicated_write_errors "$(result replicated_write total.errors)"
figures_py lag-entries "$lag_file" replicated_follower_lag >>"$figures"

# A verifying mirror following the leader from nothing: how fast it checks
# and applies the whole log (each statement's signature, authority and
# rules; each checkpoint's signature and root).
"$mirror_bin" --upstream="$leader" --data_dir="$cluster_dir/mirror" \
  --listen=127.0.0.1:56159 --operator_public_key="$config/operator.pub" \
  --log_public_key="$config/log.pub" --metrics_listen= \
  --admin_socket="unix:$cluster_dir/mirror.sock" 2>>"$cluster_dir/mirror.log" &
mirror_pid=$!
pids+=("$mirror_pid")
for _ in $(seq 1 3000); do
  grep -q "verified and applied" "$cluster_dir/mirror.log" && break
  kill -0 "$mirror_pid" 2>/dev/null || break
  sleep 0.1
done
mirror_line=$(grep -m1 "verified and applied" "$cluster_dir/mirror.log" || true)
fig mirror_catch_up_entries "$(sed -n 's/.*verified and applied \([0-9]*\) entries.*/\1/p' <<<"$mirror_line")"
fig mirror_catch_up_per_s "$(sed -n 's/.* (\([0-9]*\) a second).*/\1/p' <<<"$mirror_line")"
kill -TERM "$mirror_pid" 2>/dev/null || true
wait "$mirror_pid" 2>/dev/null || true

# Caught up once the writes stop: the same size everywhere.
for _ in $(seq 1 300); do
  l=$(replica_health "$leader") f=$(replica_health "$follower")
  [[ -n $l && ${l#* } == "${f#* }" ]] && break
  sleep 0.1
done
kill -TERM "${cluster_pids[@]:3}" 2>/dev/null || true
wait "${cluster_pids[@]:3}" 2>/dev/null || true
kill -TERM "${cluster_pids[@]:0:3}" 2>/dev/null || true
wait "${cluster_pids[@]:0:3}" 2>/dev/null || true
