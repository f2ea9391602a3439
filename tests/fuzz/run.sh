#!/usr/bin/env bash
# Builds a fuzzer with clang (libFuzzer, ASan, UBSan) and runs it for SECONDS (default 120) from its small seed
# corpus (corpus/ for gguf, chat-corpus/ for chat, request-corpus/ for the bodies `folio serve` accepts). New inputs go to a scratch folder, so the committed corpus
# stays small. The chat fuzzer runs on the Qwen3 vocabulary that the main build's ctest chat_fuzz_vocabulary
# writes: FOLIO_BUILD names that build (default build/dev).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: run.sh gguf|chat|request [SECONDS]}
seconds=${2:-120}
command -v clang++ >/dev/null || { echo "run.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }
build="$here/../../build/fuzz"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case "$target" in
gguf) "$build/gguf_fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$scratch" "$here/corpus" ;;
chat)
    main=${FOLIO_BUILD:-$here/../../build/dev}
    vocabulary="$main/tests/qwen3-vocabulary.gguf"
    [ -f "$vocabulary" ] || ctest --test-dir "$main" -R chat_fuzz_vocabulary >/dev/null
    FOLIO_FUZZ_VOCABULARY="$vocabulary" "$build/chat_fuzzer" -max_total_time="$seconds" -max_len=4096 \
        -print_final_stats=1 "$scratch" "$here/chat-corpus" ;;
request) "$build/request_fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$scratch" "$here/request-corpus" ;;
*) echo "run.sh: unknown fuzzer '$target' (gguf, chat or request)" >&2; exit 2 ;;
esac
