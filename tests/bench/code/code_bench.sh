#!/usr/bin/env bash
# Folio's code intelligence against precise oracles: clangd on a C repository, the TypeScript language service on a
# TypeScript one. Fetches nothing but the pinned typescript npm package; everything it writes goes under $WORK.
#
#   tests/bench/code/code_bench.sh C_REPO TS_REPO
#
# C_REPO: a git working copy of libuv (RESULTS.md: commit 6179e7af); its compile_commands.json is generated with
#         CMake into C_REPO/build unless it is there already. TS_REPO: a git working copy of hono (commit 28a9c128),
#         read through TS_REPO/tsconfig.spec.json (all of src/, tests included). Other repositories work if
#         C_COMPILE_COMMANDS (a folder) and TS_CONFIG say where their configuration is.
# Needs: clangd (Debian's clangd 14 was used), cmake, gcc, universal-ctags, node, /usr/bin/python3, git.
# Environment: FOLIO (default build/dev/app/folio), WORK (default $TMPDIR/folio-code-bench), SEED, CANDIDATES (900),
#              REFS (80), COMPLETE (300), CLEAN (40), TS_VERSION (5.9.3), COMPLETION_ONLY (set: completion alone, the
#              same sample, no oracle questions).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
C_REPO="$(realpath "${1:?C repository}")"
TS_REPO="$(realpath "${2:?TypeScript repository}")"
FOLIO="${FOLIO:-$root/build/dev/app/folio}"
WORK="${WORK:-${TMPDIR:-/tmp}/folio-code-bench}"
mkdir -p "$WORK"
# A copy: the build folder may be relinked while the benchmark runs.
cp "$FOLIO" "$WORK/folio" && FOLIO="$WORK/folio"
TS_VERSION="${TS_VERSION:-5.9.3}"
C_COMPILE_COMMANDS="${C_COMPILE_COMMANDS:-$C_REPO/build}"
TS_CONFIG="${TS_CONFIG:-$TS_REPO/tsconfig.spec.json}"
common=(--seed "${SEED:-20240611}" --candidates "${CANDIDATES:-900}" --refs "${REFS:-80}"
        --complete "${COMPLETE:-300}" --clean "${CLEAN:-40}" --folio "$FOLIO" --scratch "$WORK/scratch"
        ${COMPLETION_ONLY:+--completion-only})
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$WORK/out"

if [ ! -d "$WORK/typescript/node_modules/typescript" ]; then
    mkdir -p "$WORK/typescript"
    (cd "$WORK/typescript" && npm init -y >/dev/null && npm install --no-audit --no-fund --save-exact "typescript@$TS_VERSION" >/dev/null)
fi
if [ ! -f "$C_COMPILE_COMMANDS/compile_commands.json" ]; then
    cmake -S "$C_REPO" -B "$C_COMPILE_COMMANDS" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DLIBUV_BUILD_TESTS=ON >/dev/null
fi

for lang in c ts; do
    repo=$C_REPO; [ $lang = ts ] && repo=$TS_REPO
    rm -rf "$WORK/ws-$lang"
    start=$(date +%s.%N)
    "$FOLIO" --workspace "$WORK/ws-$lang" ingest "$repo" >/dev/null 2>&1 || true   # status 1 when files are skipped
    echo "[$lang] folio ingest: $(echo "$(date +%s.%N) - $start" | bc) s, commit $(git -C "$repo" rev-parse HEAD)" >&2
done

/usr/bin/python3 "$here/code_accuracy.py" --lang c --repo "$C_REPO" --compile-commands "$C_COMPILE_COMMANDS" \
    --ws "$WORK/ws-c" --out "$WORK/out" "${common[@]}" | tee "$WORK/out/c.md"
/usr/bin/python3 "$here/code_accuracy.py" --lang ts --repo "$TS_REPO" --tsconfig "$TS_CONFIG" \
    --typescript "$WORK/typescript/node_modules/typescript" --ws "$WORK/ws-ts" --out "$WORK/out" "${common[@]}" \
    | tee "$WORK/out/ts.md"
echo "Cases: $WORK/out/c.json, $WORK/out/ts.json; summaries: $WORK/out/c.md, $WORK/out/ts.md" >&2
