#!/usr/bin/env python3
"""The off-topic check on text not written for it: loads the demo guild into a temporary
database, trains the check on it as `guild serve` does (`guild topic score`), scores the real
titles of tests/data/topic-real.tsv and reports, per split (dev, heldout), the share of
on-topic titles it would hold (false positives) and the share of off-topic ones it would catch
(recall; far and near separately) at the default threshold 0.5. Fails when on the held-out
split more than 10% of on-topic titles would be held or under 40% of far off-topic ones caught
(a floor against a broken model; docs/moderation.md gives the figures and why).
usage: eval_real.py [GUILD_BINARY, build/guild]"""
import os
import subprocess
import sys
import tempfile

THRESHOLD = 0.5


def main():
    guild = sys.argv[1] if len(sys.argv) > 1 else "build/guild"
    rows = [l.rstrip("\n").split("\t") for l in open("tests/data/topic-real.tsv", encoding="utf-8")
            if not l.startswith("#")][1:]
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "demo.db")
        subprocess.run([guild, "demo", "--db", db], check=True, capture_output=True, timeout=120)
        out = subprocess.run([guild, "topic", "score", "--db", db], check=True, timeout=120,
                             input="\n".join(r[3] for r in rows) + "\n", capture_output=True,
                             text=True).stdout
    lines = [l for l in out.splitlines() if not l.startswith("#")]
    print(out.splitlines()[0])
    scores = {l.split("\t", 1)[1]: float(l.split("\t", 1)[0]) for l in lines}
    status = 0
    for split in ("dev", "heldout"):
        part = [r for r in rows if r[0] == split]
        on = [scores[r[3]] for r in part if r[1] == "on"]
        far = [scores[r[3]] for r in part if r[2] == "far"]
        near = [scores[r[3]] for r in part if r[2] == "near"]
        fp = sum(s < THRESHOLD for s in on)
        cf, cn = sum(s < THRESHOLD for s in far), sum(s < THRESHOLD for s in near)
        print("%-8s on-topic held %d of %d (%.0f%%); off-topic caught: far %d of %d (%.0f%%), "
              "near %d of %d (%.0f%%)" % (split, fp, len(on), 100.0 * fp / len(on), cf, len(far),
                                         100.0 * cf / len(far), cn, len(near),
                                         100.0 * cn / len(near)))
        if split == "heldout" and (fp > 0.10 * len(on) or cf < 0.40 * len(far)):
            status = 1
    print("topic-real: %s" % ("pass" if status == 0 else "FAIL"))
    return status


if __name__ == "__main__":
    sys.exit(main())
