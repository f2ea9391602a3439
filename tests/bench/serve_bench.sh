#!/usr/bin/env bash
# `folio serve` benchmark (not a test). Usage: tests/bench/serve_bench.sh [MODEL.gguf] [PROMPT_TOKENS] [SECONDS]
# Time to the first token of a question after a long cached prompt against the same with --no-cache, and
# requests/s for short prompts (serve_bench.mjs). Without MODEL it writes a tiny random qwen35 model with a chat
# template and a context of 40,960 tokens.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(bash scripts/build.sh | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
model=${1:-}
if [ -z "$model" ]; then
  model="$work/tiny-chat.gguf"
  "$build/tests/bench/write_tiny_model" "$model" --variant qwen35 --context 40960
fi
node tests/bench/serve_bench.mjs "$build/app/folio" "$model" "${2:-32768}" "${3:-10}"
