# shellcheck shell=bash disable=SC2034,SC2154
# 9. The web front-end: certreg-web in front of the registry, every answer
# from a bundle it verified, kept while the registry's checkpoint stays the
# same (and measured once more with nothing kept). h2load --h1 with 64 connections, one request each in flight (the
# same 64 as the gRPC lookups): the JSON lookup (basic view) and the
# certificate page, one number, against h2load's gRPC lookup of section 2;
# the page again open loop at 70% of its peak, p99 from h2load's
# per-request log; and nginx serving a static file of the page's size from
# the same machine, the ceiling for an HTTP/1.1 answer of that size here.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running.

web_addr=127.0.0.1:56104
nginx_port=56105
web_number=$(sed -n "$((count / 2 + 2))p" "$csv" | cut -d, -f1)
# start_web [FLAGS...]: certreg-web in front of the registry.
start_web() {
  "$web_bin" --listen="$web_addr" --registry="$registry_addr" \
    --operator_public_key="$config/operator.pub" --log_public_key="$config/log.pub" \
    --state_file="$work/web_checkpoint" --metrics_listen= "$@" 2>>"$work/web.log" &
  web_pid=$!
  pids+=("$web_pid")
  for _ in $(seq 1 50); do
    curl -sf "http://$web_addr/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
stop_web() {
  kill -TERM "$web_pid"
  wait "$web_pid" || true
}
start_web
mkdir -p "$work/web"
curl -sf "http://$web_addr/c/$web_number" -o "$work/web/page.html" ||
  { log "certreg-web did not serve /c/$web_number"; tail "$work/web.log" >&2; exit 1; }
fig web_page_bytes "$(stat -c %s "$work/web/page.html")"

# h2load_web NAME PATH [H2LOAD ARGS...]: h2load --h1 for $duration s.
h2load_web() {
  local name=$1 url=$2
  shift 2
  log "h2load --h1 $url $*"
  h2load --h1 -D "$duration" --warm-up-time=1 -t 1 "$@" "$url" \
    >"$work/results/$name.txt" 2>&1 ||
    { log "h2load failed"; cat "$work/results/$name.txt" >&2; exit 1; }
}

h2load_web web_json "http://$web_addr/api/v1/certificates/$web_number?view=CERTIFICATE_VIEW_BASIC" -c 64 -m 1
figures_py h2load-named web_json "$work/results/web_json.txt" - >>"$figures"
h2load_web web_page "http://$web_addr/c/$web_number" -c 64 -m 1
figures_py h2load-named web_page "$work/results/web_page.txt" - >>"$figures"

# The page at 70% of its peak, open loop: h2load paces each connection at
# a fixed rate, and a connection cannot keep a rate near its closed-loop
# share, so 256 connections share it (h2load fires them in phase: requests
# come in bursts of 256, harsher than independent clients).
page_peak=$(grep '^web_page_req_s=' "$figures" | tail -1 | cut -d= -f2)
page_rate=$(calc "max(256, int(float('$page_peak') * 0.7))")
h2load_web web_page_open70 "http://$web_addr/c/$web_number" -c 256 -m 1 \
  --rps="$(calc "max(1, $page_rate // 256)")" --log-file="$work/results/web_page_open70.log"
fig web_page_open70_rate "$page_rate"
figures_py h2load-named web_page_open70 "$work/results/web_page_open70.txt" \
  "$work/results/web_page_open70.log" >>"$figures"
stop_web

# The JSON lookup again with nothing kept: every request fetches the bundle
# from the registry (which signs its head) and verifies it (signatures from
# the memo).
start_web --answer_cache_seconds=0
h2load_web web_json_fresh "http://$web_addr/api/v1/certificates/$web_number?view=CERTIFICATE_VIEW_BASIC" -c 64 -m 1
figures_py h2load-named web_json_fresh "$work/results/web_json_fresh.txt" - >>"$figures"
stop_web

# nginx: the same bytes as a static file, one worker per core.
mkdir -p "$work/nginx/root/c"
cp "$work/web/page.html" "$work/nginx/root/c/page.html"
# Its workers run as this user, so that they can read the temporary
# directory (mktemp makes it private).
cat >"$work/nginx/nginx.conf" <<CONF
user $(id -un);
worker_processes $cores;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/root;
    default_type text/html;
  }
}
CONF
mkdir -p "$work/nginx/tmp"
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
nginx_pid=$!
pids+=("$nginx_pid")
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$nginx_port/c/page.html" >/dev/null 2>&1 && break
  sleep 0.1
done
h2load_web nginx_page "http://127.0.0.1:$nginx_port/c/page.html" -c 64 -m 1
figures_py h2load-named nginx_page "$work/results/nginx_page.txt" - >>"$figures"
kill -TERM "$nginx_pid"
wait "$nginx_pid" || true
