#!/usr/bin/env python3
"""Drops one night's files into a nightly inbox (for scripts/nightly-smoke.sh).

usage: nightly_drop.py ROOT NIGHT   (NIGHT = 1, 2, ...; ROOT has inbox/ and published/)

Papers: the bundled arXiv listing of March 2025 (Data/arxiv/arxiv-2025-03.jsonl.gz); night 1
gets the listings of 2025-03-18 .. 03-21 plus 03-24, night n > 1 the listing of NIGHTS[n-1];
a night past the listings gets no papers. Events (SYNTHETIC, deterministic): 40 readers, each
with one interest category; night 1 gets 6 reads per reader of base papers in their category,
night n > 1 gets, for each reader's first 10 papers in the previous night's published
lists.jsonl, an impression (with position and list id) and a read when a stable hash of
(reader, paper) falls under 40% for papers in the reader's category, 10% otherwise.
"""
import gzip, hashlib, json, os, sys

NIGHTS = ["2025-03-24", "2025-03-25", "2025-03-26", "2025-03-27", "2025-03-28", "2025-03-29"]
BASE = ["2025-03-18", "2025-03-19", "2025-03-20", "2025-03-21"]
INTERESTS = ["cs.CV", "cs.CL", "eess.IV", "cs.LG"]
READERS = [f"r{i:02d}" for i in range(40)]


def h(*parts):
    return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12], 16)


def main():
    root, night = sys.argv[1], int(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    papers = [json.loads(l) for l in gzip.open(os.path.join(here, "..", "Data", "arxiv", "arxiv-2025-03.jsonl.gz"), "rt")]
    category = {p["id"]: p["categories"][0] for p in papers}
    days = BASE + [NIGHTS[0]] if night == 1 else ([NIGHTS[night - 1]] if night <= len(NIGHTS) else [])
    drop = [p for p in papers if p["first_listed"] in days]
    day = NIGHTS[night - 1] if night <= len(NIGHTS) else "2025-03-30"
    for sub in ("papers", "events"):
        os.makedirs(os.path.join(root, "inbox", sub), exist_ok=True)
    if drop:
        with open(os.path.join(root, "inbox", "papers", f"{night:02d}-{day}.arxiv.jsonl"), "w") as f:
            for p in sorted(drop, key=lambda p: p["id"]):
                f.write(json.dumps(p, sort_keys=True) + "\n")
    events = []
    if night == 1:
        base = sorted((p for p in papers if p["first_listed"] in BASE), key=lambda p: p["id"])
        for i, r in enumerate(READERS):
            mine = sorted((p for p in base if p["categories"][0] == INTERESTS[i % 4]), key=lambda p: h(r, p["id"]))[:6]
            for j, p in enumerate(mine):
                events.append({"user": r, "paper": p["id"], "kind": "read", "at": f"2025-03-22T{9 + j:02d}:00:00Z"})
    else:
        previous = NIGHTS[night - 2]
        with open(os.path.join(root, "published", previous, "lists.jsonl")) as f:
            items = [json.loads(l) for l in f]
        for it in items:
            if it["rank"] > 10:
                continue
            r, p = it["user"], it["paper"]
            interest = INTERESTS[READERS.index(r) % 4] if r in READERS else None
            at = f"{previous}T10:{it['rank']:02d}:00Z"
            events.append({"user": r, "paper": p, "kind": "impression", "at": at, "position": it["rank"], "list": it["run"]})
            if h(r, p, "read") % 100 < (40 if category.get(p) == interest else 10):
                events.append({"user": r, "paper": p, "kind": "read", "at": f"{previous}T11:{it['rank']:02d}:00Z"})
    with open(os.path.join(root, "inbox", "events", f"{night:02d}-{day}.jsonl"), "w") as f:
        for e in events:
            f.write(json.dumps(e, sort_keys=True) + "\n")
    print(f"night {night} ({day}): {len(drop)} papers, {len(events)} events")


if __name__ == "__main__":
    main()
