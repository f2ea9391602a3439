#!/usr/bin/env bash
# Installs what is missing and builds Folio with Ninja. Uses the `ci` preset when CI=true (one CUDA architecture),
# else `dev`. Prints the build folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >&2
preset=dev
[ "${CI:-}" = "true" ] && preset=ci
cmake --preset "$preset" >&2
cmake --build --preset "$preset" >&2
echo "build/$preset"
