#!/usr/bin/env python3
"""Summary of the worlds report (scripts/worlds.sh): one table per judgment, one row per world,
the learned ranker's score, the hand-set blend's and each single signal's, and the verdict of
each against the learned ranker (paired randomization test, Holm-corrected within each
experiment). Reads Evaluation/reports/worlds/*/report.json; writes Evaluation/reports/worlds/README.md."""
import json, os, sys

root = sys.argv[1] if len(sys.argv) > 1 else "Evaluation/reports/worlds"
worlds = ["demo", "content", "appeal", "communities", "popular"]
singles = ["content-only", "collaborative-only", "category-only", "trend-only", "feedback-only", "freshness-only"]
mark = {"better": "▲", "worse": "▼", "no significant difference": "=", "noSignificantDifference": "="}

def load(w, j):
    p = os.path.join(root, f"{w}-{j}", "report.json")
    return json.load(open(p)) if os.path.exists(p) else None

out = ["# Worlds: the learned ranker, the hand-set blend and each single signal in five simulated worlds", "",
       "Made by `scripts/worlds.sh` (after `make demo`): each world is a store with the bundled arXiv papers of 2025-03..05, "
       "their Hugging Face upvotes and 30 days of SYNTHETIC readers (`paperfeed simulate`, settings in "
       "`Evaluation/configs/worlds/WORLD.args`); each experiment is an as-of replay of the last 7 days in which every system, "
       "the learned ranker included, is fitted at each cut-off on the data before it. Full reports (tables, confidence "
       "intervals, per-reader difference histograms): `WORLD-hidden/` and `WORLD-logged/`.", "",
       "Marks: the verdict of each system **against the learned ranker** (paired randomization test, 10,000 permutations, "
       "Holm-corrected over the experiment's metrics and systems, α = 0.05): ▼ significantly worse than learned, "
       "▲ significantly better, = no significant difference.", ""]
for j, metric, title in [("hidden", "ndcg@10", "Judged by the hidden relevance of each day (nDCG@10)"),
                         ("logged", "dcg@10", "Judged by logged reads on the logged lists (IPS-weighted DCG@10)"),
                         ("logged", "ndcg@10", "Judged by logged reads on the logged lists (nDCG@10; biased toward the logging order)")]:
    out += [f"## {title}", "", "| world | readers | learned | blend | " + " | ".join(singles) + " | best single |",
            "|---|---:|---:|---:|" + "---:|" * len(singles) + "---|"]
    for w in worlds:
        r = load(w, j)
        if r is None:
            out.append(f"| {w} | – | (not run) |" + " |" * (len(singles) + 1))
            continue
        res = next(x for x in r["results"] if x["metric"] == metric)
        means = res["means"]
        verdict = {p["system"]: p["verdict"] for p in res["pairs"]}
        fmt = (lambda v: f"{v:.1f}") if metric.startswith("dcg") else (lambda v: f"{v:.4f}")
        cells = [fmt(means["learned"]), fmt(means["blend"]) + " " + mark.get(verdict.get("blend", ""), "")]
        cells += [fmt(means[s]) + " " + mark.get(verdict.get(s, ""), "") for s in singles]
        best = max(singles, key=lambda s: means[s])
        out.append(f"| {w} | {res['readers']} | " + " | ".join(cells) + f" | {best} |")
    out.append("")
open(os.path.join(root, "README.md"), "w").write("\n".join(out) + "\n")
print("\n".join(out))
