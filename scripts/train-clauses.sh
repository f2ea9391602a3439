#!/usr/bin/env bash
# Retrains the clause model Folio ships (resources/clauses/cuad-clause-model.bin) on CUAD's training part, read
# from the PDFs the way users' contracts are read. Usage:
#   scripts/train-clauses.sh [CUAD_FOLDER]            (default ../shared/data/cuad)
# One contract in five (by file name) is never trained on: tests/bench/cuad_bench.sh scores the model there.
# Settings were chosen on a development fifth of the training part (train_clauses --hold-out-development, then
# cuad_eval --part development); rebuild afterwards so the new model is compiled in.
set -euo pipefail
cd "$(dirname "$0")/.."
cuad=${1:-../shared/data/cuad}
if [ ! -f "$cuad/labels.jsonl" ]; then
  echo "train-clauses: no CUAD data at $cuad (labels.jsonl and pdf/ are expected there)" >&2
  exit 2
fi
build=$(bash scripts/build.sh | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
"$build/app/folio" --workspace "$work/ws" ingest "$cuad/pdf" >&2
"$build/tools/train_clauses" --workspace "$work/ws" --cuad "$cuad" --out resources/clauses/cuad-clause-model.bin
cmake --build "$build" >&2
echo "train-clauses: wrote resources/clauses/cuad-clause-model.bin; score it with tests/bench/cuad_bench.sh"
