#!/usr/bin/env bash
# Code index benchmark (not a test). Usage:
#   tests/bench/code_index_bench.sh [REPOSITORY ...]
# For each repository (default: Folio's own, and a "system" repository made once in $TMPDIR from /usr/include and
# /usr/lib/python3 as one commit), in a scratch clone: `folio ingest --no-code-index` and `folio ingest` into
# fresh workspaces (wall time, files/s, MB/s, peak RSS, and the ratio: what indexing adds to ingest), the index's
# size, then one file changed and committed: the re-ingest that indexes it again. FOLIO may name the binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
folio=${FOLIO:-}
if [ -z "$folio" ]; then folio="$(bash scripts/build.sh | tail -n 1)/app/folio"; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
repos=("$@")
if [ ${#repos[@]} -eq 0 ]; then
  system=${TMPDIR:-/tmp}/folio-bench-system-repo
  if [ ! -d "$system/.git" ]; then
    echo "making $system from /usr/include and /usr/lib/python3 (once)" >&2
    rm -rf "$system"
    mkdir -p "$system"
    cp -r /usr/include "$system/include"
    cp -r /usr/lib/python3 "$system/python3"
    git -C "$system" init -q
    git -C "$system" add -A
    git -C "$system" -c user.name=bench -c user.email=bench@localhost commit -qm system
  fi
  repos=("$PWD" "$system")
fi

seconds() { date +%s.%N; }
for repo in "${repos[@]}"; do
  clone="$work/clone"
  rm -rf "$clone" "$work"/ws-*
  git clone -q "$repo" "$clone"
  for mode in plain indexed; do
    args=()
    [ "$mode" = plain ] && args=(--no-code-index)
    t0=$(seconds)
    /usr/bin/time -f "%M" -o "$work/$mode.rss" "$folio" --workspace "$work/ws-$mode" ingest "$clone" "${args[@]}" --json >"$work/$mode.json" || true
    t1=$(seconds)
    echo "$t1 - $t0" | bc -l >"$work/$mode.seconds"
  done
  # One file changed: the first indexed source file, a line appended.
  changed=$(python3 - "$work/ws-indexed/workspace.sqlite" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT d.path FROM code_files f JOIN documents d ON d.id = f.document_id "
                 "WHERE f.skipped = '' AND f.grammar NOT IN ('ctags', 'bash') ORDER BY d.size DESC LIMIT 1").fetchone()
print(row[0])
EOF
)
  printf '\n' >>"$clone/$changed"
  git -C "$clone" -c user.name=bench -c user.email=bench@localhost commit -qam "one file changed"
  t0=$(seconds)
  "$folio" --workspace "$work/ws-indexed" ingest "$clone" --json >"$work/again.json"
  t1=$(seconds)
  again=$(echo "$t1 - $t0" | bc -l)
  python3 - "$work" "$repo" "$changed" "$again" <<'EOF'
import json, sqlite3, sys
w, repo, changed, again = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
r = {m: json.load(open(f"{w}/{m}.json")) for m in ("plain", "indexed", "again")}
t = {m: float(open(f"{w}/{m}.seconds").read()) for m in ("plain", "indexed")}
rss = {m: int(open(f"{w}/{m}.rss").read()) / 1024 for m in ("plain", "indexed")}
db = sqlite3.connect(f"{w}/ws-indexed/workspace.sqlite")
one = lambda q: db.execute(q).fetchone()[0]
files = r["indexed"]["added"]
code_files = one("SELECT count(*) FROM code_files")
mb = r["indexed"]["bytes_read"] / 1e6
by_ctags = one("SELECT count(*) FROM code_files WHERE grammar = 'ctags'")
skipped = one("SELECT count(*) FROM code_files WHERE skipped != ''")
broken = one("SELECT count(*) FROM code_files WHERE syntax_errors > 0")
print(f"== {repo}: {files} files, {mb:.1f} MB read; {code_files} indexed as code "
      f"({by_ctags} by ctags, {skipped} skipped, {broken} with syntax errors)")
print(f"ingest without code index: {t['plain']:.2f} s = {files / t['plain']:.0f} files/s, {mb / t['plain']:.1f} MB/s, peak RSS {rss['plain']:.0f} MiB")
print(f"ingest with code index:    {t['indexed']:.2f} s = {files / t['indexed']:.0f} files/s, {mb / t['indexed']:.1f} MB/s, peak RSS {rss['indexed']:.0f} MiB")
print(f"indexing adds {100 * (t['indexed'] / t['plain'] - 1):.0f}% to ingest (ratio {t['indexed'] / t['plain']:.2f}; goal: at most 2)")
print(f"index: {one('SELECT count(*) FROM code_symbols')} symbols, {one('SELECT count(*) FROM code_references')} references, "
      f"{one('SELECT count(*) FROM code_imports')} imports")
print(f"one file changed ({changed}): re-ingest {again:.3f} s, {r['again']['updated']} updated, {r['again']['blobs_read']} blobs read (goal: under 1 s)")
EOF
done
