#!/usr/bin/env bash
# Context-cache benchmark through the `folio` executable as a user runs it (not a test). Usage:
#   tests/bench/ask_bench.sh [MODEL.gguf] [REPOSITORY]
# Ingests the sample contracts (and REPOSITORY at HEAD, when given) into a new workspace, then runs
# `corpus build` cold, `corpus build` again, `ask --json` and `ask --no-cache --json`, and reports tokens/s of the
# cold build, where each later run resumed, what it computed, and the time to the first token with and without
# the cache. Without MODEL it writes a tiny random qwen3next model (context length 4,096, shorter than the
# corpus). SNAPSHOT_EVERY (default 4096) sets --snapshot-every. Exits 1 unless the second build and the cached
# ask resume at the corpus end, compute nothing of the corpus and give the uncached answer: cache_bench alone
# never saw that fail, since it does not run the CLI's corpus and its model's context covered the corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(bash scripts/build.sh | tail -n 1)
folio="$build/app/folio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
model=${1:-}
repo=${2:-}
every=${SNAPSHOT_EVERY:-4096}
if [ -z "$model" ]; then
  model="$work/tiny-qwen3next.gguf"
  "$build/tests/bench/write_tiny_model" "$model" --variant qwen3next
fi
ws="$work/ws"
"$folio" --workspace "$ws" sample "$work/contracts" >/dev/null
"$folio" --workspace "$ws" ingest "$work/contracts" >/dev/null
if [ -n "$repo" ]; then "$folio" --workspace "$ws" ingest "$repo" >/dev/null; fi

run() {  # name, then folio arguments; JSON to $work/name.json, peak RSS (KiB) to $work/name.rss
  local name=$1
  shift
  /usr/bin/time -f "%M" -o "$work/$name.rss" "$folio" --workspace "$ws" "$@" --json >"$work/$name.json" 2>"$work/$name.err"
}
corpus=(--model "$model" --snapshot-every "$every")
question=(-n 16 "What is the notice period for termination?")
run cold corpus build "${corpus[@]}"
run again corpus build "${corpus[@]}"
run ask ask "${corpus[@]}" "${question[@]}"
run slow ask "${corpus[@]}" --no-cache "${question[@]}"
grep -h "^warning" "$work"/cold.err | sort -u || true

python3 - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
j = {n: json.load(open(f"{w}/{n}.json")) for n in ("cold", "again", "ask", "slow")}
rss = {n: int(open(f"{w}/{n}.rss").read()) / 1024 for n in j}
c, a, q, s = j["cold"], j["again"], j["ask"], j["slow"]
print(f"corpus: {c['documents']} documents, {c['tokens']} tokens, {c['snapshot_points']} snapshot points")
print(f"corpus build (cold):  computed {c['computed_tokens']} tokens in {c['prefill_seconds']:.2f} s "
      f"({c['computed_tokens'] / max(c['prefill_seconds'], 1e-9):.1f} t/s), peak RSS {rss['cold']:.0f} MiB")
print(f"corpus build (again): resumed at {a['resumed_at']}, computed {a['computed_tokens']}, restore {a['restore_seconds']:.3f} s, "
      f"restore failures {a['restore_failures']}")
print(f"ask (cached):   resumed_at {q['resumed_at']} of corpus_tokens {q['corpus_tokens']}, computed_tokens {q['computed_tokens']}, "
      f"question {q['question_tokens']} tokens, first token after {q['time_to_first_token_seconds']:.3f} s, peak RSS {rss['ask']:.0f} MiB")
print(f"ask --no-cache: resumed_at {s['resumed_at']}, computed_tokens {s['computed_tokens']}, "
      f"first token after {s['time_to_first_token_seconds']:.3f} s, peak RSS {rss['slow']:.0f} MiB")
print(f"time to first token, cached / uncached: {100 * q['time_to_first_token_seconds'] / s['time_to_first_token_seconds']:.2f}%")
same = q["answer"] == s["answer"]
print(f"answers equal: {same}")
ok = (a["resumed_at"] == c["tokens"] and a["computed_tokens"] == 0 and q["resumed_at"] == q["corpus_tokens"]
      and q["computed_tokens"] == 0 and q["restore_failures"] == 0 and same)
if not ok:
    print("FAILED: a run did not resume at the corpus end, or the answers differ")
sys.exit(0 if ok else 1)
EOF
