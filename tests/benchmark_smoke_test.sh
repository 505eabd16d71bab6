#!/usr/bin/env bash
# Smoke test of tools/benchmark.sh: a tiny run (2,000 certificates, 2 s per
# measurement) with the binaries from the runfiles, checking that every figure
# of the final table is printed and benchmark.json and benchmark.md are
# written. It checks that the benchmark works, not how fast anything is.
# Needs root (apt packages, PostgreSQL run as the postgres user), like CI has.
set -euo pipefail

runfiles=${TEST_SRCDIR:-$PWD/..}/certreg
tmp=${TEST_TMPDIR:-$(mktemp -d)}
bin=$tmp/bin
mkdir -p "$bin"
ln -sf "$runfiles/registry/certreg-registry" "$bin/certreg-registry"
ln -sf "$runfiles/verifier/certreg-verifier" "$bin/certreg-verifier"
ln -sf "$runfiles/tools/certctl" "$bin/certctl"
ln -sf "$runfiles/tools/certreg-loadgen" "$bin/certreg-loadgen"
ln -sf "$runfiles/verifier/web/certreg-web" "$bin/certreg-web"
ln -sf "$runfiles/tools/certreg-watch-lag" "$bin/certreg-watch-lag"
ln -sf "$runfiles/registry/certreg-mirror" "$bin/certreg-mirror"

out=${TEST_UNDECLARED_OUTPUTS_DIR:-$tmp/out}
log=$tmp/benchmark.log
if ! bash "$runfiles/tools/benchmark.sh" --quick --count=2000 --duration=2 \
    --bin_dir="$bin" --out="$out" >"$log" 2>&1; then
  echo "FAIL: tools/benchmark.sh exited with an error:" >&2
  tail -40 "$log" >&2
  exit 1
fi

failed=0
labels=()
for label in \
  "certificates (N)" \
  "generate N (s)" \
  "import N, --parallel=8 (s)" \
  "bulk import N, generate + import (s)" \
  "bulk import scaled to 1,000,000 (s)" \
  "statements stored by import" \
  "durable ingestion during import (statements/s)" \
  "durable ingestion, pre-signed, one per call, 64 in flight (statements/s)" \
  "durable ingestion, pre-signed, 32 per SubmitStatements, 8 calls in flight (statements/s)" \
  "lookup by number, basic view, closed loop 4x16 (ops/s)" \
  "lookup, full view (+ signed statements) (ops/s)" \
  "lookup p99 at 70% of peak (ms)" \
  "p99 of each of the 3 open-loop runs (ms)" \
  "lookup over LookupCertificates streams, basic view, 1x64 (ops/s)" \
  "streamed lookup p99 at 70% of its peak (ms)" \
  "p99 of each of the 3 streamed open-loop runs (ms)" \
  "requests due but not sent in each run (dropped)" \
  "streamed lookups due but not sent in each run (dropped)" \
  "streamed lookup certreg / PostgreSQL" \
  "h2load GetCertificate basic, one number, 4x16 (req/s)" \
  "h2load mean latency (ms)" \
  "PostgreSQL point select, 64 clients (tps)" \
  "the same over its unix socket (tps)" \
  "lookup certreg / PostgreSQL" \
  "full view / PostgreSQL" \
  "name search, closed loop 4x16 (ops/s)" \
  "name search p99 (ms)" \
  "PostgreSQL pg_trgm search, 64 clients (tps)" \
  "search certreg / PostgreSQL" \
  "BatchVerify, batches of 100, 4 in flight (claims/s)" \
  "openssl ed25519 verify/s per core" \
  "writer p99 at 100 statements/s, alone (ms)" \
  "beside a metered flood, quotas on (ms)" \
  "metered flood / alone" \
  "BatchVerify claims/s / openssl verify/s" \
  "web JSON lookup, basic view, h2load --h1 64 connections (req/s)" \
  "web JSON lookup / gRPC lookup (h2load, one number each)" \
  "web page p99 at 70% of its peak (ms)" \
  "nginx, a static file of the page's size, 64 connections (req/s)" \
  "daily pass CPU, one day, scaled to 1,000,000 certificates (s)" \
  "watch lag p99 beside the ingestion load (ms)" \
  "server peak RSS, VmHWM (MiB)" \
  "disk per certificate (bytes)" \
  "time to open the database (s)" \
  "level 0 compacted once writes were quiet, after the import (s)" \
  "CPU per statement: registry / certctl (us)" \
  "CPU per statement, one per call: registry / loadgen (us)" \
  "CPU per statement in calls of 32: registry / loadgen (us)" \
  "CPU per lookup: registry / loadgen (us)" \
  "CPU per lookup at 70%: registry / loadgen (us)" \
  "CPU per streamed lookup: registry / loadgen (us)" \
  "CPU per streamed lookup at 70%: registry / loadgen (us)" \
  "CPU per select: PostgreSQL / pgbench (us)" \
  "CPU per search: registry / loadgen (us)" \
  "CPU per search: PostgreSQL / pgbench (us)" \
  "CPU per claim: verifier / registry / loadgen (us)" \
  "server CPU per lookup, PostgreSQL / certreg" \
  "server CPU per search, PostgreSQL / certreg" \
  "replicated (3 etcd + 3 replicas, one machine): import (statements/s)" \
  "durable writes, one per call, on the leader (per s)" \
  "follower behind the leader meanwhile" \
  "a verifying mirror catching up with the whole log (entries/s)"; do
  labels+=("$label")
done
# The runs with the server and its client on a core each need two CPUs and
# the right to pin processes to them; without, the benchmark says so.
if ! grep -q "the runs a core each are not measured" "$log"; then
  labels+=(
    "a core each for server and client: lookups/s, 4x16"
    "streamed lookups/s, 1x64"
    "PostgreSQL point selects/s, 64 clients (tps)"
    "server CPU per lookup / streamed lookup / select (us)"
    "client CPU per lookup / streamed lookup / select (us)"
    "lookup certreg / PostgreSQL, a core each"
    "streamed lookup certreg / PostgreSQL, a core each"
    "BatchVerify, the verifier on a core of its own (claims/s)"
    "CPU per claim, a core each: verifier / registry / loadgen (us)"
    "BatchVerify on its own core / that core's openssl verify/s")
fi
for label in "${labels[@]}"; do
  line=$(grep -F -- "$label" "$log" | head -1 || true)
  if [[ -z "$line" ]]; then
    echo "FAIL: no line \"$label\"" >&2
    failed=1
  elif [[ "$line" =~ [[:space:]]n/a[[:space:]] ]]; then
    echo "FAIL: no value: $line" >&2
    failed=1
  fi
done
# Every request of every run must have succeeded (a refused pre-signed
# statement in a SubmitStatements call counts as a failed request).
if grep -F "request errors during the runs" "$log" >&2; then
  failed=1
fi
for file in benchmark.json benchmark.md; do
  [[ -s "$out/$file" ]] || { echo "FAIL: $out/$file not written" >&2; failed=1; }
done
if [[ $failed != 0 ]]; then
  cat "$log" >&2
  exit 1
fi
sed -n '/^certreg benchmark:/,$p' "$log"
echo "PASS"
