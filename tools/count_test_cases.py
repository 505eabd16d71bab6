#!/usr/bin/env python3
"""Counts test cases from Bazel's test.xml files and prints "N passed, N failed".

Usage: count_test_cases.py TESTLOGS_DIR BAZEL_OUTPUT_LOG BAZEL_EXIT_CODE

Only the test targets named in this run's Bazel output are counted, so stale
results of targets that no longer exist are ignored. A target that failed to
build or gave no result counts as one failed case. Exits non-zero when any case
failed, when Bazel failed, or when no case ran.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET


def main():
    testlogs, log_path, bazel_status = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    # Summary lines: "//pkg:target   PASSED in 0.4s" (also FAILED, FLAKY, ...).
    results = re.findall(
        r"^(//[^\s]+)\s+(?:\(cached\)\s+)?(PASSED|FAILED|FLAKY|TIMEOUT|"
        r"NO STATUS|FAILED TO BUILD|INCOMPLETE|SKIPPED)", log, re.M)
    passed = failed = skipped = 0
    for target, outcome in results:
        path = os.path.join(testlogs, target[2:].replace(":", "/"), "test.xml")
        counted = False
        if outcome in ("PASSED", "FAILED", "FLAKY", "TIMEOUT") and os.path.exists(path):
            try:
                for case in ET.parse(path).getroot().iter("testcase"):
                    counted = True
                    if case.find("failure") is not None or case.find("error") is not None:
                        failed += 1
                    elif case.get("result") == "skipped" or case.find("skipped") is not None:
                        skipped += 1
                    else:
                        passed += 1
            except ET.ParseError:
                counted = False
        if not counted:
            if outcome == "PASSED":
                passed += 1
            else:
                failed += 1
                print(f"{target}: {outcome}", file=sys.stderr)
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
