#!/usr/bin/env bash
# The whole PaperFeed path on the bundled data (see README "Demo"):
# ingest -> stats -> fit -> simulate readers -> learn the ranker -> rerank everyone -> one reader's
# top 10 -> evaluation.
set -euo pipefail
BIN=${1:-.build/release/paperfeed}
DB=${2:-out/demo.sqlite}
MODEL=${MODEL:-Models/demo}
OUT=$(dirname "$DB")
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"
step() { printf '\n== %s\n' "$*"; }

step "ingest: a Daily Papers page, three months of arXiv cs listings, Hugging Face upvote counts"
"$BIN" ingest papers Data/seed/dailypapers-000_bf214649806cd60e.txt --format dailypapers --listing-date 2026-03-13 --db "$DB"
"$BIN" ingest papers Data/arxiv/arxiv-2025-03.jsonl.gz Data/arxiv/arxiv-2025-04.jsonl.gz Data/arxiv/arxiv-2025-05.jsonl.gz --format arxiv --db "$DB"
"$BIN" ingest upvotes Data/hf-daily-papers/upvote_observations.csv.gz --db "$DB"
step "ingest again: nothing changes"
"$BIN" ingest papers Data/arxiv/arxiv-2025-05.jsonl.gz --format arxiv --db "$DB"

step "stats"
"$BIN" stats --db "$DB"

step "fit the topic model (TF-IDF + truncated SVD, 128 dims)"
"$BIN" fit --db "$DB" --model "$MODEL" --dims 128
"$BIN" topics --model "$MODEL" --top 8 --components 8
"$BIN" similar 2503.11677 --db "$DB" --model "$MODEL" --k 5

step "simulate 300 synthetic readers over May 2025 (SYNTHETIC logs and upvote counts; a paper is listed 3 days)"
"$BIN" simulate --db "$DB" --model "$MODEL" --readers 300 --days 30 --seed 7 --feed-window-days 3 --end 2025-06-01 \
  --out "$OUT/demo-events.jsonl" --qrels "$OUT/demo-hidden.qrels" --daily-qrels "$OUT/demo-hidden-daily.qrels" \
  --observations "$OUT/demo-upvotes.csv"

step "learn the ranker from the logged impressions, reads and skips before 2025-06-01 (attached to the model)"
"$BIN" learn --db "$DB" --model "$MODEL" --as-of 2025-06-01 --config Evaluation/ranking/demo.json

step "nightly re-rank of every reader as of 2025-06-01 with the learned ranker"
"$BIN" rerank --db "$DB" --model "$MODEL" --as-of 2025-06-01 --k 100 --config Evaluation/ranking/demo.json \
  --out "$OUT/demo-lists.jsonl" --trec "$OUT/demo-run.trec"

step "one reader's top 10, explained"
"$BIN" recommend --db "$DB" --model "$MODEL" --as-of 2025-06-01 --user sim-u000 --k 10 --explain \
  --config Evaluation/ranking/demo.json

if [ -f Evaluation/configs/demo.json ]; then
  step "evaluation: the learned ranker, the hand-set blend, each single signal and baselines on an as-of replay of the simulated logs"
  "$BIN" evaluate --config Evaluation/configs/demo.json
fi
