#!/usr/bin/env python3
"""Counts test cases from Bazel's test.xml files and prints "N passed, N failed".

Usage: count_test_cases.py TESTLOGS_DIR BAZEL_OUTPUT_LOG BAZEL_EXIT_CODE [JUNIT_XML...]

Only the test targets named in this run's Bazel output are counted, so stale
results of targets that no longer exist are ignored. A target that failed to
build or gave no result counts as one failed case. Each further JUNIT_XML file
(e.g. tools/fuzz.sh's, one case per fuzzer) adds its cases; one that is missing
or unreadable counts as one failed case. Exits non-zero when any case failed,
when Bazel failed, or when no case ran.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET


def count_cases(path):
    """(passed, failed, skipped) of a JUnit XML file; None if unreadable."""
    passed = failed = skipped = 0
    try:
        for case in ET.parse(path).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            elif case.get("result") == "skipped" or case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    except (OSError, ET.ParseError):
        return None
    if passed + failed + skipped == 0:
        return None
    return passed, failed, skipped


def main():
    testlogs, log_path, bazel_status = sys.argv[1], sys.argv[2], int(sys.argv[3])
    extra_xml = sys.argv[4:]
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    # Summary lines: "//pkg:target   PASSED in 0.4s" (also FAILED, FLAKY, ...).
    results = re.findall(
        r"^(//[^\s]+)\s+(?:\(cached\)\s+)?(PASSED|FAILED|FLAKY|TIMEOUT|"
        r"NO STATUS|FAILED TO BUILD|INCOMPLETE|SKIPPED)", log, re.M)
    passed = failed = skipped = 0
    for target, outcome in results:
        path = os.path.join(testlogs, target[2:].replace(":", "/"), "test.xml")
        counts = None
        if outcome in ("PASSED", "FAILED", "FLAKY", "TIMEOUT") and os.path.exists(path):
            counts = count_cases(path)
        if counts is not None:
            passed, failed, skipped = (a + b for a, b in
                                       zip((passed, failed, skipped), counts))
        else:
            if outcome == "PASSED":
                passed += 1
            else:
                failed += 1
                print(f"{target}: {outcome}", file=sys.stderr)
    for path in extra_xml:
        counts = count_cases(path)
        if counts is None:
            failed += 1
            print(f"{path}: no test cases", file=sys.stderr)
        else:
            passed, failed, skipped = (a + b for a, b in
                                       zip((passed, failed, skipped), counts))
    if bazel_status != 0 and failed == 0:
        failed = 1
        print(f"bazel test exited with {bazel_status}", file=sys.stderr)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
