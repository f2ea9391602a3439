#!/usr/bin/env bash
# Folio's main job on its built-in sample data: writes the sample contracts, ingests them and Folio's own
# repository into a fresh workspace, then shows what is there, searches it and prints a contract page.
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
echo "== Page 2 of the Master Services Agreement (running headers and footers marked)"
"$folio" --workspace "$workspace" show "Master Services Agreement" --page 2 --running-heads
echo
echo "Done. Open the workbench on this workspace with: $folio --workspace $workspace"
