"""Several `guild serve` processes on one database (one SQLite file, or in the PostgreSQL pass
one PostgreSQL database): a write on one node reaches the other node's page cache within a
second; one node ranks and fetches, another takes over; on PostgreSQL the rate limits are
one budget for all nodes."""
import os
import re
import subprocess
import time
import urllib.request

from harness import Client, NoRedirect, check


class Node:
    """A second `guild serve` on the guild's database, stopped by PID."""

    def __init__(self, g, *extra):
        self.log = open(os.path.join(g.dir, "node-%d.log" % time.monotonic_ns()), "w")
        policy = [] if "--policy" in extra else ["--policy", "new-member-days=0,thread-gap=0"]
        fetch = [] if "--fetch-every" in extra else ["--fetch-every", "0"]
        rank = [] if "--rank-interval" in extra else ["--rank-interval", "3600"]
        self.proc = subprocess.Popen(
            [g.binary, "serve", "--db", g.db, "--listen", "127.0.0.1:0", *rank, *policy, *fetch,
             *extra], stdout=subprocess.PIPE, stderr=self.log, text=True,
            env=dict(os.environ, GUILD_TEST_MODE="1") if "--allow-loopback" in extra else None)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            raise AssertionError("second node did not start: " + line)
        self.port = int(m.group(1))

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        with open(self.log.name) as f:
            log = f.read()
        for marker in ("AddressSanitizer", "ThreadSanitizer", "LeakSanitizer", "runtime error:"):
            check(marker not in log, "node log reports %s:\n%s" % (marker, log[-3000:]))
        return self.proc.returncode


def until(deadline_s, fn):
    """Polls fn every 50 ms until it is true or the time is up; returns seconds taken or None."""
    t0 = time.time()
    while time.time() - t0 < deadline_s:
        if fn():
            return time.time() - t0
        time.sleep(0.05)
    return None


def test_a_write_on_one_node_reaches_the_others_page_cache(g):
    b = Node(g)
    try:
        other = Client(b)
        # once both nodes' start-up writes (their rankers' first runs) have settled, B serves
        # /new from its page cache
        check(until(5, lambda: other.get("/new").header("X-Guild-Cache") == "hit" and
                    other.get("/new").header("X-Guild-Cache") == "hit") is not None,
              "node B serves /new from its page cache")
        first = other.get("/new")
        r = Client(g).post_json("/api/v1/items", {"url": "https://example.org/two-nodes",
                                                  "title": "Written on node A"},
                                token=g.root_token)
        check(r.status == 201, f"written on A: {r.status}")
        took = until(3, lambda: "Written on node A" in other.get("/new").text)
        check(took is not None and took < 1.5,
              f"node B's cached page shows A's write within a second or so: {took} "
              f"(A: {'Written on node A' in Client(g).get('/new').text}, "
              f"B: {other.get('/new').header('X-Guild-Cache')})")
        check("Written on node A" not in first.text, "and did not before")
    finally:
        check(b.stop() == 0, "node B stopped cleanly")


