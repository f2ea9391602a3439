#!/usr/bin/env bash
# Folio's main job on its built-in sample data: writes the sample contracts, ingests them and Folio's own
# repository into a fresh workspace (its code indexed), analyses the contracts (outline, defined terms,
# cross-references, clauses with the built-in model), then shows what is there, searches it, looks up a
# definition and the references of a symbol in Folio's code, compares the contracts with one of them, and prints
# a contract page.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(bash scripts/build.sh | tail -n 1)
folio="$build/app/folio"
workspace="$build/sample-workspace"
rm -rf "$workspace"
export QT_QPA_PLATFORM=offscreen

echo "== Writing the sample contracts"
"$folio" --workspace "$workspace" sample "$workspace/contracts"
echo
echo "== Ingesting the contracts and Folio's own repository"
"$folio" --workspace "$workspace" ingest "$workspace/contracts" .
echo
echo "== The workspace (first lines of 'folio ls')"
"$folio" --workspace "$workspace" ls > "$workspace/ls.txt"
head -n 25 "$workspace/ls.txt"
echo "   ... ($(wc -l < "$workspace/ls.txt") lines in all)"
echo
echo "== Search: termination notice"
"$folio" --workspace "$workspace" search termination notice --limit 5
echo
echo "== Search: WorkspaceStore"
"$folio" --workspace "$workspace" search WorkspaceStore --limit 3
echo
# FILE:LINE:COLUMN of the first occurrence of a text in one of Folio's files (1-based), for the code lookups.
position() { awk -v t="$2" -v f="$1" 'index($0, t) { print f ":" NR ":" index($0, t); exit }' "$1"; }
echo "== Code: symbols like 'rstprts' (fuzzy)"
"$folio" --workspace "$workspace" symbols rstprts --limit 5
echo
call=$(position app/src/corpus_runner.cpp "restoreFurthest(tokens")
echo "== Code: the definition of what $call calls"
"$folio" --workspace "$workspace" def "$call"
echo
definition=$(position engine/src/session.cpp "Session::restoreParts(")
echo "== Code: the references of Session::restoreParts (from $definition)"
"$folio" --workspace "$workspace" refs "${definition%:*}:$(( ${definition##*:} + 9 ))"
echo
echo "== Analysing the contracts (no model file needed)"
"$folio" --workspace "$workspace" analyze
echo
echo "== Clauses: contract x CUAD category matrix (best confidence in %)"
"$folio" --workspace "$workspace" clauses
echo
echo "== Governing law clauses, with their pages"
"$folio" --workspace "$workspace" clauses --category "Governing Law"
echo
echo "== Deviations from the Master Services Agreement (missing clauses, unusual values, different wording)"
"$folio" --workspace "$workspace" deviations --reference "Master Services" | head -n 30
echo
echo "== Outline of the commercial lease"
"$folio" --workspace "$workspace" outline "Commercial Lease"
echo
echo "== Defined terms of the Master Services Agreement"
"$folio" --workspace "$workspace" terms "Master Services Agreement"
echo
echo "== Cross-references of the software licence"
"$folio" --workspace "$workspace" xrefs > "$workspace/xrefs.txt"
sed -n '/Software License/,/^[^ ]/p' "$workspace/xrefs.txt" | head -n 15
"$folio" --workspace "$workspace" clauses --format xlsx --output "$workspace/clauses.xlsx"
echo
echo "== Page 2 of the Master Services Agreement (running headers and footers marked)"
"$folio" --workspace "$workspace" show "Master Services Agreement" --page 2 --running-heads
echo
echo "Done. Open the workbench on this workspace with: $folio --workspace $workspace"
