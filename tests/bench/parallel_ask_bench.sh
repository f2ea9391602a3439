#!/usr/bin/env bash
# Several questions over one cached corpus through the `folio` executable (a benchmark, not a test). Usage:
#   tests/bench/parallel_ask_bench.sh [MODEL.gguf] [TOKENS]
# Writes a repository of generated text files of about TOKENS corpus tokens (default 40,000), ingests it, builds
# the corpus once, then for 1, 2, 4 and 8 questions runs `folio ask` with them all at once (--parallel N) and
# one after another (--parallel 1), each in a fresh process resuming the corpus from the disk cache, and reports
# wall time and peak RSS (/usr/bin/time) of each process. Without MODEL it writes a tiny random qwen3next model.
# Exits 1 unless every answer given at once equals the same question's answer given in turn. FOLIO_BUILD names
# a build folder that has folio and write_tiny_model, instead of building everything with scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${FOLIO_BUILD:-$(bash scripts/build.sh | tail -n 1)}
folio="$build/app/folio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
model=${1:-}
tokens=${2:-40000}
if [ -z "$model" ]; then
  model="$work/tiny-qwen3next.gguf"
  "$build/tests/bench/write_tiny_model" "$model" --variant qwen3next
fi
python3 - "$work/repo" "$tokens" <<'EOF_PY'
import os, random, sys
root, tokens = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
rng = random.Random(7)
words = ("the licensee pays fees within thirty days of each invoice and late fees accrue at one percent per month "
         "unless the licensor waives them in writing notice of termination must be given ninety days ahead").split()
# A file of 100 lines comes to about 7,700 tokens with the tiny models' vocabulary of few merges.
for f in range(max(1, round(tokens / 7700))):
    with open(os.path.join(root, f"terms{f:02d}.txt"), "w") as out:
        for line in range(100):
            out.write(f"{f}.{line} " + " ".join(rng.choice(words) for _ in range(18)) + ".\n")
EOF_PY
git -C "$work/repo" init -q && git -C "$work/repo" add -A && git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -qm corpus
ws="$work/ws"
"$folio" --workspace "$ws" ingest "$work/repo" >/dev/null
/usr/bin/time -f "%e %M" -o "$work/build.time" "$folio" --workspace "$ws" corpus build --model "$model" --json >"$work/build.json" 2>/dev/null
questions=("Who pays the fees?" "When do late fees accrue?" "What notice ends the agreement?" "Who may waive late fees?"
           "How often are invoices sent?" "What is the late fee rate?" "When must notice be given?" "What does the licensee owe?")
for n in 1 2 4 8; do
  for mode in together inturn; do
    parallel=$([ "$mode" = together ] && echo "$n" || echo 1)
    args=()
    for ((i = 0; i < n; ++i)); do args+=(--question "${questions[$i]}"); done
    /usr/bin/time -f "%e %M" -o "$work/$mode$n.time" "$folio" --workspace "$ws" ask --model "$model" -n 32 --parallel "$parallel" \
      "${args[@]}" --json >"$work/$mode$n.json" 2>/dev/null
  done
done

python3 - "$work" <<'EOF_PY'
import json, sys
w = sys.argv[1]
def timed(name):
    seconds, kib = open(f"{w}/{name}.time").read().split()
    return float(seconds), int(kib) / 1024
b = json.load(open(f"{w}/build.json"))
print(f"corpus: {b['documents']} documents, {b['tokens']} tokens; corpus build {timed('build')[0]:.1f} s")
print("questions  at once: wall s  peak RSS MiB  answer tokens | one after another: wall s  peak RSS MiB")
ok, one = True, None
for n in (1, 2, 4, 8):
    t, s = json.load(open(f"{w}/together{n}.json")), json.load(open(f"{w}/inturn{n}.json"))
    (tw, tm), (sw, sm) = timed(f"together{n}"), timed(f"inturn{n}")
    one = one or tm
    same = [a["answer"] for a in t["answers"]] == [a["answer"] for a in s["answers"]]
    ok = ok and same and t["computed_tokens"] == 0
    print(f"{n:9d}  {tw:15.2f}  {tm:12.1f}  {sum(a['tokens'] for a in t['answers']):13d} | {sw:22.2f}  {sm:12.1f}"
          f"{'' if same else '  ANSWERS DIFFER'}")
print(f"peak RSS, 8 at once / 1: {timed('together8')[1] / one:.3f}")
sys.exit(0 if ok else 1)
EOF_PY
