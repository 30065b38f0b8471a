#!/usr/bin/env python3
"""Summarises `ranksim --csv` runs named GRAPH.SEED.csv (bench/ranksim/seeds.sh): for each
graph, scenario and algorithm, NDCG@10's mean and spread (population standard deviation) over
the seeds, the best rank any attacker target reached in any seed, and the lowest share of
honest vote weight kept; then guild's lead over reddit_best and communitynotes.
usage: summarise.py [--before DIR] [--algorithms A,B] FILE...
(--before: columns from older runs beside; --algorithms: only these rows)"""
import collections
import csv
import os
import statistics
import sys


def load(paths):
    runs = collections.defaultdict(list)  # (graph, scenario, algorithm) -> [(ndcg, rank, kept)]
    for path in paths:
        graph = os.path.basename(path).split(".")[0]
        with open(path) as f:
            rows = csv.DictReader(l for l in f if not l.startswith("#"))
            for r in rows:
                runs[(graph, r["scenario"], r["algorithm"])].append(
                    (float(r["ndcg10"]), int(r["target_best_rank"]), float(r["honest_weight_kept"])))
    return runs


def cell(v):
    nd = [x[0] for x in v]
    ranks = [x[1] for x in v if x[1] > 0]
    return "%.4f ± %.4f" % (statistics.mean(nd), statistics.pstdev(nd)), \
        (str(min(ranks)) if ranks else "-"), "%.3f" % min(x[2] for x in v)


def main(argv):
    before = None
    if argv[:1] == ["--before"]:
        before = load([os.path.join(argv[1], f) for f in sorted(os.listdir(argv[1])) if f.endswith(".csv")])
        argv = argv[2:]
    keep = None
    if argv[:1] == ["--algorithms"]:
        keep = set(argv[1].split(","))
        argv = argv[2:]
    runs = load(argv)
    graphs = sorted({k[0] for k in runs})
    for g in graphs:
        seeds = len(runs[next(k for k in runs if k[0] == g)])
        print(f"\n#### {g}, seeds 1-{seeds}\n")
        head = "| scenario | algorithm | ndcg10 mean ± sd | best target rank | honest kept (min) |"
        if before:
            head += " before: ndcg10 mean ± sd | before: best target rank |"
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for (gg, sc, alg), v in sorted(runs.items(), key=lambda kv: (kv[0][1] != "clean", kv[0])):
            if gg != g or (keep is not None and alg not in keep):
                continue
            line = "| %s | %s | %s | %s | %s |" % ((sc, alg) + cell(v))
            if before:
                b = before.get((g, sc, alg))
                line += (" %s | %s |" % cell(b)[:2]) if b else " - | - |"
            print(line)
        print("\n| scenario | guild - reddit_best | guild - communitynotes | guild - guild_nobridge |")
        print("|---|---|---|---|")
        for sc in sorted({k[1] for k in runs if k[0] == g}):
            m = lambda alg: statistics.mean(x[0] for x in runs.get((g, sc, alg), [(float("nan"), 0, 0)]))
            print("| %s | %+.4f | %+.4f | %+.4f |" % (sc, m("guild") - m("reddit_best"),
                                                   m("guild") - m("communitynotes"),
                                                   m("guild") - m("guild_nobridge")))


if __name__ == "__main__":
    main(sys.argv[1:])
