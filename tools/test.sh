#!/usr/bin/env bash
# Runs every certreg test: installs what is missing, then `bazel test //...`,
# then (for the whole suite) each libFuzzer harness for FUZZ_SECONDS seconds
# (default 15; 0 skips them; see tools/fuzz.sh), then prints one line
# "N passed, N failed" counting test cases, each fuzzer one case.
# Extra arguments go to `bazel test` (e.g. a narrower target pattern); the
# fuzzers run only without them.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh || exit 2

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(//...)

log=$(mktemp)
fuzz_junit=$(mktemp)
trap 'rm -f "$log" "$fuzz_junit"' EXIT
bazel test --keep_going "${targets[@]}" 2>&1 | tee "$log"
bazel_status=${PIPESTATUS[0]}

fuzz_results=()
fuzz_seconds=${FUZZ_SECONDS:-15}
if [[ $# -eq 0 && $fuzz_seconds != 0 ]]; then
  FUZZ_SECONDS=$fuzz_seconds FUZZ_JUNIT="$fuzz_junit" bash tools/fuzz.sh
  fuzz_results=("$fuzz_junit")
fi

python3 tools/count_test_cases.py "$(bazel info bazel-testlogs 2>/dev/null)" \
  "$log" "$bazel_status" "${fuzz_results[@]}"