def metric(node, name):
    text = Client(node).get("/metrics").text
    m = re.search(r"^%s (\d+)" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else 0


RUNS = 'guild_ranker_runs_total{result="ok"}'
FETCHED = 'guild_feed_fetches_total{result="ok"}'


def lease_holders(g):
    return dict(g.query("SELECT name, holder FROM leases"))


def test_one_node_ranks_and_fetches_and_another_takes_over(g):
    """Of two nodes, one holds the ranker's and the fetcher's leases: one recomputes, one
    fetches each feed once. A vote on the other node reaches the score within two seconds.
    When the holder is killed (SIGKILL), the other takes both over within two intervals."""
    import http.server
    import threading
    feed_hits = []

    class Feed(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            feed_hits.append(self.path)
            body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Two Nodes</title>'
                    b'<item><title>Posted once</title><link>https://example.org/p1</link>'
                    b'<guid>p1</guid></item></channel></rss>')
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    g.cli("init", "--db", g.db)
    g.cli("user", "add", "--db", g.db, "--handle", "root", "--name", "Root", "--email",
          "root@guildhq.org", "--password-file", g.password_file("root-password-123"),
          "--role", "admin", "--affiliation", "Guild HQ", "--domain", "guildhq.org")
    root = g.cli("token", "create", "--db", g.db, "--user", "root").stdout.strip()
    args = ("--rank-interval", "3", "--fetch-every", "1", "--allow-loopback",
            "--host-gap-ms", "100")
    a = Node(g, *args)
    b = Node(g, *args)
    nodes = [a, b]
    try:
        # a member invited by root, whose vote the trust walk counts
        code = g.cli("invite", "--db", g.db, "--by", "root").stdout.strip()
        c = Client(b)
        c.get(code)
        r = c.post_form(code, {"handle": "vera", "name": "Vera Voter", "email": "vera@ex.org",
                               "password": "member-password-1", "affiliation": "independent",
                               "domain": ""})
        check(r.status == 303, f"vera joined: {r.status}")
        vera = g.cli("token", "create", "--db", g.db, "--user", "vera").stdout.strip()
        base = "http://127.0.0.1:%d" % server.server_address[1]
        r = Client(a).post_json("/api/v1/items", {"kind": "blog", "url": base + "/",
                                                  "title": "Two Nodes",
                                                  "feed_url": base + "/feed.xml"}, token=root)
        check(r.status == 201, f"blog nominated: {r.text[:200]}")
        item = Client(a).post_json("/api/v1/items", {"url": "https://example.org/ranked",
                                                     "title": "Scored by one node"},
                                   token=root).json()["item"]["id"]
        check(until(8, lambda: feed_hits) is not None, "the feed was fetched")
        time.sleep(2.5)  # two more fetch cycles on each node: nothing is due again
        fetched = [metric(n, FETCHED) for n in nodes]
        check(sorted(fetched) == [0, 1] and len(feed_hits) == 1,
              f"one node fetched the feed, once: per node {fetched}, requests {feed_hits}")
        runs = [metric(n, RUNS) for n in nodes]
        check(min(runs) == 0 and max(runs) >= 1, f"one node recomputes: runs per node {runs}")
        leader, other = (a, b) if runs[0] else (b, a)
        # a vote on the node without the lease reaches the score through the leader
        score = lambda n: Client(n).get("/api/v1/items/%d" % item).json()["item"]["score"]
        before = score(other)
        Client(other).get("/go/%d" % item, headers={"Authorization": "Bearer " + vera})
        r = Client(other).post_json("/api/v1/items/%d/vote" % item, {"value": 1}, token=vera)
        check(r.status == 200, f"vote: {r.status} {r.text[:200]}")
        took = until(4, lambda: score(a) != before and score(b) != before)
        check(took is not None and took < 2.5, f"the score moved within two seconds: {took}")
        check(metric(other, RUNS) == 0, "and the node without the lease did not recompute")
        # the leader dies: the other takes both leases over
        held = lease_holders(g)
        leader.proc.kill()
        leader.proc.wait()
        nodes.remove(leader)
        leader.stop()  # closes its pipes and reads its log for sanitizer reports
        took = until(8, lambda: metric(other, RUNS) >= 1)
        check(took is not None and took <= 6, f"the ranker moved within 2 x 3 s: {took}")
        check(until(5, lambda: all(lease_holders(g)[k] != held[k] for k in held)) is not None,
              f"and the fetcher with it: {held} -> {lease_holders(g)}")
    finally:
        for n in nodes:
            n.stop()
        server.shutdown()


test_one_node_ranks_and_fetches_and_another_takes_over.own_guild = True


def test_two_nodes_share_one_rate_limit(g):
    """On PostgreSQL the login and action limits are counted in the database: failed sign-ins
    spread over two nodes reach the one budget (10 an account), and so do votes (here 4 an
    hour a member); a success on one node clears the account's count for both."""
    b = Node(g, "--limits", "vote=4/3600")
    try:
        nodes = [Client(g), Client(b)]
        for c in nodes:
            c.get("/login")
        for k in range(10):
            r = nodes[k % 2].post_form("/login", {"handle": "root", "password": "wrong-%d" % k})
            check(r.status == 401, "failed sign-in %d: %d" % (k + 1, r.status))
        for c in nodes:
            r = c.post_form("/login", {"handle": "root", "password": g.root_password})
            check(r.status == 429, "the 11th attempt is refused on either node: %d" % r.status)
        check(g.query("SELECT count FROM rate_limits WHERE name = 'login' AND key LIKE 'u:%'")
              == [(10,)], "one count in the database")
        # votes: A's limit is the default, B's is 4 an hour; B counts what A counted
        items = [Client(g).post_json("/api/v1/items", {"url": "https://l%d.example.org/" % k,
                                                       "title": "Limit %d" % k},
                                     token=g.root_token).json()["id"] for k in range(5)]
        g.cli("user", "add", "--db", g.db, "--handle", "voter", "--name", "Voter", "--email",
              "voter@example.org", "--password-file", g.password_file("voter-password-1"),
              "--affiliation", "Independent", "--domain", "")
        token = g.cli("token", "create", "--db", g.db, "--user", "voter").stdout.strip()
        for k in range(4):
            r = Client(g).post_json("/api/v1/items/%d/vote" % items[k], {"value": 1},
                                    token=token)
            check(r.status in (200, 201), "vote %d on node A: %d %s" % (k + 1, r.status, r.text))
        r = Client(b).post_json("/api/v1/items/%d/vote" % items[4], {"value": 1}, token=token)
        check(r.status == 429 and r.header("Retry-After"),
              "node B counts node A's votes: %d %s" % (r.status, r.text))
    finally:
        check(b.stop() == 0, "node B stopped cleanly")


test_two_nodes_share_one_rate_limit.engines = ("postgresql",)  # SQLite: limits per process


def test_a_sign_out_on_one_node_ends_the_session_on_the_other(g):
    """A member signed in through node A is known to node B by the same cookie; signing out
    on A ends the session on B within a second, though B remembered who it was."""
    b = Node(g)
    try:
        on_a = Client(g)
        on_a.login("root", g.root_password)
        on_b = Client(b)
        on_b.jar = on_a.jar  # one browser: the cookie is the host's, whatever the port
        on_b.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(on_a.jar),
                                                  NoRedirect())
        for _ in range(2):  # the second from B's memory of the session, on PostgreSQL
            check(on_b.get("/settings").status == 200, "signed in on node B too")
        on_a.get("/settings")
        kept = "; ".join("%s=%s" % (c.name, c.value) for c in on_a.jar)  # a copied cookie
        r = on_a.post_form("/logout", {})
        check(r.status in (200, 303), "signed out on node A: %d" % r.status)
        check(on_a.get("/settings").status == 303, "node A asks to sign in")
        took = until(3, lambda: Client(b).get("/settings", headers={"Cookie": kept}).status
                     == 303)
        check(took is not None and took < 1.5, "node B ended the session too: %s" % took)
    finally:
        check(b.stop() == 0, "node B stopped cleanly")
