#!/usr/bin/env bash
# The worlds report (Evaluation/reports/worlds): for each world of Evaluation/configs/worlds/
# (WORLD.args = the simulator's settings), a store with the bundled papers and a simulated log,
# then `compare --config` of WORLD-hidden.json and WORLD-logged.json, then the summary table.
# Needs the demo's topic model (make demo). About 2–3 minutes a world on 2 cores (release build).
set -euo pipefail
BIN=${1:-.build/release/paperfeed}
MODEL=${MODEL:-Models/demo}
mkdir -p out/worlds
for args in Evaluation/configs/worlds/*.args; do
  w=$(basename "$args" .args)
  db=out/worlds/$w.sqlite
  rm -f "$db" "$db-wal" "$db-shm"
  echo "== world $w: $(cat "$args")"
  "$BIN" ingest papers Data/seed/dailypapers-000_bf214649806cd60e.txt --format dailypapers --listing-date 2026-03-13 --db "$db" --quiet
  "$BIN" ingest papers Data/arxiv/arxiv-2025-03.jsonl.gz Data/arxiv/arxiv-2025-04.jsonl.gz Data/arxiv/arxiv-2025-05.jsonl.gz \
    --format arxiv --db "$db" --quiet
  "$BIN" ingest upvotes Data/hf-daily-papers/upvote_observations.csv.gz --db "$db" --quiet
  # shellcheck disable=SC2046
  "$BIN" simulate --db "$db" --model "$MODEL" --readers 300 --days 30 --end 2025-06-01 $(cat "$args") \
    --qrels "out/worlds/$w.qrels" --daily-qrels "out/worlds/$w.daily.qrels" --quiet
  for j in hidden logged; do
    "$BIN" compare --config "Evaluation/configs/worlds/$w-$j.json" --quiet > /dev/null
  done
done
python3 scripts/worlds_summary.py
