#!/usr/bin/env bash
# Installs what is missing, builds Folio and runs the whole test suite with ctest.
# GPU tests report SKIPPED where no GPU is present.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(bash scripts/build.sh | tail -n 1)
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build" --output-on-failure -j 2 --timeout 600
