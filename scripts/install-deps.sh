#!/usr/bin/env bash
# Installs the Debian 12 packages Folio builds, tests and runs with, and fetches the npm packages it builds from
# (scripts/npm-packages.txt: tree-sitter and its grammars, the openai client for tests, pinned and checked) into
# the dependency cache outside the source tree (FOLIO_DEPS_DIR, default ~/.cache/folio-deps), where CMake finds
# them. Safe to run again: what is there already is kept. CUDA and NCCL are not Debian packages; CMake finds them under
# /usr/local/cuda when present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libgl-dev
  libpoppler-cpp-dev libgit2-dev libsqlite3-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-eng
  nlohmann-json3-dev libcli11-dev libpcre2-dev libzstd-dev libxlsxwriter-dev
  libcpp-httplib-dev libcurl4-openssl-dev
  poppler-utils fonts-dejavu-core xvfb xauth bc time universal-ctags strace util-linux
  help2man librsvg2-bin file
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
updated=false
apt_install() {
  if [ "$updated" = false ]; then
    "${sudo_cmd[@]}" apt-get update -qq
    updated=true
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}
if [ ${#missing[@]} -gt 0 ]; then
  echo "folio: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi
# Debian's npm package brings npm and node; a machine with another Node.js that has npm keeps it.
if ! command -v npm >/dev/null; then
  echo "folio: installing npm"
  apt_install npm
fi

here=$(cd "$(dirname "$0")" && pwd)
deps=${FOLIO_DEPS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/folio-deps}
mkdir -p "$deps/npm"
while read -r name version sha512; do
  case "$name" in ''|'#'*) continue ;; esac
  tarball="$deps/npm/$(echo "${name#@}" | tr / -)-$version.tgz"
  if [ -f "$tarball" ] && [ "$(sha512sum "$tarball" | cut -d' ' -f1)" = "$sha512" ]; then continue; fi
  echo "folio: fetching $name@$version with npm pack"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  got=$(ls "$tmp"/*.tgz)
  if [ "$(sha512sum "$got" | cut -d' ' -f1)" != "$sha512" ]; then
    echo "folio: $name@$version: the tarball's SHA-512 is not the one pinned in scripts/npm-packages.txt" >&2
    rm -rf "$tmp"
    exit 1
  fi
  mv "$got" "$tarball"
  rm -rf "$tmp"
done <"$here/npm-packages.txt"
