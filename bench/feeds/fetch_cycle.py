#!/usr/bin/env python3
"""bench/feeds fetch cycle: 2,000 directory blogs whose feeds are served from loopback (20
hosts, 127.0.0.2-21, 100 feeds each, 10 entries per feed), one `guild fetch` cycle, then a
second with every feed due again (conditional GET: the servers answer 304 to a matching
ETag). Prints feeds/s for both cycles and how many answers were 304.

usage: fetch_cycle.py GUILD_BINARY [FEEDS (2000)] [HOSTS (20)]
Loopback only; the servers and the database are the script's own and removed at the end."""
import http.server
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time


class Feeds(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall
    counts = {"200": 0, "304": 0, "404": 0}
    lock = threading.Lock()
    bodies = {}  # made before the cycles, so the servers spend as little as they can

    def log_message(self, *args):
        pass

    def do_GET(self):
        etag = '"%s"' % self.path
        body = Feeds.bodies.get(self.path)
        status = 304 if self.headers.get("If-None-Match") == etag else 200 if body else 404
        body = body if status == 200 else b""
        with Feeds.lock:
            Feeds.counts[str(status)] = Feeds.counts.get(str(status), 0) + 1
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def make_body(host, path):
    items = "".join(
        "<item><title>Post %d of %s</title><link>http://%s%s/p/%d</link>"
        "<guid>%s-%d</guid><pubDate>Mon, 23 Nov 2026 08:%02d:00 GMT</pubDate>"
        "<description>&lt;p&gt;Notes on &lt;b&gt;pipeline&lt;/b&gt; number %d.&lt;/p&gt;"
        "</description></item>" % (i, path, host, path, i, path, i, i, i) for i in range(10))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            '<title>Feed %s</title>%s</channel></rss>' % (path, items)).encode()


def main():
    guild = os.path.abspath(sys.argv[1])
    nfeeds = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    nhosts = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    work = tempfile.mkdtemp(prefix="guild-fetchbench-")
    servers = []
    try:
        probe = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Feeds)
        port = probe.server_address[1]
        servers.append(probe)
        for h in range(1, nhosts):
            servers.append(http.server.ThreadingHTTPServer(("127.0.0.%d" % (h + 2), port), Feeds))
        for s in servers:
            s.daemon_threads = True
            threading.Thread(target=s.serve_forever, daemon=True).start()
        db = os.path.join(work, "bench.db")
        subprocess.run([guild, "init", "--db", db], check=True, capture_output=True)
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write("bench-password-1\n")
        subprocess.run([guild, "user", "add", "--db", db, "--handle", "bench", "--name",
                        "Bench", "--email", "bench@example.org", "--password-file", pw,
                        "--role", "admin"], check=True, capture_output=True)
        # the directory's blogs, written straight into the benchmark's own database
        con = sqlite3.connect(db)
        now = int(time.time())
        rows = []
        for i in range(nfeeds):
            host = "127.0.0.%d:%d" % (i % nhosts + 2, port)
            url = "http://%s/blog/%d" % (host, i)
            rows.append(("blog", url, url, host.split(":")[0], "Blog %d" % i,
                         "http://%s/feed/%d.xml" % (host, i), 1, now))
        for i in range(nfeeds):
            host = "127.0.0.%d:%d" % (i % nhosts + 2, port)
            Feeds.bodies["/feed/%d.xml" % i] = make_body(host, "/feed/%d.xml" % i)
        con.executemany("INSERT INTO items (kind, url, canon_url, domain, title, feed_url, "
                        "user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.commit()
        con.close()
        env = dict(os.environ, GUILD_TEST_MODE="1")
        # GUILD_WRAPPER runs guild under a tool, e.g. "perf record -g -o /tmp/perf.data"
        cmd = os.environ.get("GUILD_WRAPPER", "").split() + [guild, "fetch", "--db", db, "--allow-loopback", "--host-gap-ms", "0",
               "--parallel", "16"]
        results = []
        for cycle in (1, 2):
            if cycle == 2:
                con = sqlite3.connect(db)
                con.execute("UPDATE feeds SET next_check_at = 0")
                con.commit()
                con.close()
                Feeds.counts = {"200": 0, "304": 0, "404": 0}
            t0 = time.monotonic()
            r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
            secs = time.monotonic() - t0
            if r.returncode != 0:
                print("fetch failed: " + r.stderr, file=sys.stderr)
                return 1
            first = r.stdout.splitlines()[0]
            results.append((secs, first, dict(Feeds.counts),
                            r.stdout.splitlines()[1] + "; " + r.stdout.splitlines()[3]))
        con = sqlite3.connect(db)
        entries = con.execute("SELECT count(*) FROM entries").fetchone()[0]
        con.close()
        for n, (secs, line, counts, ent) in enumerate(results, 1):
            print("cycle %d: %d feeds on %d hosts in %.2f s = %.0f feeds/s (%s; %s; answers "
                  "200: %d, 304: %d)" % (n, nfeeds, nhosts, secs, nfeeds / secs, line, ent,
                                         counts["200"], counts["304"]))
        print("entries stored: %d" % entries)
        return 0
    finally:
        for s in servers:
            s.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
