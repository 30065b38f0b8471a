"""Several `guild serve` processes on one database (here one SQLite file on one machine; the
same duties on PostgreSQL are issue 15's next step): a write on one node reaches the other
node's page cache within a second."""
import os
import re
import subprocess
import time

from harness import Client, check


class Node:
    """A second `guild serve` on the guild's database, stopped by PID."""

    def __init__(self, g, *extra):
        self.log = open(os.path.join(g.dir, "node-%d.log" % time.monotonic_ns()), "w")
        policy = [] if "--policy" in extra else ["--policy", "new-member-days=0,thread-gap=0"]
        fetch = [] if "--fetch-every" in extra else ["--fetch-every", "0"]
        self.proc = subprocess.Popen(
            [g.binary, "serve", "--db", g.db, "--listen", "127.0.0.1:0", "--rank-interval",
             "3600", *policy, *fetch, *extra], stdout=subprocess.PIPE, stderr=self.log, text=True,
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
