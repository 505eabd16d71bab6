# shellcheck shell=bash disable=SC2034,SC2154
# 5. Durable ingestion of pre-signed statements: new issue statements signed
# before the clock starts, each fsynced before its answer; one per
# IssueCertificate call, 64 in flight, then 32 per SubmitStatements call.
# After the reads, which it would change: the database grows by every
# statement written.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running.

# The first body's key (keys/APPROVAL_NUMBER.key, from certctl generate).
body_keys=("$work/keys"/*.key)
body_key=${body_keys[0]}
body=$(basename "$body_key" .key)
loadgen write --mix=write=100 --write_key="$body_key" --write_body="$body" \
  --numbers_file="$csv" --channels=4 --concurrency=16
op_figures write write
fig write_errors "$(result write total.errors)"
# The same, 32 statements per SubmitStatements call (as certctl import sends
# them), 8 calls in flight.
loadgen write_batch --mix=write=100 --write_key="$body_key" --write_body="$body" \
  --write_batch=32 --numbers_file="$csv" --channels=4 --concurrency=2
fig write_batch_statements_s "$(calc "$(result write_batch by_op.write.ops_per_s) * $(result write_batch write_batch)")"
fig write_batch_p99_ms "$(result write_batch by_op.write.p99_ms)"
fig write_batch_errors "$(result write_batch total.errors)"
