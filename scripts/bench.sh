#!/usr/bin/env bash
# make bench: PaperFeed's benchmarks (release build) side by side with the peer references of
# ../shared/bench run on the same inputs in the same session. Ratios, not absolute seconds,
# are what to compare (the machine is shared). Output: bench-out/bench-<date>.log
set -uo pipefail
BIN=${1:-.build/release/paperfeed}
BENCH=$(dirname "$BIN")/paperfeed-bench
# Line-buffered output through the tee below (the scaling suite runs for minutes).
command -v stdbuf >/dev/null && BENCH_RUN=(stdbuf -oL "$BENCH") || BENCH_RUN=("$BENCH")
PEERS=${PEERS:-../shared/bench}
SUITES=${SUITES:-ingest scaling fit rerank learn metrics synthetic}
mkdir -p bench-out
LOG=bench-out/bench-$(date -u +%Y%m%dT%H%M%SZ).log
exec > >(tee "$LOG") 2>&1
echo "PaperFeed benchmarks, $(date -u), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
swift build -c release --product paperfeed-bench >/dev/null || exit 1
have_peers=0
if [ -d "$PEERS" ]; then
  python3 -c "import sklearn, ranx, pytrec_eval" 2>/dev/null || pip install -q scikit-learn ranx pytrec_eval-terrier || true
  python3 -c "import sklearn, ranx, pytrec_eval" 2>/dev/null && have_peers=1
fi
peer() { if [ "$have_peers" = 1 ]; then echo "-- peer: $*"; python3 "$@"; else echo "-- peer skipped (no $PEERS or pip packages): $*"; fi; }

for s in $SUITES; do
  echo; echo "== $s"
  case $s in
    fit)
      "${BENCH_RUN[@]}" fit
      peer "$PEERS/peer_tfidf_svd.py" Data/arxiv/*.jsonl.gz --runs 3 ;;
    rerank)
      "${BENCH_RUN[@]}" rerank
      peer "$PEERS/peer_scoring.py" --users 10000 --items 50000 --dim 128 --k 100 --runs 3
      peer "$PEERS/peer_scoring.py" --users 100000 --items 20000 --dim 128 --k 100 --runs 3 ;;
    metrics)
      T=$(mktemp -d)
      peer "$PEERS/peer_ndcg.py" --queries 10000 --depth 100 --runs 5 --write-trec "$T"
      PAPERFEED_BENCH_TREC=$T "${BENCH_RUN[@]}" metrics ;;
    scaling) PAPERFEED_BIN="$BIN" "${BENCH_RUN[@]}" scaling ;;
    *) "${BENCH_RUN[@]}" "$s" ;;
  esac
done
echo; echo "log: $LOG"
