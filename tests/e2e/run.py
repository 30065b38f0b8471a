#!/usr/bin/env python3
"""End-to-end tests: the real `guild` binary, its CLI, HTML forms and JSON API over loopback.
Usage: run.py --guild build/guild [--quick] [--engine sqlite|postgresql] [--only A,B]
[--jobs N]. Prints PASS/FAIL per test and a closing line 'N passed, N failed'; exits non-zero
when any test failed or the server reported a sanitizer error. With --engine postgresql the
run starts a throw-away PostgreSQL cluster (tests/e2e/pgcluster.py) and gives each case a
database of its own; cases that concern one engine only (fn.engines) are left to that
engine's pass."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import harness
from harness import Failure, Guild, check
import pgcluster
import cases_forms
import cases_api
import cases_cli
import cases_crash
import cases_fetch
import cases_mod
import cases_monitor
import cases_concurrency
import cases_attack
import cases_ops
import cases_deploy
import cases_pg
import cases_nodes
import cases_social
import cases_groups
import cases_signals

ROOT_PW = "root-password-123"
MEMBER_PW = "member-password-1"


def setup(binary, serve_args=()):
    """A fresh guild: an admin (root), its token, and two members joined by invitation."""
    g = Guild(binary)
    g.cli("init", "--db", g.db)
    g.cli("user", "add", "--db", g.db, "--handle", "root", "--name", "Root Admin", "--email",
          "root@guildhq.org", "--password-file", g.password_file(ROOT_PW), "--affiliation",
          "Guild HQ", "--domain", "guildhq.org", "--role", "admin")
    g.root_token = g.cli("token", "create", "--db", g.db, "--user", "root").stdout.strip()
    g.root_password = ROOT_PW
    g.start(*serve_args)
    return g


def sanitizer_problems(log):
    for marker in ("AddressSanitizer", "ThreadSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehavior",
                   "definitely lost: [1-9]", "Invalid read", "Invalid write",
                   "uninitialised value", "ERROR SUMMARY: [1-9]"):
        if re.search(marker, log):
            return marker
    for marker in ():
        if marker in log:
            return marker
    return None


def run_cases(modules, binary, only, quick=False, engine="sqlite", shard=(0, 1)):
    passed, failed = 0, 0
    selected = 0
    for mod in modules:
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            if only and not any(o in f"{mod.__name__}.{name}" for o in only.split(",")):
                continue
            fn = getattr(mod, name)
            if quick and getattr(fn, "slow", False):
                continue  # --quick: the release and sanitizer builds run it in full
            if engine not in getattr(fn, "engines", ("sqlite", "postgresql")):
                continue  # about one engine only (a SQLite file's backup, the PG schema)
            selected += 1
            if (selected - 1) % shard[1] != shard[0]:
                continue  # another shard's (--jobs)
            needs_server = getattr(fn, "own_guild", False) is False
            t0 = time.time()
            g = None
            try:  # a guild that cannot be set up fails its test, and the run goes on
                g = setup(binary, getattr(fn, "serve_args", ())) if needs_server else Guild(binary)
                fn(g)
                rc = g.stop()
                problem = sanitizer_problems(g.server_log())
                check(problem is None, f"server log reports {problem}:\n{g.server_log()[-3000:]}")
                check(rc == 0, f"server exited {rc}:\n{g.server_log()[-2000:]}")
                passed += 1
                print(f"PASS {mod.__name__}.{name} ({time.time() - t0:.1f}s)", flush=True)
            except Exception as e:  # a test failure or a harness error: both are failures
                failed += 1
                detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
                if g is not None:  # what the server logged as errors says why, often
                    errors = [ln for ln in g.server_log().splitlines() if " error " in ln or " warn " in ln]
                    detail += "".join("\n    server: " + ln for ln in errors[-5:])
                print(f"FAIL {mod.__name__}.{name}: {detail}", flush=True)
                try:
                    if g is not None:
                        g.stop()
                except Exception:
                    pass
    return passed, failed


def run_shards(args):
    """--jobs N: N child runs side by side, each every Nth case with its own run directory
    (and its own cluster); their lines as they come, then one closing line for all. A child
    that ends without its closing line counts as a failure."""
    import threading
    base = [sys.executable, os.path.abspath(__file__), "--guild", args.guild, "--engine",
            args.engine] + (["--quick"] if args.quick else [])
    base += ["--only", args.only] if args.only else []
    lock = threading.Lock()
    totals = []

    def child(k):
        p = subprocess.Popen(base + ["--shard", "%d/%d" % (k, args.jobs)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        last = ""
        for line in p.stdout:
            m = re.match(r"^e2e \(.*\): (\d+) passed, (\d+) failed$", line.rstrip("\n"))
            with lock:
                if m:
                    last = line
                    totals.append((int(m.group(1)), int(m.group(2))))
                else:
                    print(line, end="", flush=True)
        rc = p.wait()
        if not last or rc not in (0, 1):
            with lock:
                print(f"FAIL shard {k}/{args.jobs}: exited {rc} without its closing line",
                      flush=True)
                totals.append((0, 1))

    threads = [threading.Thread(target=child, args=(k,)) for k in range(args.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    passed, failed = sum(t[0] for t in totals), sum(t[1] for t in totals)
    print(f"e2e ({args.guild}, {args.engine}): {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--guild", required=True)
    ap.add_argument("--quick", action="store_true", help="skip the slowest cases")
    ap.add_argument("--only", default="",
                    help="run the cases whose module.name holds one of these (comma-separated)")
    ap.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--jobs", type=int, default=1,
                    help="run the cases in N processes side by side (each every Nth case)")
    ap.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)  # K/N: --jobs' children
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("--jobs must be at least 1")
    if args.jobs > 1:
        return run_shards(args)
    shard = tuple(int(x) for x in args.shard.split("/"))
    modules = [cases_cli, cases_forms, cases_api, cases_crash, cases_fetch, cases_mod, cases_monitor,
               cases_concurrency, cases_attack, cases_ops,
               cases_deploy, cases_pg, cases_nodes, cases_social, cases_groups, cases_signals]
    cases_forms.QUICK = args.quick
    # every case's files (databases, logs, the PostgreSQL cluster) go under one directory of
    # this run's: removed when all passed, kept (and named) when something failed
    run_dir = tempfile.mkdtemp(prefix="guild-e2e-run-")
    os.chmod(run_dir, 0o755)  # the cluster's postgres user and nginx's workers pass through it
    tempfile.tempdir = run_dir
    cluster = None
    passed, failed = 0, 0
    try:
        if args.engine == "postgresql":
            cluster = harness.PG = pgcluster.PgCluster().start()
        passed, failed = run_cases(modules, args.guild, args.only, args.quick, args.engine,
                                   shard)
    finally:
        if cluster is not None:
            cluster.stop()
        if failed == 0 and passed > 0:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            print(f"the cases' files are kept in {run_dir}")
    print(f"e2e ({args.guild}, {args.engine}): {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
