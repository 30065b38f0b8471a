"""The SSRF guard end to end: guild fetch-url against a loopback server this test starts."""
import gzip
import http.server
import threading
import time

from harness import check


def own_guild(fn):
    fn.own_guild = True
    return fn


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        port = self.server.server_address[1]
        routes = {
            "/ok": (200, {"ETag": '"v1"', "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"}, b"hello feed"),
            "/big": (200, {}, b"x" * 3_000_000),
            "/moved": (301, {"Location": "/ok"}, b""),
            "/found": (302, {"Location": "http://127.0.0.1:%d/ok" % port}, b""),
            "/to-private": (302, {"Location": "http://10.0.0.1/"}, b""),
            "/to-metadata": (307, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
        }
        if self.path == "/slow":
            time.sleep(3)
            routes["/slow"] = (200, {}, b"late")
        if self.path == "/gzip":
            routes["/gzip"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(b"z" * 10000))
        if self.path == "/cond" and self.headers.get("If-None-Match") == '"v1"':
            routes["/cond"] = (304, {}, b"")
        elif self.path == "/cond":
            routes["/cond"] = (200, {"ETag": '"v1"'}, b"new")
        status, headers, body = routes.get(self.path, (404, {}, b"no"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up on purpose (size or time cap)


@own_guild
def test_fetch_guard_end_to_end(g):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    test = {"GUILD_TEST_MODE": "1"}
    try:
        r = g.cli("fetch-url", base + "/ok", expect=1)
        check("refused: loopback address" in r.stderr, "loopback refused by default: " + r.stderr)
        r = g.cli("fetch-url", "http://localhost:%d/ok" % srv.server_address[1], expect=1)
        check("loopback" in r.stderr, "a name resolving to loopback is refused")
        r = g.cli("fetch-url", base + "/ok", "--allow-loopback", expect=2, env={"GUILD_TEST_MODE": "0"})
        check("only in test mode" in r.stderr, "the allow-list is refused outside test mode")
        r = g.cli("fetch-url", base + "/ok", "--allow-loopback", env=test)
        check("status 200, 10 bytes" in r.stdout and 'etag "v1"' in r.stdout, r.stdout)
        check("last-modified Mon, 02 Nov 2026 10:00:00 GMT" in r.stdout, "validators kept exactly")
        r = g.cli("fetch-url", base + "/moved", "--allow-loopback", env=test)
        check("1 redirect (permanent)" in r.stdout and r.stdout.rstrip().count("/ok"), r.stdout)
        r = g.cli("fetch-url", base + "/found", "--allow-loopback", env=test)
        check("(temporary)" in r.stdout, "302 is not permanent")
        for path, why in (("/to-private", "private address"), ("/to-metadata", "link-local address"),
                          ("/to-file", "")):
            r = g.cli("fetch-url", base + path, "--allow-loopback", expect=1, env=test)
            check("refused: " + why in r.stderr, "redirect re-checked (%s): %s" % (path, r.stderr))
        r = g.cli("fetch-url", base + "/big", "--allow-loopback", "--max-bytes", "1000000",
                  expect=1, env=test)
        check("too large" in r.stderr, "size cap")
        r = g.cli("fetch-url", base + "/loop", "--allow-loopback", expect=1, env=test)
        check("too many redirects" in r.stderr, "redirect cap")
        t0 = time.time()
        r = g.cli("fetch-url", base + "/slow", "--allow-loopback", "--timeout", "1", expect=1, env=test)
        check("timed out" in r.stderr and time.time() - t0 < 2.5, "time cap")
        r = g.cli("fetch-url", base + "/gzip", "--allow-loopback", env=test)
        check("status 200, 10000 bytes" in r.stdout, "gzip decoded: " + r.stdout)
        r = g.cli("fetch-url", "ftp://example.org/x", expect=1)
        check("only http and https" in r.stderr, "schemes")
        g.cli("fetch-url", base + "/ok", "--max-bytes", "zero", expect=2)
    finally:
        srv.shutdown()
