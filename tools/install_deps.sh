#!/usr/bin/env bash
# Installs the Debian 12 packages certreg builds and runs with, if any is
# missing. Idempotent and quiet when everything is present. Needs root (or
# sudo) only when something has to be installed.
set -euo pipefail

packages=(
  bazel-bootstrap bazel-platforms bazel-rules-java
  g++ pkg-config python3 openssl ca-certificates curl
  python3-grpcio python3-protobuf python3-cryptography
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libssl-dev libabsl-dev libicu-dev
  libgtest-dev libgmock-dev libgoogle-perftools-dev prometheus-cpp-dev
  clang-14 libclang-rt-14-dev llvm-14
  libboost-dev libctemplate-dev libqrencode-dev libpng-dev zlib1g-dev
  libcurl4-openssl-dev
  chromium chromium-driver python3-selenium python3-requests zbar-tools
  fonts-noto-cjk nghttp2-client nginx-light
  etcd-server etcd-client golang-etcd-server-dev golang-github-gogo-protobuf-dev
  golang-github-gogo-googleapis-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "certreg: installing missing packages: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "certreg: run as root (or install sudo) to install: ${missing[*]}" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "certreg: packages installed" >&2
