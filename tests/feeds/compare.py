#!/usr/bin/env python3
"""Guild beside python3-feedparser on the corpus, folder by folder: reads the two tables
corpus.py printed (Guild's, then feedparser's on the same cases) and prints one table with
both rates, the folders where Guild is below, and a closing line
'folders where guild < feedparser: N of M'. Exit 1 when N > 0 or a table is empty.
usage: compare.py GUILD_TABLE FEEDPARSER_TABLE"""
import re
import sys


def table(path):
    rows = {}
    for line in open(path):
        m = re.match(r"(\S+)\s+(\d+)\s+(\d+)\s+[\d.]+%\s+\d+$", line.strip())
        if m:
            rows[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return rows


def main():
    guild, fp = table(sys.argv[1]), table(sys.argv[2])
    below = []
    print("| folder | cases | guild | feedparser |")
    print("|---|---:|---:|---:|")
    for f in sorted(set(guild) | set(fp)):
        gp, gn = guild.get(f, (0, 0))
        fpp, fpn = fp.get(f, (0, 0))
        if gn == 0 and fpn == 0:
            continue
        g_rate, f_rate = 100.0 * gp / gn if gn else 100.0, 100.0 * fpp / fpn if fpn else 100.0
        mark = " (below)" if g_rate < f_rate else ""
        below += [f] if mark else []
        shown = "%.1f%%" % f_rate if fpn else "not run (0 cases)"
        print("| %s | %d | %.1f%%%s | %s |" % (f, gn, g_rate, mark, shown))
    print("folders where guild < feedparser: %d of %d%s" % (
        len(below), len(set(guild) | set(fp)), (": " + ", ".join(below)) if below else ""))
    return 1 if below or not guild or not fp else 0


if __name__ == "__main__":
    sys.exit(main())
