#!/usr/bin/env bash
# Starts the certreg registry: installs what is missing, builds, and serves on
# 127.0.0.1:50051 with its data in ~/.local/share/certreg/registry (override
# with --data_dir / --listen; see --help). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install_deps.sh
bazel build //registry:certreg-registry //tools:certctl >&2
exec bazel-bin/registry/certreg-registry "$@"
