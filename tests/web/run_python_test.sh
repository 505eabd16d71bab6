#!/usr/bin/env bash
# Runs a web test written in Python with Debian's interpreter, which has
# python3-grpcio, python3-protobuf, python3-requests and python3-selenium.
set -euo pipefail
exec /usr/bin/python3 "${TEST_SRCDIR:-$PWD/..}/certreg/tests/web/$1"
