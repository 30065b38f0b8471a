#!/usr/bin/env python3
"""Runs `guild feed parse` over the Universal Feed Parser's test corpus and evaluates each
case's expectation (a Python expression over feedparser's result) against Guild's output,
mapped onto feedparser's result shape. Cases whose expectation needs something outside
Guild's model (Python exception classes, fields Guild does not keep, SkipUnless) are counted
as not applicable, with the reason. Prints the pass rate per folder.

usage: corpus.py GUILD_BINARY CORPUS_DIR [--min PERCENT] [--failures] [--na]
       /usr/bin/python3 corpus.py --feedparser CORPUS_DIR [--failures]
         (the same cases, with Debian's python3-feedparser's own result: the baseline that
          bench/feeds prints beside Guild's rate, folder by folder)
Exit 1 when the overall pass rate is below --min (default 95), when a file the index names
is missing, or when no case ran. The corpus is in the repository: tests/data/feedparser."""
import ast
import calendar
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

# Result names an expectation may use, and the feedparser keys Guild's output maps to.
NAMES = {"bozo", "entries", "feed", "encoding", "version", "len", "ord"}
KEYS = {
    "title", "title_detail", "value", "type", "language", "base", "link", "links", "href",
    "rel", "length", "description", "summary", "summary_detail", "subtitle",
    "subtitle_detail", "tagline", "tagline_detail", "content", "id", "guid", "author",
    "author_detail", "name", "email", "tags", "term", "category", "image", "url",
    "updated_parsed", "published_parsed", "rights", "rights_detail", "copyright",
    "copyright_detail", "enclosures", "ttl", "get",
}
NA_KEY_REASONS = {
    "updated": "raw date string (Guild normalises dates to RFC 3339; *_parsed checked)",
    "published": "raw date string (Guild normalises dates to RFC 3339; *_parsed checked)",
    "created": "raw date string; Guild keeps published/updated only",
}


class FPD(dict):
    """feedparser's FeedParserDict: attribute access and its key aliases."""

    ALIASES = {
        "description": ["summary", "subtitle"], "tagline": ["subtitle"], "subtitle": ["summary"],
        "tagline_detail": ["subtitle_detail"], "copyright": ["rights"],
        "copyright_detail": ["rights_detail"], "guid": ["id"],
        "description_detail": ["summary_detail", "subtitle_detail"],
        "updated_parsed": ["updated_parsed", "published_parsed"], "url": ["href"],
    }

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        for alt in self.ALIASES.get(key, []):
            if dict.__contains__(self, alt):
                return dict.__getitem__(self, alt)
        if key == "category" and dict.__contains__(self, "tags") and self["tags"]:
            return self["tags"][0]["term"]
        if key == "enclosures" and dict.__contains__(self, "links"):
            # feedparser's enclosure: href, length and type only
            return [FPD((k, l[k]) for k in ("href", "length", "type") if l.get(k) is not None)
                    for l in self["links"] if l.get("rel") == "enclosure"]
        raise KeyError(key)

    def __contains__(self, key):
        try:
            self[key]
            return True
        except KeyError:
            return False

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key)


