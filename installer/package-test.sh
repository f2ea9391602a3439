#!/usr/bin/env bash
# Builds the Debian package from an existing build folder (no rebuild), checks it (no RPATH, desktop entry,
# AppStream metainfo, lintian without errors), installs it with apt, runs the installed folio from a folder outside
# the checkout (--version, sample, ingest, analyze), removes it and checks that nothing of it is left in /usr.
# Usage: installer/package-test.sh BUILD_DIR. Needs root and apt; exits 77 (ctest: skipped) without them, or
# when a folio package is installed already (the test would replace and then remove it).
set -euo pipefail
build=$(cd "${1:?usage: package-test.sh BUILD_DIR}" && pwd)

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "the packaging test installs a package: run it as root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "no apt-get and dpkg here"
if dpkg-query -W -f='${Status}' folio 2>/dev/null | grep -q "install ok installed"; then
  skip "a folio package is installed on this machine; the test would replace and remove it"
fi

# The checkers, when missing (they are not needed to build Folio).
tools=(desktop-file-utils appstream lintian)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out=$(mktemp -d)
run=$(mktemp -d)  # outside the checkout and the build folder
cleanup() {
  if dpkg-query -W -f='${Status}' folio 2>/dev/null | grep -q "install ok installed"; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq folio >/dev/null || true
  fi
  rm -rf "$out" "$run"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log") || { cat "$out/cpack.log"; fail "cpack"; }
deb=$(ls "$out"/folio_*.deb)
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
dpkg-deb -f "$deb" Depends Recommends

echo "== Contents"
tree="$out/tree"
dpkg-deb -x "$deb" "$tree"
dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -v '/$'
for f in usr/bin/folio usr/share/man/man1/folio.1.gz usr/share/bash-completion/completions/folio \
         usr/share/doc/folio/copyright usr/share/doc/folio/changelog.gz \
         usr/share/icons/hicolor/scalable/apps/folio.svg; do
  [ -f "$tree/$f" ] || fail "the package has no /$f"
done
for size in 16 22 24 32 48 64 128 256; do
  png="$tree/usr/share/icons/hicolor/${size}x${size}/apps/folio.png"
  [ -f "$png" ] || fail "no ${size}x${size} icon"
  # The PNG header's width and height (big-endian, bytes 16 to 23).
  [ "$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }')" = "${size}x${size}" ] \
    || fail "$png is not ${size}x${size}"
done
if readelf -d "$tree/usr/bin/folio" | grep -E 'RPATH|RUNPATH'; then fail "the installed folio has an RPATH"; fi

echo "== desktop-file-validate, appstreamcli validate"
desktop-file-validate "$tree"/usr/share/applications/*.desktop
appstreamcli validate --no-net "$tree"/usr/share/metainfo/*.metainfo.xml

echo "== lintian"
lintian --tag-display-limit 0 "$deb" >"$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
if grep -q '^E:' "$out/lintian.txt"; then fail "lintian reports errors"; fi

echo "== apt-get install ./$(basename "$deb")"
before=$(mktemp)
find /usr -xdev | sort >"$before"
(cd "$out" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$(basename "$deb")" >"$out/apt.log" 2>&1) \
  || { cat "$out/apt.log"; fail "apt-get install"; }
[ "$(command -v folio)" = /usr/bin/folio ] || fail "folio is not /usr/bin/folio but $(command -v folio)"

echo "== The installed folio, from $run"
cd "$run"
# No source or build folder to fall back on: everything folio reads at run time is in the package.
export HOME="$run/home"
mkdir -p "$HOME"
folio --version | tee version.txt
grep -Eq '^folio [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}(-modified)?|unknown)\)$' version.txt \
  || fail "folio --version does not print the version and the commit"
folio sample contracts
folio --workspace ws ingest contracts
folio --workspace ws analyze --json >analyze.json
grep -q '"analysed": 3,' analyze.json || fail "analyze did not analyse the 3 sample contracts: $(cat analyze.json)"
folio --workspace ws clauses --category "Governing Law" | grep -q "Governing Law" || fail "no governing law clauses"
zcat /usr/share/man/man1/folio.1.gz | grep -q '^\.SS "folio analyze"' || fail "the man page has no analyze section"
cd /

echo "== apt-get remove folio"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq folio >/dev/null
after=$(mktemp)
find /usr -xdev | sort >"$after"
# New paths may belong to packages apt installed for folio; none may belong to no package.
left=""
while IFS= read -r path; do
  dpkg-query -S "$path" >/dev/null 2>&1 || left+=" $path"
done < <(comm -13 "$before" "$after")
rm -f "$before" "$after"
[ -z "$left" ] || fail "left in /usr after removal:$left"
dpkg-deb -c "$deb" | awk '{ print substr($6, 2) }' | grep -v '/$' | while IFS= read -r path; do
  [ ! -e "$path" ] || fail "$path is still there after removal"
done
echo "OK: built, checked, installed, ran and removed $(basename "$deb")"
