#!/usr/bin/env bash
# Runs a test written in Python (its path in the repository) with Debian's
# interpreter, which has python3-grpcio, python3-protobuf, python3-requests,
# python3-selenium and python3-cryptography.
set -euo pipefail
exec /usr/bin/python3 "${TEST_SRCDIR:-$PWD/..}/certreg/$1"
