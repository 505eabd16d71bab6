#!/usr/bin/env bash
# docs/check_certificate.py, the Python grpcio client of docs/TRUST.md, checks a
# demo certificate over TLS against a registry serving a certificate from a
# test CA, and fails against the same port in plaintext.
set -euo pipefail

runfiles=${TEST_SRCDIR:-$PWD/..}/certreg
tmp=$(mktemp -d "${TEST_TMPDIR:-/tmp}/py.XXXXXX")
export XDG_CONFIG_HOME=$tmp/config
config=$XDG_CONFIG_HOME/certreg
mkdir -p "$config"
registry=$runfiles/registry/certreg-registry
certctl=$runfiles/tools/certctl
port=$((20000 + $$ % 20000))
socket=/tmp/certreg-$$-py.sock

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -subj "/CN=certreg test CA" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$tmp/server.ext"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$tmp/server.key" -out "$tmp/server.csr" -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
  -CAcreateserial -days 2 -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null

"$certctl" keygen "$config/operator" >/dev/null
"$registry" --data_dir="$tmp/data" --listen="127.0.0.1:$port" \
  --operator_public_key="$config/operator.pub" --log_private_key="$config/log.key" \
  --admin_socket="unix:$socket" --tls_cert_file="$tmp/server.pem" \
  --tls_key_file="$tmp/server.key" 2>"$tmp/registry.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
tls=(--registry="localhost:$port" --tls_ca_file="$tmp/ca.pem")
for _ in $(seq 1 100); do
  "$certctl" "${tls[@]}" health >/dev/null 2>&1 && break
  sleep 0.1
done
"$certctl" "${tls[@]}" --keys_dir="$tmp/keys" demo-seed >/dev/null 2>"$tmp/seed.err" || {
  cat "$tmp/seed.err" "$tmp/registry.err" >&2; exit 1; }

py=$tmp/py
mkdir -p "$py"
protoc -I "$runfiles/proto" --python_out="$py" --grpc_out="$py" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  "$runfiles"/proto/certreg/v1/*.proto
check=$runfiles/docs/check_certificate.py

out=$(PYTHONPATH=$py /usr/bin/python3 "$check" 90119Q30555R1L "localhost:$port" \
  --ca="$tmp/ca.pem" 2>&1) || { echo "FAIL: over TLS: $out" >&2; exit 1; }
grep -q "90119Q30555R1L: 5 statement(s) signed and in the log" <<<"$out" || {
  echo "FAIL: unexpected output over TLS: $out" >&2; exit 1; }
echo "over TLS: ${out##*$'\n'}"

if PYTHONPATH=$py timeout 20 /usr/bin/python3 "$check" 90119Q30555R1L \
    "127.0.0.1:$port" >"$tmp/plain.out" 2>&1; then
  echo "FAIL: a plaintext client was answered by the TLS port" >&2
  exit 1
fi
echo "plaintext refused: $(grep -m1 -o 'StatusCode\.[A-Z_]*' "$tmp/plain.out" || tail -1 "$tmp/plain.out")"
echo "PASS"
