#!/usr/bin/env bash
# Starts the certreg registry: installs what is missing, builds, serves on
# 127.0.0.1:50051 with its data in ~/.local/share/certreg/registry, and loads
# the demo certificates on first run. Arguments go to the server (see
# --help: --data_dir, --listen, --operator_public_key, ...). Ctrl-C stops it
# cleanly. CERTREG_DEMO=0 skips the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh
bazel build //registry:certreg-registry //tools:certctl >&2
registry=bazel-bin/registry/certreg-registry
certctl=bazel-bin/tools/certctl

listen=127.0.0.1:50051
demo=${CERTREG_DEMO:-1}
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --help* | -h | --version) exec "$registry" "${args[@]}" ;;
    --listen=*) listen=${args[$i]#--listen=} ;;
    --listen) listen=${args[$((i + 1))]:-$listen} ;;
    --operator_public_key*) demo=0 ;;  # the demo signs with the default key
  esac
done

"$registry" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit $?' INT TERM

if [[ "$demo" != 0 ]]; then
  client=${listen/#0.0.0.0:/127.0.0.1:}
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; exit $?; }
    "$certctl" --registry="$client" --timeout_seconds=1 health >/dev/null 2>&1 && break
    sleep 0.2
  done
  "$certctl" --registry="$client" demo-seed >&2 || echo "run.sh: demo data not loaded (see above)" >&2
  echo "run.sh: try: $certctl --registry=$client get 90126Q21540R2M" >&2
fi
wait "$pid"
