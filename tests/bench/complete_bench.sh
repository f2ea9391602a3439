#!/usr/bin/env bash
# Code completion with the repository's cached state through the `folio` executable (a benchmark, not a test).
# Usage:
#   tests/bench/complete_bench.sh [TOKENS]
# Writes (once, in the temp folder) the 0.8B-shaped random model of engine_bench with Qwen3's real vocabulary,
# which has the fill-in-the-middle tokens; makes a repository of about TOKENS corpus tokens (default 100,000) from
# Folio's own C++ sources at HEAD, ingests it, then times `folio complete FILE:LINE:COL --model M --json` three
# times, each in a new process: cold (prefills the repository and caches it), at another file and position
# (resumes from the cache) and at that position with --no-cache (the repository from scratch). Reports the time
# to the first token of each, their ratio cached / from scratch (the goal: under 5%) and peak RSS. Exits 1 unless
# all three use the fill-in-the-middle form and the cached run resumes at the corpus end. FOLIO_BUILD names a
# build folder with folio and engine_bench instead of building everything with scripts/build.sh; MODEL names a
# model to use instead; THREADS (default 2) sets --threads.
set -euo pipefail
cd "$(dirname "$0")/../.."
tokens=${1:-100000}
threads=${THREADS:-2}
build=${FOLIO_BUILD:-$(bash scripts/build.sh | tail -n 1)}
folio="$build/app/folio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
model=${MODEL:-$(dirname "$(mktemp -u)")/folio-complete-bench-qwen35-0.8b-qwen3-vocabulary-Q8_0.gguf}
if [ ! -f "$model" ]; then
  echo "writing $model ..." >&2
  "$build/tests/bench/engine_bench" --write-model "$model.part" --type Q8_0
  mv "$model.part" "$model"
fi

# C++ from Folio's own tree, in path order, up to about TOKENS tokens at 3.7 bytes a token (Qwen3's vocabulary
# on this code); prints the two completion points: the first file's line 20 and the last file's line 40.
git ls-files -z -- '*.cpp' '*.h' | python3 -c '
import os, shutil, sys
root, budget = sys.argv[1], int(sys.argv[2]) * 3.7
chosen, size = [], 0
for path in sorted(p for p in sys.stdin.read().split("\0") if p):
    if size >= budget:
        break
    with open(path, encoding="utf-8", errors="replace") as f:
        if f.read().count("\n") < 60:
            continue
    os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
    shutil.copyfile(path, os.path.join(root, path))
    chosen.append(path)
    size += os.path.getsize(path)
print(f"{len(chosen)} files, {size} bytes", file=sys.stderr)
print(f"{chosen[0]}:20:1 {chosen[-1]}:40:1")
' "$work/repo" "$tokens" >"$work/points"
read -r cold_point cached_point <"$work/points"
git -C "$work/repo" init -q && git -C "$work/repo" add -A && git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -qm corpus
ws="$work/ws"
"$folio" --workspace "$ws" ingest --no-code-index "$work/repo" >/dev/null

run() {  # name, then folio arguments; JSON to $work/name.json, peak RSS (KiB) to $work/name.rss
  local name=$1
  shift
  echo "$name: folio complete $*" >&2
  /usr/bin/time -f "%M" -o "$work/$name.rss" "$folio" --workspace "$ws" complete "$@" --model "$model" --json -n 8 \
    --threads "$threads" >"$work/$name.json" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
}
run cold "$cold_point"
run cached "$cached_point"
run scratch "$cached_point" --no-cache

python3 - "$work" <<'EOF_PY'
import json, sys
w = sys.argv[1]
runs = {n: json.load(open(f"{w}/{n}.json")) for n in ("cold", "cached", "scratch")}
rss = {n: int(open(f"{w}/{n}.rss").read().split()[-1]) / 1024 for n in runs}
print(f"corpus: {runs['cold']['corpus_documents']} files, {runs['cold']['corpus_tokens']} tokens")
print("run      path                                      TTFT s  resumed at  computed  prompt  peak RSS MiB  form")
for n, r in runs.items():
    print(f"{n:8} {r['path'][-40:]:40} {r['time_to_first_token_seconds']:7.2f}  {r['resumed_at']:10}  {r['computed_tokens']:8}"
          f"  {r['prompt_tokens']:6}  {rss[n]:12.0f}  {r['form']}")
ratio = runs["cached"]["time_to_first_token_seconds"] / runs["scratch"]["time_to_first_token_seconds"]
print(f"time to first token, cached / from scratch: {ratio:.4f} (goal: under 0.05)")
ok = all(r["form"] == "fill-in-the-middle" for r in runs.values())
ok = ok and runs["cached"]["resumed_at"] == runs["cached"]["corpus_tokens"]
sys.exit(0 if ok else 1)
EOF_PY
