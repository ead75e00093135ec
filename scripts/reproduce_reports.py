#!/usr/bin/env python3
"""Re-scores every report's run files with pytrec_eval (trec_eval 9) and ranx and compares with
the report's own numbers (docs/outputs.md, "Run files").

usage: scripts/reproduce_reports.py [REPORTS_DIR]   (default Evaluation/reports)
needs:  pip install ranx pytrec-eval-terrier

For each folder with report.json and qrels.txt: the systems' run files (report.json `run_file`,
or provenance `run_files`, else runs/SYSTEM.run[.gz]) are read as TREC runs; ranx must accept the
qrels/run pair WITHOUT make_comparable; every metric the report lists is computed by both tools
and compared with the report's mean (max |difference| printed; exit 1 above 1e-9).
"""
import gzip, json, math, os, sys

import pytrec_eval
from ranx import Qrels, Run, evaluate

TOL = 1e-9


def read_trec(path, run):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    out = {}
    with opener(path, "rt") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if run:
                q, _, d, _, s, _ = parts
                out.setdefault(q, {})[d] = float(s)
            else:
                q, _, d, g = parts
                out.setdefault(q, {})[d] = int(g)
    return out


def trec_measure(m):
    """PaperFeed metric name -> (pytrec_eval measure, result key), or None."""
    name, _, k = m.partition("@")
    table = {"ndcg": ("ndcg_cut", "ndcg_cut_"), "recall": ("recall", "recall_"), "precision": ("P", "P_"),
             "p": ("P", "P_"), "hit": ("success", "success_")}
    if name in table and k:
        measure, key = table[name]
        return f"{measure}.{k}", key + k
    if name == "ndcg" and not k:
        return "ndcg", "ndcg"
    if name == "mrr" and not k:
        return "recip_rank", "recip_rank"
    if name == "map" and not k:
        return "map", "map"
    return None


def ranx_metric(m):
    name, _, k = m.partition("@")
    names = {"ndcg": "ndcg", "recall": "recall", "precision": "precision", "p": "precision", "hit": "hit_rate",
             "mrr": "mrr", "map": "map"}
    return names[name] + ("@" + k if k else "") if name in names else None


def systems_of(report, folder):
    """[(system, run file, {metric: mean}, readers)]"""
    out = []
    if "systems" in report and isinstance(report["systems"][0], dict):  # an experiment report
        for s in report["systems"]:
            if s.get("run_file"):
                out.append((s["name"], os.path.join(folder, s["run_file"]), s["mean"], s["users"]))
        return out
    files = (report.get("provenance") or {}).get("run_files", {})
    for name in report["systems"]:
        f = files.get(name)
        if not f:
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
            f = next((p for p in (f"runs/{safe}.run", f"runs/{safe}.run.gz") if os.path.exists(os.path.join(folder, p))), None)
        if f:
            means = {r["metric"]: r["means"][name] for r in report["results"]}
            out.append((name, os.path.join(folder, f), means, report["results"][0]["readers"]))
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Evaluation/reports"
    worst, checked, missing = 0.0, 0, []
    for folder in sorted(os.listdir(root)):
        d = os.path.join(root, folder)
        if not (os.path.exists(os.path.join(d, "report.json")) and os.path.exists(os.path.join(d, "qrels.txt"))):
            continue
        report = json.load(open(os.path.join(d, "report.json")))
        qrels = read_trec(os.path.join(d, "qrels.txt"), run=False)
        for system, path, means, readers in systems_of(report, d):
            if not os.path.exists(path):
                missing.append(path)
                continue
            run = read_trec(path, run=True)
            assert set(run) <= set(qrels), f"{path}: readers without judgments"
            # ranx refuses a pair whose query ids differ unless make_comparable=True: it must not be needed.
            rq, rr = Qrels.from_dict(qrels), Run.from_dict(run)
            metrics = [m for m in means if trec_measure(m) or ranx_metric(m)]
            ranx_names = [ranx_metric(m) for m in metrics if ranx_metric(m)]
            ranx_values = evaluate(rq, rr, ranx_names) if ranx_names else {}
            if len(ranx_names) == 1:
                ranx_values = {ranx_names[0]: ranx_values}
            measures = {trec_measure(m)[0] for m in metrics if trec_measure(m)}
            per_query = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
            line = []
            for m in metrics:
                ours = means[m]
                if trec_measure(m):
                    key = trec_measure(m)[1]
                    t = math.fsum(v[key] for v in per_query.values()) / len(per_query)
                    worst = max(worst, abs(t - ours))
                    line.append(f"{m} report {ours:.6f} pytrec_eval {t:.6f}")
                if ranx_metric(m):
                    r = float(ranx_values[ranx_metric(m)])
                    worst = max(worst, abs(r - ours))
                    line.append(f"ranx {r:.6f}")
            assert len(per_query) == readers, f"{path}: pytrec_eval scored {len(per_query)} readers, the report {readers}"
            checked += 1
            print(f"{folder}/{os.path.relpath(path, d)} ({len(run)} readers): " + "; ".join(line))
    for p in missing:
        print(f"missing run file (not committed; regenerate with paperfeed evaluate/compare): {p}")
    print(f"{checked} run files re-scored; max |report − tool| = {worst:.3g}")
    sys.exit(0 if checked and worst <= TOL else 1)


if __name__ == "__main__":
    main()
