#!/usr/bin/env bash
# kill -9 in the middle of `rerank`, rerun, and compare with an uninterrupted run.
# Usage: scripts/rerank-crash-test.sh [BIN] [DB] [MODEL]   (defaults: the demo's outputs)
set -euo pipefail
BIN=${1:-.build/release/paperfeed}
DB=${2:-out/demo.sqlite}
MODEL=${3:-Models/demo}
T=$(mktemp -d)
cp "$DB" "$T/base.sqlite"
# More readers, so that the run takes long enough to be killed half-way.
"$BIN" simulate --db "$T/base.sqlite" --model "$MODEL" --readers 3000 --days 5 --seed 11 --end 2025-06-01 >/dev/null 2>&1
cp "$T/base.sqlite" "$T/a.sqlite"; cp "$T/base.sqlite" "$T/b.sqlite"
ARGS=(--model "$MODEL" --as-of 2025-06-01 --k 100 --chunk 1)
"$BIN" rerank --db "$T/a.sqlite" "${ARGS[@]}" --out "$T/uninterrupted.jsonl" >/dev/null 2>&1
"$BIN" rerank --db "$T/b.sqlite" "${ARGS[@]}" --out "$T/resumed.jsonl" >/dev/null 2>"$T/first.err" &
pid=$!
# Kill once some readers are stored but before the run completes.
for _ in $(seq 1 400); do
  if grep -q "ranked [1-9][0-9]*/" "$T/first.err" 2>/dev/null; then break; fi
  sleep 0.002
done
sleep 1

kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
echo "killed with -9 after: $(grep ranked "$T/first.err" | tail -1); output file present: $([ -f "$T/resumed.jsonl" ] && echo yes || echo no)"
"$BIN" rerank --db "$T/b.sqlite" "${ARGS[@]}" --out "$T/resumed.jsonl" --json
if cmp -s "$T/uninterrupted.jsonl" "$T/resumed.jsonl"; then
  echo "IDENTICAL: resumed output equals the uninterrupted run ($(wc -l < "$T/resumed.jsonl") readers, $(sha256sum < "$T/resumed.jsonl" | cut -c1-16))"
else
  echo "DIFFERENT"; exit 1
fi
