#!/usr/bin/env bash
# Starts certreg: the registry on 127.0.0.1:50051 (data in
# ~/.local/share/certreg/registry, the demo certificates loaded on first run)
# and the public web front-end on http://127.0.0.1:8080/ in front of it.
# Installs what is missing and builds first. Arguments go to the registry
# (see --help: --data_dir, --listen, --operator_public_key, ...). Ctrl-C stops
# both cleanly.
#   CERTREG_DEMO=0          skip the demo data
#   CERTREG_WEB=0           no web front-end
#   CERTREG_WEB_LISTEN=...  where the web front-end listens (127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh
bazel build //registry:certreg-registry //tools:certctl \
  //verifier/web:certreg-web >&2
registry=bazel-bin/registry/certreg-registry
certctl=bazel-bin/tools/certctl
web=bazel-bin/verifier/web/certreg-web

listen=127.0.0.1:50051
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/certreg/registry
demo=${CERTREG_DEMO:-1}
web_listen=${CERTREG_WEB_LISTEN:-127.0.0.1:8080}
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --help* | -h | --version) exec "$registry" "${args[@]}" ;;
    --listen=*) listen=${args[$i]#--listen=} ;;
    --listen) listen=${args[$((i + 1))]:-$listen} ;;
    --data_dir=*) data_dir=${args[$i]#--data_dir=} ;;
    --data_dir) data_dir=${args[$((i + 1))]:-$data_dir} ;;
    --operator_public_key*) demo=0 ;;  # the demo signs with the default key
  esac
done

pids=()
stop() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM

"$registry" "$@" &
pids+=($!)
client=${listen/#0.0.0.0:/127.0.0.1:}
for _ in $(seq 1 100); do
  kill -0 "${pids[0]}" 2>/dev/null || { wait "${pids[0]}"; exit $?; }
  "$certctl" --registry="$client" --timeout_seconds=1 health >/dev/null 2>&1 && break
  sleep 0.2
done

if [[ "$demo" != 0 ]]; then
  "$certctl" --registry="$client" demo-seed >&2 || echo "run.sh: demo data not loaded (see above)" >&2
  echo "run.sh: try: $certctl --registry=$client get 90126Q21540R2M" >&2
fi

if [[ "${CERTREG_WEB:-1}" != 0 ]]; then
  # The web front-end remembers the last checkpoint it trusted beside the
  # registry's data, so a fresh data directory starts a fresh trust record.
  "$web" --registry="$client" --listen="$web_listen" \
    --state_file="$data_dir.web/trusted_checkpoint" &
  pids+=($!)
  echo "run.sh: open http://$web_listen/ (for example http://$web_listen/c/90126Q21540R2M)" >&2
fi
wait -n "${pids[@]}" || true
stop
