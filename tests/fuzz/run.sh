#!/usr/bin/env bash
# Builds the GGUF fuzzer with clang (libFuzzer, ASan, UBSan) and runs it for SECONDS (default 120) from the
# small seed corpus in corpus/. New inputs go to a scratch folder, so the committed corpus stays small.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-120}
command -v clang++ >/dev/null || { echo "run.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }
build="$here/../../build/fuzz"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$build/gguf_fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$scratch" "$here/corpus"