def parsed(s):
    if not s:
        return None
    return time.gmtime(calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")))


def to_fpd(obj, top=True):
    """Guild's JSON object -> feedparser-shaped dict. A null field of the feed or an entry
    is an absent key; inside details (title_detail, content, links) it stays None, as in
    feedparser."""
    out = FPD()
    for k, v in obj.items():
        if v is None and top:
            continue
        if isinstance(v, dict):
            v = to_fpd(v, False)
        elif isinstance(v, list):
            v = [to_fpd(x, False) if isinstance(x, dict) else x for x in v]
        out[k] = v
    if isinstance(out.get("tags"), list):
        out["tags"] = [FPD(term=t, scheme=None, label=None) for t in out["tags"]]
    for k in ("updated", "published"):
        if k in obj and obj[k]:
            out[k + "_parsed"] = parsed(obj[k])
    if isinstance(obj.get("image"), str):
        out["image"] = FPD(href=obj["image"], url=obj["image"])
        for k, v in (obj.get("image_detail") or {}).items():
            if v is not None and k != "href":
                out["image"][k] = v
    if "ttl" in out:
        out["ttl"] = str(out["ttl"])
    return out


def header_of(path):
    raw = open(path, "rb").read(4096)
    for bom, enc in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, "replace")
    if raw[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return raw.decode("utf-32-be" if raw[0] == 0 else "utf-32-le", "replace")
    if raw[:4] in (b"\x00<\x00?", b"<\x00?\x00", b"\x00<\x00!", b"<\x00!\x00"):
        return raw.decode("utf-16-be" if raw[0] == 0 else "utf-16-le", "replace")
    return raw.decode("latin-1")


class Charset(str):
    """An encoding name compared as IANA names are: without regard to case."""

    def __eq__(self, other):
        return isinstance(other, str) and self.lower() == other.lower()

    __hash__ = str.__hash__


def has_detector(with_feedparser):
    """Guild always has a charset detector (uchardet); feedparser only with chardet."""
    if not with_feedparser:
        return True
    try:
        __import__("chardet")
        return True
    except ImportError:
        return False


def deliberate_differences(path):
    """Cases where Guild differs from feedparser on purpose (docs/feeds.md lists each, with
    why): {relative path: reason}. Counted as not applicable for both parsers."""
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            rel, why = line.rstrip("\n").split("\t", 1)
            out[rel] = why
    return out


def case_meta(path, tsv_expect):
    text = header_of(path)
    expect = tsv_expect
    m = re.search(r"Expect:\s*(.*)", text)
    if not expect and m:
        expect = m.group(1).split("-->")[0].strip()
    headers = dict((h.split(":", 1)[0].strip().lower(), h.split(":", 1)[1].strip())
                   for h in re.findall(r"Header:\s*(.*)", text))
    m = re.search(r"SkipUnless:\s*(.*)", text)
    skip = m.group(1).strip() if m else None
    return expect, headers, skip


def applicability(expect, skip, detector):
    """None when applicable, else the reason it is not."""
    if skip == "__import__('chardet')" and detector:
        skip = None  # a case for charset detection: the parser has a detector
    if skip:
        return "SkipUnless: feedparser-specific feature"
    if not expect:
        return "no expectation"
    try:
        tree = ast.parse(expect, mode="eval")
    except SyntaxError:
        return "expectation is not an expression"
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id not in NAMES:
            return "Python-only: uses %s" % n.id
        key = None
        if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and \
                isinstance(n.slice.value, str):
            key = n.slice.value
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                n.func.attr == "get" and n.args and isinstance(n.args[0], ast.Constant):
            key = n.args[0].value  # entries[0].get('where') asks for the field 'where'
            if key not in KEYS:
                return NA_KEY_REASONS.get(key, "field not in Guild's model: %s" % key)
            key = None
        elif isinstance(n, ast.Attribute):
            key = n.attr
        if key is not None and key not in KEYS:
            return NA_KEY_REASONS.get(key, "field not in Guild's model: %s" % key)
    return None


def run_case(args):
    guild, root, rel, expect, headers = args
    cmd = [guild, "feed", "parse", os.path.join(root, rel), "--base", base_url(rel, headers)]
    if "content-type" in headers:
        cmd += ["--content-type", headers["content-type"]]
    if "content-language" in headers:
        cmd += ["--content-language", headers["content-language"]]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return rel, False, "timeout"
    if p.returncode != 0:
        return rel, False, "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
    try:
        out = json.loads(p.stdout)
    except ValueError as e:
        return rel, False, "invalid JSON: %s" % e
    env = {
        "bozo": out["bozo"], "encoding": Charset(out["encoding"]), "version": out["version"],
        "feed": to_fpd(out["feed"]), "entries": [to_fpd(e) for e in out["entries"]],
        "len": len, "ord": ord,
    }
    try:
        ok = bool(eval(expect, {"__builtins__": {}}, env))
        return rel, ok, "" if ok else "false"
    except Exception as e:  # a missing key or index is a failed case
        return rel, False, "%s: %s" % (type(e).__name__, e)


def base_url(rel, headers):
    url = "http://127.0.0.1:8097/tests/" + rel
    if "content-location" in headers:
        from urllib.parse import urljoin
        url = urljoin(url, headers["content-location"])
    return url


def run_case_feedparser(args):
    """The same expectation over python3-feedparser's result for the same bytes, headers and
    base URL (feedparser's own test suite serves each file from 127.0.0.1:8097)."""
    import feedparser
    _, root, rel, expect, headers = args
    data = open(os.path.join(root, rel), "rb").read()
    hdrs = dict(headers)
    hdrs["content-location"] = base_url(rel, headers)
    hdrs.setdefault("content-type", "application/xml" if not rel.endswith(".json")
                    else "application/json")
    try:
        r = feedparser.parse(data, response_headers=hdrs)
        env = {"bozo": r.get("bozo", 0), "encoding": r.get("encoding", ""),
               "version": r.get("version", ""), "feed": r.get("feed", {}),
               "entries": r.get("entries", []), "len": len, "ord": ord}
        ok = bool(eval(expect, {"__builtins__": {}}, env))
        return rel, ok, "" if ok else "false"
    except Exception as e:
        return rel, False, "%s: %s" % (type(e).__name__, e)


def main():
    argv = sys.argv[1:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with_feedparser = argv[0] == "--feedparser"
    guild, root = os.path.abspath(argv[0]), argv[1]
    minimum = float(argv[argv.index("--min") + 1]) if "--min" in argv else 95.0
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "INDEX.tsv"),
                                                     encoding="utf-8")][1:]
    jobs, na, missing = [], {}, []
    deliberate = deliberate_differences(os.path.join(os.path.dirname(__file__), "deliberate.tsv"))
    detector = has_detector(with_feedparser)
    for r in rows:
        rel, tsv_expect = r[0], (r[2] if len(r) > 2 else "")
        if not os.path.isfile(os.path.join(root, rel)):
            missing.append(rel)  # a data file the index names is gone: a failure, not a skip
            continue
        expect, headers, skip = case_meta(os.path.join(root, rel), tsv_expect)
        why = applicability(expect, skip, detector)
        if rel in deliberate:
            why = "deliberate difference (docs/feeds.md): " + deliberate[rel]
        if why:
            na[rel] = why
        else:
            jobs.append((guild, root, rel, expect, headers))
    if with_feedparser:
        results = [run_case_feedparser(j) for j in jobs]
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(run_case, jobs))

    def folder(rel):
        parts = rel.split("/")
        return "/".join(parts[:2]) if parts[0] in ("wellformed", "illformed") and len(parts) > 2 \
            else parts[0]

    stats = {}
    for rel, ok, _ in results:
        s = stats.setdefault(folder(rel), [0, 0, 0])
        s[0] += ok
        s[1] += 1
    for rel in na:
        stats.setdefault(folder(rel), [0, 0, 0])[2] += 1
    print("%-28s %7s %10s %7s %5s" % ("folder", "passed", "applicable", "rate", "n/a"))
    for f in sorted(stats):
        p, n, k = stats[f]
        print("%-28s %7d %10d %6.1f%% %5d" % (f, p, n, 100.0 * p / n if n else 100.0, k))
    passed = sum(ok for _, ok, _ in results)
    rate = 100.0 * passed / len(results) if results else 0.0
    if "--failures" in argv:
        for rel, ok, why in sorted(results):
            if not ok:
                print("FAIL %s: %s" % (rel, why))
    if "--na" in argv:
        for rel, why in sorted(na.items()):
            print("N/A  %s: %s" % (rel, why))
    for rel in missing:
        print("FAIL missing data file %s" % rel)
    print("total: %d of %d applicable cases passed (%.1f%%), %d not applicable, %d files "
          "missing, from %s%s" % (passed, len(results), rate, len(na), len(missing), root,
                                  " (python3-feedparser)" if with_feedparser else ""))
    return 0 if rate >= minimum and not missing and results else 1


if __name__ == "__main__":
    sys.exit(main())
