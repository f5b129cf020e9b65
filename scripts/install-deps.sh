#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, only when it is missing.
# Safe to run repeatedly; needs root (or sudo) on a Debian/Ubuntu machine.
set -euo pipefail

packages=(
  python3-grpcio   # an independent gRPC implementation for the interop tests
  prometheus       # promtool checks the metrics expositions; the server scrapes the mesh in tests and the demo
  chromium         # headless browser for the dashboard tests (driven by Playwright via /usr/bin/chromium)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q "${missing[@]}" >/tmp/mesh-install-deps.log 2>&1; then
  $SUDO apt-get update -q >>/tmp/mesh-install-deps.log 2>&1
  $SUDO apt-get install -y -q "${missing[@]}" >>/tmp/mesh-install-deps.log 2>&1 || {
    echo "install-deps: apt-get install ${missing[*]} failed; see /tmp/mesh-install-deps.log" >&2
    exit 1
  }
fi
