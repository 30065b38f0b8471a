#!/usr/bin/python3
"""bench/feeds baseline: Debian's python3-feedparser over the same files, repeated for at
least SECONDS; the same output line as feedbench (with 'feedparser' first).
usage: parse_feedparser.py SECONDS FILE..."""
import sys
import time

import feedparser


def main():
    secs = float(sys.argv[1])
    blobs = [open(p, "rb").read() for p in sys.argv[2:]]
    start = time.monotonic()
    nbytes = entries = 0
    while True:
        for b in blobs:
            d = feedparser.parse(b)
            entries += len(d.entries)
            nbytes += len(b)
        elapsed = time.monotonic() - start
        if elapsed >= secs:
            break
    print("feedparser files=%d bytes=%d entries=%d seconds=%.2f mb_per_s=%.2f entries_per_s=%.0f"
          % (len(blobs), nbytes, entries, elapsed, nbytes / 1e6 / elapsed, entries / elapsed))


if __name__ == "__main__":
    main()
