"""Operating Guild: /healthz for load balancers, /metrics for Prometheus, backups."""
import os
import re
import time
import urllib.parse

import harness
from harness import Client, check


def until(seconds, fn):
    t0 = time.time()
    while time.time() - t0 < seconds:
        if fn():
            return time.time() - t0
        time.sleep(0.05)
    return None

METRICS_TOKEN = "metrics-token-0123456789abcdef"
SAMPLE = re.compile(r'^(guild_[a-z_]+)(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? '
                    r'(-?[0-9.]+(e[+-]?[0-9]+)?|\+Inf|NaN)$')


def parse_metrics(text):
    """Prometheus text exposition, checked line by line: every sample's family was announced
    by # HELP and # TYPE first. Returns {(name, labels): value}."""
    announced, samples = {}, {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            announced[line.split()[2]] = None
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            check(name in announced, f"TYPE without HELP: {line}")
            check(kind in ("counter", "gauge", "histogram"), line)
            announced[name] = kind
            continue
        m = SAMPLE.match(line)
        check(m is not None, f"not a metric sample: {line!r}")
        name = m.group(1)
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in announced else name
        check(announced.get(family) is not None, f"sample before its HELP/TYPE: {line}")
        samples[(name, m.group(2) or "")] = float(m.group(4))
    return samples


def test_healthz_and_metrics(g):
    c = Client(g)
    r = c.get("/healthz")
    check(r.status == 200 and r.text == "ok\n", f"healthy: {r.status} {r.text}")
    c.get("/no/such/page")
    # the ranker's first run, at start, may still be under way
    check(until(5, lambda: "guild_ranker_runs_total{result=\"ok\"} 0" not in
                c.get("/metrics").text) is not None, "the ranker ran at start")

    def front_page_hit():
        # a write's notice (the ranker's, on PostgreSQL) may drop the cache between two views
        for _ in range(3):
            c.get("/")
        return parse_metrics(c.get("/metrics").text).get(
            ("guild_page_cache_total", '{result="hit"}'), 0) >= 1
    check(until(5, front_page_hit) is not None, "page-cache hits counted")
    # a request is counted when the server has finished with it, which may be a moment after
    # the client has its answer: wait for the third view's count before the full check
    key = ("guild_http_requests_total", '{method="GET",route="/",status="200"}')
    until(5, lambda: parse_metrics(c.get("/metrics").text).get(key, 0) >= 3)
    r = c.get("/metrics")
    check(r.status == 200 and r.header("Content-Type").startswith("text/plain; version=0.0.4"),
          f"metrics: {r.status} {r.header('Content-Type')}")
    m = parse_metrics(r.text)
    front = m.get(("guild_http_requests_total", '{method="GET",route="/",status="200"}'), 0)
    check(front >= 3, f"the front page's requests are counted: {front}")
    check(m.get(("guild_http_requests_total",
                 '{method="any",route="unmatched",status="404"}'), 0) >= 1, "and a 404")
    buckets = [v for (n, _), v in m.items() if n == "guild_http_request_duration_seconds_bucket"]
    check(buckets == sorted(buckets) and buckets[-1] ==
          m[("guild_http_request_duration_seconds_count", "")], "a cumulative histogram")
    for name in ("guild_db_pool_waits_total", "guild_mail_queue", "guild_up",
                 "guild_ranker_last_duration_seconds", "guild_feed_entries_new_total"):
        check((name, "") in m, f"{name} exported")
    check(m[("guild_ranker_runs_total", '{result="ok"}')] >= 1, "the ranker's first run counted")
    check(m[("guild_up", "")] == 1, "the database answered")
    # through a proxy (or from elsewhere) only with the token
    fwd = {"X-Forwarded-For": "203.0.113.9"}
    check(c.get("/metrics", headers=fwd).status == 403, "a forwarded request needs the token")
    r = c.get("/metrics", headers=dict(fwd, Authorization="Bearer " + METRICS_TOKEN))
    check(r.status == 200 and "guild_up 1" in r.text, "the token opens it")
    r = c.get("/metrics", headers=dict(fwd, Authorization="Bearer " + METRICS_TOKEN[:-1] + "x"))
    check(r.status == 403, "a wrong token does not")
    if g.engine == "sqlite":
        # a database moved from under the server: unhealthy until it is back
        os.rename(g.db, g.db + ".moved")
        try:
            r = c.get("/healthz")
            check(r.status == 503 and "unavailable" in r.text,
                  f"moved database: {r.status} {r.text}")
        finally:
            os.rename(g.db + ".moved", g.db)
    else:
        # the database refuses connections and drops the server's: unhealthy until it is back,
        # and the server reconnects by itself
        c.get("/login")  # its form's CSRF token, for a sign-in sent during the outage
        harness.PG.sql("postgres", "ALTER DATABASE %s ALLOW_CONNECTIONS false" % g.pg_name)
        harness.PG.sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = '%s'" % g.pg_name)
        try:
            r = c.get("/healthz")
            check(r.status == 503 and "unavailable" in r.text,
                  f"database gone: {r.status} {r.text}")
            # a page that needs the database says so, as a load balancer and a person expect
            r = c.get("/search?q=pricing")
            check(r.status == 503 and "not answering" in r.text and
                  r.header("Retry-After") == "5", f"a page while it is gone: {r.status}")
            # a form sent meanwhile: nothing saved, and the way back to its input
            body = urllib.parse.urlencode({"handle": "nobody", "password": "x" * 12,
                                           "csrf": c.csrf or ""}).encode()
            r = c.request("POST", "/login", data=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": g.url("/login")})
            check(r.status == 503 and "nothing was saved" in r.text and
                  "Back to the form" in r.text, f"a form while it is gone: {r.status}")
            r = c.get("/api/v1/items/1/why")
            check(r.status == 503 and r.json().get("error") == "unavailable",
                  f"the API while it is gone: {r.status} {r.text[:200]}")
        finally:
            harness.PG.sql("postgres", "ALTER DATABASE %s ALLOW_CONNECTIONS true" % g.pg_name)
    check(until(5, lambda: c.get("/healthz").status == 200) is not None,
          "healthy again once it is back")
    check(c.get("/").status == 200, "and pages are served again")


test_healthz_and_metrics.serve_args = ("--metrics-token", METRICS_TOKEN)


def test_metrics_token_is_checked_at_start(g):
    r = g.cli("serve", "--db", g.db, "--metrics-token", "short", expect=2)
    check("16 to 254 characters" in r.stderr, r.stderr)
    path = os.path.join(g.dir, "token")
    with open(path, "w") as f:
        f.write(METRICS_TOKEN + "\n")
    g.start("--metrics-token", "@" + path)
    r = Client(g).get("/metrics", headers={"X-Forwarded-For": "203.0.113.9",
                                           "Authorization": "Bearer " + METRICS_TOKEN})
    check(r.status == 200, "a token read from a file works")


test_metrics_token_is_checked_at_start.own_guild = True


def test_backup_during_a_write_mix(g):
    """guild backup while four writers post through the API: the copy is whole (integrity
    check), holds at least what was there before it began, and a server runs on it."""
    import sqlite3
    import subprocess
    import threading
    import time
    c = Client(g)
    first = c.post_json("/api/v1/items", {"url": "https://example.org/first",
                                          "title": "The first post before the backup"},
                        token=g.root_token).json()["item"]["id"]
    before = sqlite3.connect(g.db).execute("SELECT count(*) FROM comments").fetchone()[0]
    stop, errors, acked = threading.Event(), [], [0]

    def writer(k):
        w = Client(g)
        while not stop.is_set():
            r = w.post_json("/api/v1/items/%d/comments" % first,
                            {"body": "comment %d at %f" % (k, time.time())}, token=g.root_token)
            if r.status == 201:
                acked[0] += 1
            elif r.status not in (429,):
                errors.append(r.status)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        copies = []
        for n in range(2):
            path = os.path.join(g.dir, "backup-%d.db" % n)
            r = subprocess.run([g.binary, "backup", "--db", g.db, "--to", path],
                               capture_output=True, text=True, timeout=60)
            check(r.returncode == 0 and "quick check ok" in r.stdout, r.stderr + r.stdout)
            copies.append(path)
            time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    check(not errors and acked[0] > 20, f"writes went on during the backups: {acked[0]} "
                                        f"acknowledged, errors {errors[:5]}")
    live = sqlite3.connect(g.db).execute("SELECT count(*) FROM comments").fetchone()[0]
    for path in copies:
        con = sqlite3.connect(path)
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity " + path)
        check(con.execute("PRAGMA foreign_key_check").fetchall() == [], "foreign keys " + path)
        n = con.execute("SELECT count(*) FROM comments").fetchone()[0]
        check(before <= n <= live, f"a snapshot: {before} <= {n} <= {live}")
        con.close()
    r = g.cli("backup", "--db", g.db, "--to", copies[0], expect=1)
    check("already exists" in r.stderr, "an existing file is never overwritten")
    r = g.cli("backup", "--db", os.path.join(g.dir, "none.db"), "--to",
              os.path.join(g.dir, "x.db"), expect=1)
    check("no database" in r.stderr and not os.path.exists(os.path.join(g.dir, "x.db")),
          "a missing database writes nothing")
    # restore: serve the copy
    g.stop()
    g.db = copies[1]
    g.start()
    check(Client(g).get("/healthz").status == 200, "the restored guild answers")
    check("The first post before the backup" in Client(g).get("/new").text, "with its posts")


test_backup_during_a_write_mix.serve_args = ("--limits", "comment=1000000/3600")


def failed_logins_from(c, ip, handles):
    statuses = []
    for h in handles:
        r = c.request("POST", "/login",
                      data=("handle=%s&password=wrong&csrf=%s" % (h, c.csrf)).encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded",
                               "X-Real-IP": ip})
        statuses.append(r.status)
    return statuses


def test_behind_a_proxy_the_client_address_is_the_proxys_word(g):
    """With --trust-proxy, the X-Real-IP a local proxy sets is the client: the sign-in limit
    of one address does not stop another. A malformed X-Real-IP is not believed."""
    c = Client(g)
    c.get("/login")
    s = failed_logins_from(c, "198.51.100.7", ["ghost%d" % i for i in range(11)])
    check(s[:10] == [401] * 10 and s[10] == 429, f"one address is limited: {s}")
    check(failed_logins_from(c, "198.51.100.8", ["ghostx"]) == [401], "another is not")
    check(failed_logins_from(c, "2001:db8::1", ["ghosty"]) == [401], "IPv6 too")
    # an IPv6 subscriber's /64 is one address to the limits: rotating within it does not help
    s = failed_logins_from(c, "2001:db8::2", ["six%d" % i for i in range(9)]) + \
        failed_logins_from(c, "2001:db8::ffff", ["sixz"])
    check(s == [401] * 9 + [429], f"one /64, one budget: {s}")
    check(failed_logins_from(c, "2001:db8:0:1::1", ["sixy"]) == [401], "the next /64 is another")
    s = failed_logins_from(c, "198.51.100.7, 10.0.0.1", ["ghost%d" % i for i in range(20, 30)])
    check(s == [401] * 10, f"a malformed X-Real-IP: {s}")
    r = c.request("POST", "/login", data=("handle=ghostz&password=wrong&csrf=%s" % c.csrf).encode(),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 429, f"counted as the proxy's own address, which is now limited: {r.status}")
    r = c.get("/metrics", headers={"X-Real-IP": "198.51.100.9"})
    check(r.status == 403, "a proxied request is not this machine's")


test_behind_a_proxy_the_client_address_is_the_proxys_word.serve_args = ("--trust-proxy",)


def test_without_trust_proxy_x_real_ip_is_ignored(g):
    c = Client(g)
    c.get("/login")
    s = [failed_logins_from(c, "198.51.100.%d" % i, ["ghost%d" % i])[0] for i in range(11)]
    check(s[:10] == [401] * 10 and s[10] == 429, f"every attempt is the peer's: {s}")

test_behind_a_proxy_the_client_address_is_the_proxys_word.slow = True  # many sign-ins: --quick (valgrind) skips it

test_without_trust_proxy_x_real_ip_is_ignored.slow = True  # many sign-ins: --quick (valgrind) skips it
test_backup_during_a_write_mix.engines = ("sqlite",)  # pg_dump's job on PostgreSQL (docs/deploy.md)
