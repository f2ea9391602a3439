#!/usr/bin/env bash
# Contract-analysis benchmark (not a test). Usage:
#   tests/bench/cuad_bench.sh [CUAD_FOLDER]            (default ../shared/data/cuad)
# 1. Ingests all CUAD PDFs into a fresh workspace and runs `folio analyze` on all of them: wall time and peak RSS.
# 2. Scores the built-in clause model on the validation fifth it was not trained on, with the CUAD paper's metric
#    (tests/bench/cuad_eval: AUPR, precision at 80% and 90% recall, per category).
# 3. Counts cross-references found and resolved over the whole set, and scores resolution against ~200 references
#    labelled by hand (xref_labels.tsv), a second held-out sample of 92 (xref_labels_2.tsv) and a third of 165 from
#    the development contracts (xref_labels_3.tsv), scored overall and by reference kind by xref_eval.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
cuad=${1:-../shared/data/cuad}
if [ ! -f "$cuad/labels.jsonl" ]; then
  echo "cuad_bench: no CUAD data at $cuad (labels.jsonl and pdf/ are expected there)" >&2
  exit 2
fi
build=$(bash scripts/build.sh | tail -n 1)
folio="$build/app/folio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
seconds() { date +%s.%N; }

"$folio" --workspace "$work/ws" ingest "$cuad/pdf" >/dev/null
t0=$(seconds)
/usr/bin/time -f "%M" -o "$work/rss" "$folio" --workspace "$work/ws" analyze --json >"$work/analyze.json"
t1=$(seconds)
printf 'folio analyze: %s contracts in %.1f s, peak RSS %.0f MiB, %d cores\n' \
  "$(python3 -c "import json; print(json.load(open('$work/analyze.json'))['analysed'])")" "$(echo "$t1 - $t0" | bc -l)" \
  "$(echo "$(cat "$work/rss") / 1024" | bc -l)" "$(nproc)"
"$folio" --workspace "$work/ws" xrefs --json >"$work/xrefs.json"
python3 - "$work/xrefs.json" <<'PY'
import collections, json, sys
refs = json.load(open(sys.argv[1]))
resolved = sum(r["resolved"] for r in refs)
print(f"cross-references: {len(refs)} found, {resolved} resolved to a node of their contract")
reasons = collections.Counter(r.get("reason", "").split(" ")[0] + " " + r["kind"] for r in refs if not r["resolved"])
for reason, n in reasons.most_common(6):
    print(f"  unresolved {n}: {reason}")
PY
"$folio" --workspace "$work/ws" xrefs --json >"$work/xrefs.json"
echo "first sample (the analyser was fixed after looking at it):"
python3 tests/bench/xref_eval.py tests/bench/xref_labels.tsv <"$work/xrefs.json"
echo "second sample (held out, labelled after those fixes):"
python3 tests/bench/xref_eval.py tests/bench/xref_labels_2.tsv <"$work/xrefs.json"
echo "third sample (development contracts, labelled before the issue-21 fixes):"
python3 tests/bench/xref_eval.py tests/bench/xref_labels_3.tsv <"$work/xrefs.json"
echo
"$build/tests/bench/cuad_eval" --workspace "$work/ws" --cuad "$cuad"
