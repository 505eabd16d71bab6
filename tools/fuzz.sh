#!/usr/bin/env bash
# Fuzzes certreg's parsers of outside input with libFuzzer: builds the
# harnesses of tests/fuzz with clang 14, AddressSanitizer and
# UndefinedBehaviorSanitizer (--config=fuzz, in a Bazel output base of its
# own), then runs each for FUZZ_SECONDS seconds on a copy of its seed corpus.
# Prints one line per fuzzer (runs, executions per second, result) and exits
# non-zero when a fuzzer crashed, hung, leaked, ran out of memory, or did not
# build, printing the sanitizer's report and where the input that did it is.
#
# Usage: tools/fuzz.sh [NAME...]      (default: every harness; NAME as in
#                                     tests/fuzz/NAME_fuzzer.cc, e.g. bundle)
# Environment:
#   FUZZ_SECONDS      seconds each fuzzer runs (default 20)
#   FUZZ_JOBS         fuzzers run at once (default: the number of cores)
#   FUZZ_WORK         where the corpus copies, logs and crashing inputs go
#                     (default: a new directory under /tmp, removed when
#                     every fuzzer ran clean)
#   FUZZ_OUTPUT_BASE  Bazel output base of the fuzz build
#                     (default: ~/.cache/certreg-fuzz)
#   FUZZ_ARGS         more libFuzzer flags, e.g. "-only_ascii=1"
#   FUZZ_JUNIT        when set, a JUnit XML file written with one test case
#                     per fuzzer (tools/test.sh counts them)
#
# A long run, keeping what it finds (the corpora in FUZZ_WORK grow and are
# reused by the next run with the same FUZZ_WORK):
#   FUZZ_SECONDS=3600 FUZZ_WORK=$HOME/certreg-fuzz-work tools/fuzz.sh
# To replay a crashing input with the normal build (no clang needed):
#   bazel build //tests/fuzz:NAME_fuzzer_test
#   bazel-bin/tests/fuzz/NAME_fuzzer_test --mutations=0 CRASH_FILE
# or with the fuzz build: FUZZER_BINARY CRASH_FILE.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
output_base=${FUZZ_OUTPUT_BASE:-${HOME:-/tmp}/.cache/certreg-fuzz}
work=${FUZZ_WORK:-}
own_work=false
if [[ -z "$work" ]]; then
  work=$(mktemp -d /tmp/certreg-fuzz.XXXXXX)
  own_work=true
fi
junit=${FUZZ_JUNIT:-}
mkdir -p "$work"

# The same startup options every time, so the fuzz build's server is reused;
# it exits after ten idle minutes.
fuzz_bazel() {
  bazel --output_base="$output_base" --max_idle_secs=600 "$@"
}

xml_escape() {
  sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' |
    tr -cd '\11\12\15\40-\176'
}

# report LOG: the part of a fuzzer's log that says what went wrong (from the
# sanitizer's or the harness's first word on it), else its last lines.
report() {
  awk '/^==[0-9]+==|FUZZ_CHECK failed|runtime error:|deadly signal|^ERROR: libFuzzer/ {
         found = 1 }
       found && !/^#[0-9]|NEW_FUNC/ { print; if (++n == 60) exit }' "$1"
  grep -qE '^==[0-9]+==|FUZZ_CHECK failed|runtime error:|deadly signal|^ERROR: libFuzzer' "$1" ||
    tail -n 30 "$1"
}

# write_junit NAME... : one case per fuzzer from $work/NAME/result.
write_junit() {
  [[ -n "$junit" ]] || return 0
  local name failures=0 total=0
  for name in "$@"; do
    total=$((total + 1))
    [[ $(head -n1 "$work/$name/result" 2>/dev/null) == clean ]] ||
      failures=$((failures + 1))
  done
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"fuzz\" tests=\"$total\" failures=\"$failures\">"
    for name in "$@"; do
      echo "<testcase classname=\"tests.fuzz\" name=\"${name}_fuzzer\" time=\"$seconds\">"
      if [[ $(head -n1 "$work/$name/result" 2>/dev/null) != clean ]]; then
        echo "<failure message=\"$(head -n1 "$work/$name/result" 2>/dev/null |
          xml_escape)\">"
        report "$work/$name/log" 2>/dev/null | xml_escape
        echo "</failure>"
      fi
      echo "</testcase>"
    done
    echo "</testsuite></testsuites>"
  } >"$junit"
}

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for source in tests/fuzz/*_fuzzer.cc; do
    name=$(basename "$source" _fuzzer.cc)
    names+=("$name")
  done
fi
targets=()
for name in "${names[@]}"; do targets+=("//tests/fuzz:${name}_fuzzer"); done

echo "fuzz: building ${#targets[@]} fuzzers with clang (output base $output_base)"
if ! fuzz_bazel build --config=fuzz "${targets[@]}" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log"
  echo "fuzz: the fuzzers did not build (log: $work/build.log)"
  mkdir -p "$work/build"
  echo "did not build" >"$work/build/result"
  cp "$work/build.log" "$work/build/log"
  write_junit build
  exit 1
fi
bin=$(fuzz_bazel info --config=fuzz bazel-bin 2>/dev/null)/tests/fuzz

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]] && command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14)
fi

# run_one NAME: fuzzes one harness; writes $work/NAME/{log,result}.
run_one() {
  local name=$1 dir="$work/$1"
  mkdir -p "$dir/corpus"
  cp -n tests/fuzz/corpus/"$name"/* "$dir/corpus/" 2>/dev/null
  rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
  # FUZZ_ARGS is split into words on purpose: several flags.
  # shellcheck disable=SC2086
  "$bin/${name}_fuzzer" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$dir/" \
    ${FUZZ_ARGS:-} "$dir/corpus" >"$dir/log" 2>&1
  local status=$?
  local runs rate artifact
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n1)
  artifact=$(ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* \
    2>/dev/null | head -n1)
  if [[ $status -eq 0 && -z "$artifact" ]]; then
    echo clean >"$dir/result"
  else
    echo "failed (exit $status)${artifact:+: $artifact}" >"$dir/result"
  fi
  echo "${runs:-?} ${rate:-?}" >>"$dir/result"
}

echo "fuzz: running each for ${seconds}s, $jobs at a time (work: $work)"
running=0
for name in "${names[@]}"; do
  if [[ $running -ge $jobs ]]; then
    wait -n
    running=$((running - 1))
  fi
  run_one "$name" &
  running=$((running + 1))
done
wait

failed=0
for name in "${names[@]}"; do
  result=$(head -n1 "$work/$name/result" 2>/dev/null || echo "no result")
  read -r runs rate < <(sed -n 2p "$work/$name/result" 2>/dev/null)
  printf 'fuzz: %-24s %3ss %10s runs %7s exec/s  %s\n' "${name}_fuzzer" \
    "$seconds" "${runs:-?}" "${rate:-?}" "$result"
  if [[ $result != clean ]]; then
    failed=$((failed + 1))
    echo "----- ${name}_fuzzer, from $work/$name/log:"
    report "$work/$name/log"
    echo "-----"
  fi
done
write_junit "${names[@]}"
if [[ $failed -gt 0 ]]; then
  echo "fuzz: $failed fuzzer(s) failed; inputs and logs under $work"
  exit 1
fi
echo "fuzz: every fuzzer ran clean"
if $own_work; then rm -rf "$work"; fi
