#!/usr/bin/env bash
# Starts a replicated certreg on this machine, for trying it: three etcd
# members (clients on 127.0.0.1:12379, 12479, 12579) and three registry
# replicas (127.0.0.1:50061, 50062, 50063) sharing one log key, the demo
# certificates written through the leader on first run. Installs what is
# missing and builds first. Ctrl-C stops everything; the data stays in the
# directory for the next run. See docs/SCALING.md.
#   CERTREG_CLUSTER_DIR   where the data goes
#                         (default ~/.local/share/certreg/cluster)
#   CERTREG_DEMO=0        skip the demo data
# Try: kill -9 the leader (its pid is printed) and watch another take over:
#   bazel-bin/tools/certctl --registry=127.0.0.1:50061,127.0.0.1:50062,127.0.0.1:50063 health
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh
bazel build //registry:certreg-registry //tools:certctl >&2
registry=bazel-bin/registry/certreg-registry
certctl=bazel-bin/tools/certctl
dir=${CERTREG_CLUSTER_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/certreg/cluster}
mkdir -p "$dir"

etcd_clients=(12379 12479 12579)
etcd_peers=(12380 12480 12580)
replicas=(50061 50062 50063)
peers=""
endpoints=""
for i in 0 1 2; do
  peers+="${peers:+,}e$i=http://127.0.0.1:${etcd_peers[$i]}"
  endpoints+="${endpoints:+,}127.0.0.1:${etcd_clients[$i]}"
done
addresses=""
for port in "${replicas[@]}"; do
  addresses+="${addresses:+,}127.0.0.1:$port"
done

etcd_pids=()
replica_pids=()
stop() {
  # The replicas first (they resign), then etcd.
  for group in replica_pids etcd_pids; do
    local -n list=$group
    kill -TERM "${list[@]}" 2>/dev/null || true
    for pid in "${list[@]}"; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
}
trap 'stop; exit 0' INT TERM

for i in 0 1 2; do
  etcd --name "e$i" --data-dir "$dir/etcd$i" \
    --listen-client-urls "http://127.0.0.1:${etcd_clients[$i]}" \
    --advertise-client-urls "http://127.0.0.1:${etcd_clients[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peers[$i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peers[$i]}" \
    --initial-cluster "$peers" --initial-cluster-state new \
    --initial-cluster-token certreg-cluster \
    --auto-compaction-mode periodic --auto-compaction-retention 1h \
    --log-level error 2>"$dir/etcd$i.log" &
  etcd_pids+=($!)
done

# One log-signing key for the deployment: every replica signs the same
# checkpoints.
[[ -f "$dir/log.key" ]] || "$certctl" keygen "$dir/log" >/dev/null
for i in 0 1 2; do
  "$registry" --data_dir="$dir/replica$i" --log_private_key="$dir/log.key" \
    --listen="127.0.0.1:${replicas[$i]}" --replica_name="r$i" \
    --admin_socket="unix:$dir/replica$i.admin.sock" \
    --metrics_listen="127.0.0.1:$((9470 + i))" \
    --etcd_endpoints="$endpoints" 2>"$dir/replica$i.log" &
  replica_pids+=($!)
  echo "cluster.sh: replica r$i on 127.0.0.1:${replicas[$i]} (pid $!, log $dir/replica$i.log)" >&2
done

for _ in $(seq 1 150); do
  "$certctl" --registry="$addresses" --timeout_seconds=1 health >/dev/null 2>&1 && break
  sleep 0.2
done
if [[ "${CERTREG_DEMO:-1}" != 0 ]]; then
  "$certctl" --registry="$addresses" --timeout_seconds=20 demo-seed >&2 ||
    echo "cluster.sh: demo data not loaded (see above)" >&2
fi
echo "cluster.sh: etcd on $endpoints" >&2
echo "cluster.sh: replicas on $addresses; try:" >&2
echo "  $certctl --registry=$addresses get 90126Q21540R2M" >&2
wait
