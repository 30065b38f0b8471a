"""Operating Guild: /healthz for load balancers, /metrics for Prometheus, backups."""
import os
import re

from harness import Client, check

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
    for _ in range(3):
        c.get("/")
    c.get("/no/such/page")
    r = c.get("/metrics")
    check(r.status == 200 and r.header("Content-Type").startswith("text/plain; version=0.0.4"),
          f"metrics: {r.status} {r.header('Content-Type')}")
    m = parse_metrics(r.text)
    front = m.get(("guild_http_requests_total", '{method="GET",route="/",status="200"}'), 0)
    check(front >= 3, f"the front page's requests are counted: {front}")
    check(m.get(("guild_http_requests_total",
                 '{method="any",route="unmatched",status="404"}'), 0) >= 1, "and a 404")
    check(m[("guild_page_cache_total", '{result="hit"}')] >= 1, "page-cache hits counted")
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
    # a database moved from under the server: unhealthy until it is back
    os.rename(g.db, g.db + ".moved")
    try:
        r = c.get("/healthz")
        check(r.status == 503 and "unavailable" in r.text, f"moved database: {r.status} {r.text}")
    finally:
        os.rename(g.db + ".moved", g.db)
    check(c.get("/healthz").status == 200, "healthy again once it is back")


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
