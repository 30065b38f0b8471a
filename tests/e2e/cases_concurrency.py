"""Writes while the ranker recomputes: the timing of production, where votes, opens and
comments arrive during full recomputes (--rank-interval 1) and after the first one.
Run on the release, ASan+UBSan and ThreadSanitizer builds (tests/run-all.sh)."""
import json
import threading
import time

from harness import Client, check
from cases_forms import join
from cases_api import token_for, wait_for_why


def storm(g, seconds, workers):
    """Runs each worker(i, stop) in its own thread for `seconds`; returns their error lists."""
    stop = threading.Event()
    errors = [[] for _ in workers]
    threads = [threading.Thread(target=w, args=(errors[i], stop)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    return [e for errs in errors for e in errs]


def test_votes_opens_comments_during_recomputes(g):
    """Regression (issue 12.1): a vote or a signed-in open after the ranker's first run read
    a snapshot that had lived on the ranker thread's stack (ASan: stack-use-after-scope;
    release: 'incremental update of item N failed', scores silently stale)."""
    names = ["rv%d" % k for k in range(4)]
    browsers = [join(g, n) for n in names]
    tokens = [token_for(g, n) for n in names]
    c = Client(g)
    items = [c.post_json("/api/v1/items", {"url": "https://storm.example.org/%d" % k,
                                           "title": "Storm %d" % k},
                         token=g.root_token).json()["id"] for k in range(6)]
    # the ranker's first full run has happened once every item has an explanation
    for i in items:
        wait_for_why(c, i, lambda e: e["ups"] == 0, seconds=30)
    last_vote = {}
    lock = threading.Lock()

    def voter(k):
        def run(errors, stop):
            cl = Client(g)
            n = 0
            while not stop.is_set():
                item = items[(n + k) % len(items)]
                value = 1 if (n // len(items)) % 2 == 0 else 0
                r = cl.post_json("/api/v1/items/%d/vote" % item, {"value": value},
                                 token=tokens[k])
                if r.status != 200:
                    errors.append("vote %d: %s" % (r.status, r.text[:200]))
                else:
                    with lock:
                        last_vote[(k, item)] = value
                n += 1
        return run

    def opener(k):
        def run(errors, stop):
            n = 0
            while not stop.is_set():
                r = browsers[k].get("/go/%d" % items[n % len(items)],
                                    headers={"Referer": g.url("/new")})
                if r.status not in (303, 429):
                    errors.append("open %d" % r.status)
                n += 1
        return run

    def commenter(errors, stop):
        n = 0
        while not stop.is_set():
            r = c.post_json("/api/v1/items/%d/comments" % items[n % len(items)],
                            {"body": "comment %d during a recompute" % n}, token=tokens[0])
            if r.status not in (201, 429):
                errors.append("comment %d: %s" % (r.status, r.text[:200]))
            n += 1
            time.sleep(0.05)

    errors = storm(g, 8, [voter(k) for k in range(4)] + [opener(k) for k in range(2)] +
                   [commenter])
    check(not errors, "writes failed during recomputes: %s" % errors[:5])
    check("incremental update" not in g.server_log(),
          "the ranker logged a failed incremental update:\n" + g.server_log()[-2000:])
    # every item's explanation counts exactly the upvotes left standing
    for item in items:
        want = sum(1 for (k, i), v in last_vote.items() if i == item and v == 1)
        wait_for_why(c, item, lambda e, w=want: e["ups"] == w, seconds=20)
    # and a vote after the storm still moves the score at once
    r = c.post_json("/api/v1/items/%d/vote" % items[0], {"value": -1, "reason": "spam"},
                    token=tokens[3])
    check(r.status == 200, r.text)
    why = wait_for_why(c, items[0], lambda e: e["downs"] == 1, seconds=20)
    check(why["explanation"]["downs"] == 1, json.dumps(why))


test_votes_opens_comments_during_recomputes.serve_args = (
    "--rank-interval", "1", "--limits", "vote=1000000/3600,comment=1000000/3600")


test_votes_opens_comments_during_recomputes.slow = True  # threads: ThreadSanitizer runs it: --quick (valgrind) skips it
