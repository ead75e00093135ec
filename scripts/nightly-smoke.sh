#!/usr/bin/env bash
# Five nights of `paperfeed nightly` on the bundled arXiv listings (docs/outputs.md "nightly"):
#   A: nights 1-5 uninterrupted; B: the same, with a kill -9 in the middle of night 3 and a rerun.
# Checks: every night exits 0; A and B (B also killed in night 4 while publishing) publish byte-identical folders, history and lists; a rerun of a
# published night changes nothing; a sixth night with no new papers exits 2 with the reason; the
# history table has 5 rows; two overlapping runs: the second is refused (exit 2); a quality drop past the
# configured threshold is refused (exit 2).
# Usage: scripts/nightly-smoke.sh [BIN]   (default .build/debug/paperfeed; run by make test)
set -euo pipefail
BIN=${1:-.build/debug/paperfeed}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "nightly-smoke: FAIL: $*" >&2; exit 1; }

setup() {  # $1 = world folder
  mkdir -p "$1"
  cat > "$1/nightly.json" <<JSON
{"schema_version": 1, "db": "$1/paperfeed.sqlite", "model": "$1/model", "inbox": "$1/inbox", "publish": "$1/published",
 "k": 20, "evaluate_k": 10, "keep_runs": 3, "fit": {"dims": 16, "min_df": 2, "max_df": 0.5, "seed": 7},
 "refit": {"max_folded_in_share": 0.3, "max_vocabulary_drift": 0.10}}
JSON
}
night() {  # $1 = world, $2 = night number; prints the exit code
  python3 "$ROOT/scripts/nightly_drop.py" "$1" "$2" >/dev/null
  local day; day=$(python3 -c "import sys; n=int(sys.argv[1]); d=['2025-03-24','2025-03-25','2025-03-26','2025-03-27','2025-03-28','2025-03-29']; print(d[n-1])" "$2")
  set +e
  "$BIN" nightly --config "$1/nightly.json" --as-of "$day" --quiet > "$1/night$2.out" 2> "$1/night$2.err"
  echo $?
  set -e
}

setup "$T/a"; setup "$T/b"
for n in 1 2 3 4 5; do
  rc=$(night "$T/a" $n); [ "$rc" = 0 ] || { cat "$T/a/night$n.err"; fail "A night $n exited $rc"; }
  echo "A night $n: exit 0"
done

killed_night() {  # $1 = night, $2 = as-of, $3 = the log line after which to kill -9; then the rerun
  python3 "$ROOT/scripts/nightly_drop.py" "$T/b" "$1" >/dev/null
  "$BIN" nightly --config "$T/b/nightly.json" --as-of "$2" --log-level debug > "$T/b/kill$1.out" 2> "$T/b/kill$1.err" &
  local pid=$!
  for _ in $(seq 1 3000); do grep -q "$3" "$T/b/kill$1.err" 2>/dev/null && break; sleep 0.01; done
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  echo "B night $1: killed with -9 after: $(grep -o '[a-z-]*: started' "$T/b/kill$1.err" | tail -1)"
  set +e; "$BIN" nightly --config "$T/b/nightly.json" --as-of "$2" --quiet > "$T/b/night$1.out" 2> "$T/b/night$1.err"; rc=$?; set -e
  [ "$rc" = 0 ] || { cat "$T/b/night$1.err"; fail "B night $1 rerun exited $rc"; }
}
for n in 1 2; do rc=$(night "$T/b" $n); [ "$rc" = 0 ] || fail "B night $n exited $rc"; done
# Night 3 killed once it has started to rank (the model is folded in, the run is under way);
# night 4 killed while it publishes.
killed_night 3 2025-03-26 "rerank: started"
killed_night 4 2025-03-27 "publish: started"
rc=$(night "$T/b" 5); [ "$rc" = 0 ] || fail "B night 5 exited $rc"

# Overlap: hold the lock with a sleeping flock(1) on the same file; the nightly must refuse.
if command -v flock >/dev/null; then
  flock "$T/a/paperfeed.sqlite.nightly.lock" sleep 2 & holder=$!; sleep 0.5
  set +e; "$BIN" nightly --config "$T/a/nightly.json" --as-of 2025-03-28 --quiet 2> "$T/a/lock.err"; rc=$?; set -e
  wait $holder 2>/dev/null || true
  [ "$rc" = 2 ] && grep -q "holds the lock" "$T/a/lock.err" || fail "overlapping run: exit $rc, $(cat "$T/a/lock.err")"
  echo "overlapping run: exit 2 ($(grep -o 'refused: .*' "$T/a/lock.err" | sed "s#$T#TMP#"))"
