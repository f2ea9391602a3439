#!/usr/bin/env bash
# Ingest benchmark (not a test). Usage:
#   tests/bench/ingest_bench.sh [PDF_FOLDER] [REPOSITORY]
# PDF_FOLDER defaults to ../shared/data/cuad/pdf (408 real contracts). Reports pages/s and peak RSS for
# `folio ingest`, and `pdftotext -layout` over the same files in the same run, on as many parallel processes as
# cores, as the baseline: ratio = Folio pages/s / pdftotext pages/s. REPOSITORY (optional, a large git
# repository you have) is ingested at HEAD for files/s and MB/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
pdfs=${1:-../shared/data/cuad/pdf}
repo=${2:-}
if [ ! -d "$pdfs" ]; then
  echo "ingest_bench: no PDF folder at $pdfs (the CUAD data lives in ../shared/data/cuad)" >&2
  exit 2
fi
build=$(bash scripts/build.sh | tail -n 1)
folio="$build/app/folio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)
export QT_QPA_PLATFORM=offscreen

seconds() { date +%s.%N; }

echo "PDFs: $pdfs ($(find "$pdfs" -iname '*.pdf' | wc -l) files), $cores cores"
t0=$(seconds)
/usr/bin/time -f "%M" -o "$work/rss" "$folio" --workspace "$work/ws" ingest "$pdfs" --json >"$work/report.json" || true
t1=$(seconds)
pages=$(python3 -c "import json,sys; print(json.load(open('$work/report.json'))['pages'])")
problems=$(python3 -c "import json,sys; print(len(json.load(open('$work/report.json'))['problems']))")
folio_s=$(echo "$t1 - $t0" | bc -l)
rss_kb=$(cat "$work/rss")

mkdir -p "$work/txt"
t0=$(seconds)
find "$pdfs" -iname '*.pdf' -print0 | xargs -0 -P "$cores" -I{} sh -c 'pdftotext -layout "$1" "$2/$(basename "$1").txt" 2>/dev/null || true' _ {} "$work/txt"
t1=$(seconds)
base_s=$(echo "$t1 - $t0" | bc -l)

printf 'folio ingest:      %d pages in %.2f s = %.1f pages/s, peak RSS %.0f MiB, %d problems\n' \
  "$pages" "$folio_s" "$(echo "$pages / $folio_s" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$problems"
printf 'pdftotext -layout: %d pages in %.2f s = %.1f pages/s (%d parallel processes)\n' \
  "$pages" "$base_s" "$(echo "$pages / $base_s" | bc -l)" "$cores"
printf 'throughput ratio folio / pdftotext: %.2f (goal >= 1.5)\n' "$(echo "$base_s / $folio_s" | bc -l)"

if [ -n "$repo" ]; then
  files=$(git -C "$repo" ls-tree -r HEAD | wc -l)
  bytes=$(git -C "$repo" ls-tree -r -l HEAD | awk '$4 != "-" {s += $4} END {print s}')
  t0=$(seconds)
  /usr/bin/time -f "%M" -o "$work/rss-repo" "$folio" --workspace "$work/ws-repo" ingest "$repo" --json >"$work/repo.json" || true
  t1=$(seconds)
  s=$(echo "$t1 - $t0" | bc -l)
  printf 'repository %s: %d files, %.1f MB in %.2f s = %.0f files/s, %.1f MB/s, peak RSS %.0f MiB\n' \
    "$repo" "$files" "$(echo "$bytes / 1000000" | bc -l)" "$s" "$(echo "$files / $s" | bc -l)" \
    "$(echo "$bytes / 1000000 / $s" | bc -l)" "$(echo "$(cat "$work/rss-repo") / 1024" | bc -l)"
fi
