#!/usr/bin/env bash
# The offline guarantee: with no remote engine configured, Folio opens no network connection. The whole CLI
# flow (sample, ingest of PDFs and a repository, analyze, search, a question to a local model, a model
# completion, the code lookups) runs in a network namespace without interfaces (unshare -n), under strace, and
# must succeed with no connect() to an internet address. Exits 77 (skipped) where namespaces or strace are not
# available to this user.
#   FOLIO_EXECUTABLE=... FOLIO_WRITE_TINY_MODEL=... tests/offline/offline_cli.sh
set -uo pipefail
folio=${FOLIO_EXECUTABLE:?FOLIO_EXECUTABLE names the folio binary}
writer=${FOLIO_WRITE_TINY_MODEL:?FOLIO_WRITE_TINY_MODEL names write_tiny_model}
if ! unshare -n true 2>/dev/null; then echo "SKIP: this user cannot make a network namespace (unshare -n)"; exit 77; fi
if ! command -v strace >/dev/null; then echo "SKIP: strace is not installed"; exit 77; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen

mkdir -p "$work/repo"
printf 'int fee(int days) {\n    return days * 3;\n}\n' >"$work/repo/fees.c"
git -C "$work/repo" init -q
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=t -c user.email=t@localhost commit -qm one
"$writer" "$work/model.gguf" >/dev/null

# The trace must see an attempt when there is one: a shell connecting to the loopback port 9 in the namespace.
unshare -n strace -f -qq -e trace=connect -o "$work/trace" bash -c 'echo >/dev/tcp/127.0.0.1/9' 2>/dev/null
if ! grep -qE 'connect\([0-9]+, \{sa_family=AF_INET6?' "$work/trace"; then
  echo "FAIL: the trace did not see a connection attempt it should have seen"
  exit 1
fi

ws="$work/ws"
steps=(
  "sample $work/contracts"
  "ingest $work/contracts $work/repo"
  "analyze"
  "search governing law"
  "clauses"
  "def fees.c:2:16"
  "ask --model $work/model.gguf --threads 1 -n 4 Who pays?"
  "complete fees.c:2:12 --model $work/model.gguf --threads 1 -n 4"
)
failed=0
for step in "${steps[@]}"; do
  # shellcheck disable=SC2086
  if ! unshare -n strace -f -qq -e trace=connect -o "$work/trace" "$folio" --workspace "$ws" $step >"$work/out" 2>&1; then
    echo "FAIL: 'folio $step' did not succeed without a network:"
    tail -n 5 "$work/out"
    failed=1
  fi
  if grep -E 'connect\([0-9]+, \{sa_family=AF_INET6?' "$work/trace"; then
    echo "FAIL: 'folio $step' tried to connect to a network address (above)"
    failed=1
  fi
  echo "ok: folio $step ($(grep -c 'connect(' "$work/trace") connect calls, none to a network address)"
done
exit $failed