fi

# Byte-identical outputs.
diff -r "$T/a/published" "$T/b/published" > /dev/null || fail "published folders differ"
"$BIN" history --db "$T/a/paperfeed.sqlite" --json > "$T/a/history.json"
"$BIN" history --db "$T/b/paperfeed.sqlite" --json > "$T/b/history.json"
sed "s#$T/a#W#g" "$T/a/history.json" > "$T/a/h"; sed "s#$T/b#W#g" "$T/b/history.json" > "$T/b/h"
cmp -s "$T/a/h" "$T/b/h" || fail "history differs"
"$BIN" lists --db "$T/a/paperfeed.sqlite" --json > "$T/a/lists.json"
"$BIN" lists --db "$T/b/paperfeed.sqlite" --json > "$T/b/lists.json"
cmp -s "$T/a/lists.json" "$T/b/lists.json" || fail "stored lists differ"
# The model folders' current versions (Models/README.md): same version name, same manifest.
cmp -s "$T/a/model/current" "$T/b/model/current" || fail "current model versions differ"
cmp -s "$T/a/model/$(cat "$T/a/model/current")/manifest.json" "$T/b/model/$(cat "$T/b/model/current")/manifest.json" || fail "models differ"
echo "A and B: published folders, history, lists and model byte-identical ($(find "$T/a/published" -type f | wc -l) files, lists $(sha256sum < "$T/a/lists.json" | cut -c1-16))"

# A published night again: exit 0, nothing changes.
before=$(sha256sum < "$T/a/h")
set +e; "$BIN" nightly --config "$T/a/nightly.json" --as-of 2025-03-28 --quiet > "$T/a/again.out"; rc=$?; set -e
[ "$rc" = 0 ] && grep -q "published already" "$T/a/again.out" || fail "rerun of a published night: exit $rc"
"$BIN" history --db "$T/a/paperfeed.sqlite" --json | sed "s#$T/a#W#g" | sha256sum | grep -q "${before%% *}" || fail "rerun changed the history"

# Night 6: no new papers (only events) → exit 2 with the reason.
rc=$(night "$T/a" 6)
[ "$rc" = 2 ] || fail "night without new papers exited $rc"
grep -q "refused: no new papers" "$T/a/night6.err" || fail "night 6 message: $(cat "$T/a/night6.err")"
echo "A night 6 (no new papers): exit 2 ($(grep -o 'refused: .*' "$T/a/night6.err"))"

# The published feeds through a real feed parser, where feedparser is installed (pip install feedparser).
if python3 -c "import feedparser" 2>/dev/null; then
  python3 "$ROOT/scripts/check_feeds.py" "$T/a/published/latest" || fail "feedparser rejected a feed"
else
  echo "feedparser not installed: feeds checked by the Swift tests only (RFC 4287 structure, libxml2)"
fi

# A digest rendered in headless Chromium, where it is installed (apt-get install chromium).
if command -v chromium >/dev/null; then
  python3 "$ROOT/scripts/check_digest.py" "$T/a/published/latest" r01 chromium || fail "the digest did not render its top items"
fi

# Quality gate: a world whose nightly refuses an nDCG@10 drop of more than 0.01 (night 3 judges night 2's
# run lower than night 2 judged night 1's) exits 2 with the reason and publishes nothing.
setup "$T/c"
sed -i 's/"refit"/"refuse": {"max_quality_drop": 0.01}, "refit"/' "$T/c/nightly.json"
for n in 1 2; do rc=$(night "$T/c" $n); [ "$rc" = 0 ] || fail "C night $n exited $rc"; done
rc=$(night "$T/c" 3)
[ "$rc" = 2 ] && grep -q "refused: quality drop: ndcg@10" "$T/c/night3.err" || fail "quality gate: exit $rc, $(cat "$T/c/night3.err")"
[ ! -e "$T/c/published/2025-03-26" ] || fail "a refused night published"
echo "C night 3 (quality drop): exit 2 ($(grep -o 'refused: .*' "$T/c/night3.err"))"

rows=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['nights']))" "$T/a/history.json")
[ "$rows" = 5 ] || fail "history has $rows rows"
"$BIN" history --db "$T/a/paperfeed.sqlite"
echo "nightly-smoke: OK (5 nights; kill -9 in nights 3 and 4 + reruns byte-identical; no-paper night, overlap and quality drop exit 2; history 5 rows)"
