#!/usr/bin/env bash
# Installs the Debian 12 packages Folio builds, tests and runs with. Safe to run again: apt skips what is there.
# CUDA and NCCL are not Debian packages; CMake finds them under /usr/local/cuda when present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libgl-dev
  libpoppler-cpp-dev libgit2-dev libsqlite3-dev
  nlohmann-json3-dev libcli11-dev libpcre2-dev libzstd-dev libxlsxwriter-dev
  poppler-utils fonts-dejavu-core xvfb xauth bc time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "folio: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
