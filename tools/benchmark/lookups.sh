# shellcheck shell=bash disable=SC2034,SC2154
# 2. Lookup by number: closed loop to the peak (the basic view, what the
# lookup page shows, and the full view with every signed statement), open
# loop at 70% of the peak; the same over LookupCertificates streams; both
# closed loops again with the registry and its client on a core each; and
# h2load repeating one pre-encoded request as an independent client.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry settled.

# The basic view (certificate, status, history: what the lookup page shows,
# and more than PostgreSQL's row) is the lookup; the full view adds every
# signed statement.
loadgen get_peak --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --concurrency=16
get_peak=$(result get_peak by_op.get.ops_per_s)
op_figures get_peak get
loadgen get_full_peak --mix=get=100 --view=full --numbers_file="$csv" --channels=4 --concurrency=16
op_figures get_full_peak get
rate70=$(calc "max(1, int($get_peak * 0.7))")
open_loop get_open70 --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --rate="$rate70"
fig get_open70_rate "$rate70"
fig get_open70_ops_s "$(result get_open70 by_op.get.ops_per_s)"
fig get_open70_p50_ms "$(result get_open70 by_op.get.p50_ms)"
fig get_open70_p99_ms "$(result get_open70 by_op.get.p99_ms)"
fig get_errors "$(result get_peak total.errors)"
fig get_full_errors "$(result get_full_peak total.errors)"

# The same lookups over LookupCertificates streams (one lookup at a time on
# each of 64 streams sharing one connection), the way a client that looks
# many numbers up sends them; open loop at 70 % of this peak, on up to 64
# streams (a lookup due while all are busy waits for one).
loadgen get_stream_peak --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --lookup_stream
get_stream_peak=$(result get_stream_peak by_op.get.ops_per_s)
op_figures get_stream_peak get
stream_rate70=$(calc "max(1, int($get_stream_peak * 0.7))")
open_loop get_stream_open70 --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --rate="$stream_rate70" --lookup_stream
fig get_stream_open70_rate "$stream_rate70"
fig get_stream_open70_ops_s "$(result get_stream_open70 by_op.get.ops_per_s)"
fig get_stream_open70_p99_ms "$(result get_stream_open70 by_op.get.p99_ms)"
fig get_stream_errors "$(result get_stream_peak total.errors)"

# The same two closed loops with the registry (every thread of it) on one core
# and the load generator on the other, as PostgreSQL and pgbench are in
# section 7: the servers compared without their clients taking CPU from
# them, as when the clients are other machines.
if [[ -n $client_cpu ]]; then
  taskset -a -p -c "$server_cpu" "$registry_pid" >/dev/null
  client_pin=(taskset -c "$client_cpu")
  loadgen get_split --mix=get=100 --view=basic --numbers_file="$csv" --channels=4 --concurrency=16
  loadgen get_stream_split --mix=get=100 --view=basic --numbers_file="$csv" --channels=1 --concurrency=64 --lookup_stream
  client_pin=()
  taskset -a -p -c "$cpu_list" "$registry_pid" >/dev/null
  for name in get_split get_stream_split; do
    op_figures "$name" get
    fig "${name}_errors" "$(result "$name" total.errors)"
  done
fi

# h2load: one number, the same pre-encoded gRPC frame on every request.
h2_number=$(sed -n "$((count / 2 + 2))p" "$csv" | cut -d, -f1)
python3 "$repo/tools/h2load_frame.py" "$h2_number" "$work/frame.bin" basic
log "h2load GetCertificate $h2_number"
h2load -D "$duration" --warm-up-time=1 -c 4 -m 16 -t 1 \
  -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/frame.bin" \
  "http://$registry_addr/certreg.v1.RegistryService/GetCertificate" >"$work/results/h2load.txt" 2>&1 ||
  { log "h2load failed"; cat "$work/results/h2load.txt" >&2; exit 1; }
figures_py h2load "$work/results/h2load.txt" >>"$figures"
