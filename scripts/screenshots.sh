#!/usr/bin/env bash
# Regenerates docs/screenshots/, the images of the user guide (docs/guide/): builds folio and the UI tests that
# save screenshots, and runs them in a real X window (Xvfb, 1600x1000) with FOLIO_SCREENSHOT_DIR=docs/screenshots.
# Each test saves what the user sees at a step of its workflow. tst_userguide fails when the guide does not show
# an image a test saves, or shows one no test saves.
#   bash scripts/screenshots.sh            (CI=true: the ci preset, as scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# Each entry: a test executable, then the test functions that save screenshots where it has others that take long.
runs=(tst_mainwindow tst_codenavigation tst_deviationsview tst_enginedock
      "tst_askdock streamsAnAnswerAndKeepsIt citationsOpenThePageOrLines" tst_settingsdialog)
tests=()
for run in "${runs[@]}"; do tests+=("${run%% *}"); done
bash scripts/install-deps.sh >&2
preset=dev
[ "${CI:-}" = "true" ] && preset=ci
cmake --preset "$preset" >&2
cmake --build --preset "$preset" --target folio "${tests[@]}" >&2
build="build/$preset"

export QT_QPA_PLATFORM=xcb FOLIO_EXECUTABLE="$PWD/$build/app/folio" FOLIO_SCREENSHOT_DIR="$PWD/docs/screenshots"
for run in "${runs[@]}"; do
  read -r test functions <<<"$run"
  echo "== $run"
  # shellcheck disable=SC2086 # the function names are words
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/$test" -silent $functions
done
echo "Saved in docs/screenshots/; git status shows which changed."
