#!/usr/bin/env bash
# Runs every certreg test: installs what is missing, then `bazel test //...`,
# then prints one line "N passed, N failed" counting test cases.
# Extra arguments go to `bazel test` (e.g. a narrower target pattern).
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh || exit 2

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(//...)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bazel test --keep_going "${targets[@]}" 2>&1 | tee "$log"
bazel_status=${PIPESTATUS[0]}

python3 tools/count_test_cases.py "$(bazel info bazel-testlogs 2>/dev/null)" \
  "$log" "$bazel_status"
