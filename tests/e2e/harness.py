"""Test harness: starts `guild serve` on a loopback port with a temporary database, and
offers an HTTP client (no redirects followed, cookies kept) plus HTML/JSON checks.
Standard library only; HTML is validated with Debian's `tidy`."""
import http.cookiejar
import json
import os
import random
import re
import shlex
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Failure(AssertionError):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


# The engine this pass runs on: None for SQLite, or a started pgcluster.PgCluster (run.py
# --engine postgresql), in which each Guild gets a database of its own.
PG = None
_pg_dbs = [0]


class Guild:
    """One database and (optionally) one running server, stopped by PID at the end."""

    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.dir = tempfile.mkdtemp(prefix="guild-e2e-")
        self.engine = "postgresql" if PG is not None else "sqlite"
        if PG is not None:
            _pg_dbs[0] += 1
            self.pg_name = "case%d" % _pg_dbs[0]
            self.db = PG.createdb(self.pg_name)
        else:
            self.db = os.path.join(self.dir, "guild.db")
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.dir, "server.log")

    def cli(self, *args, expect=0, stdin=None, env=None):
        r = subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=60,
                           input=stdin, env=dict(os.environ, **(env or {})))
        if expect is not None:
            check(r.returncode == expect,
                  f"guild {' '.join(args)} exited {r.returncode}, wanted {expect}: {r.stderr}")
        return r

    def query(self, sql, args=()):
        """Runs one statement on this guild's database (either engine; ? parameters) and
        returns its rows as tuples: what a test reads or arranges behind the server's back."""
        if self.engine == "sqlite":
            import sqlite3
            con = sqlite3.connect(self.db, timeout=30)
            try:
                rows = con.execute(sql, args).fetchall()
                con.commit()
                return rows
            finally:
                con.close()
        parts = sql.split("?")
        check(len(parts) == len(args) + 1, "query: %d parameters for %r" % (len(args), sql))
        text = parts[0]
        for a, rest in zip(args, parts[1:]):
            if a is None:
                lit = "NULL"
            elif isinstance(a, (int, float)):
                lit = repr(a)
            else:
                lit = "'" + str(a).replace("'", "''") + "'"
            text += lit + rest
        return [tuple(_pg_value(v) for v in row) for row in PG.sql(self.pg_name, text)]

    def password_file(self, password):
        path = os.path.join(self.dir, "pw-%d" % time.monotonic_ns())
        with open(path, "w") as f:
            f.write(password + "\n")
        return path

    def start(self, *extra):
        self.log = open(self.log_path, "w")
        env = dict(os.environ, ARENA_DEBUG="1")
        if "--allow-loopback" in extra:
            env["GUILD_TEST_MODE"] = "1"  # the fetcher may reach the test's loopback servers
        # GUILD_WRAPPER runs the server under a tool, e.g. "valgrind --leak-check=full ..."
        wrapper = shlex.split(os.environ.get("GUILD_WRAPPER", ""))
        # members in tests join seconds before they act: no new-member period or thread pace
        # unless a test sets its own policy
        policy = [] if "--policy" in extra else ["--policy", "new-member-days=0,thread-gap=0"]
        # no feed fetching (the demo's blogs are on the internet) unless a test turns it on
        if "--fetch-every" not in extra:
            policy += ["--fetch-every", "0"]
        self.proc = subprocess.Popen(
            [*wrapper, self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
             "--rank-interval", "3600", *policy, *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        deadline = time.time() + (120 if wrapper else 20)
        line = ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
        raise Failure("server did not start: " + line + self.server_log())

    def stop(self):
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=120 if os.environ.get("GUILD_WRAPPER") else 15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Failure("server did not stop within 15 s of SIGTERM")
        finally:
            self.proc.stdout.close()
            self.log.close()
            self.proc = None
        return rc

    def server_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)


def _pg_value(v):
    """psql's text as the Python value sqlite3 would have returned (numbers as numbers)."""
    for kind in (int, float):
        try:
            return kind(v)
        except ValueError:
            pass
    return v


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)

    def header(self, name):
        return self.headers.get(name)

    def cookies(self):
        return self.headers.get_all("Set-Cookie") or []


class Client:
    """A browser-like client: keeps cookies, reads CSRF tokens from forms."""

    def __init__(self, guild):
        self.guild = guild
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.csrf = None

    def request(self, method, path, data=None, headers=None):
        req = urllib.request.Request(self.guild.url(path), data=data, method=method,
                                     headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as r:
                resp = Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            resp = Response(e.code, e.headers, e.read())
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', resp.text)
        if m:
            self.csrf = m.group(1)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path, fields, csrf=True, raw=None):
        fields = dict(fields)
        if csrf and "csrf" not in fields:
            fields["csrf"] = self.csrf or ""
        body = raw if raw is not None else urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, data=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path, fields, files=None, csrf=True):
        """A form as a browser sends one with a file field: files maps a field to
        (filename, bytes)."""
        fields = dict(fields)
        if csrf and "csrf" not in fields:
            fields["csrf"] = self.csrf or ""
        boundary = "----GuildTestBoundary%08x" % random.getrandbits(32)
        parts = []
        for name, value in fields.items():
            parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                         % (boundary.encode(), name.encode(), value.encode()))
        for name, (filename, data) in (files or {}).items():
            parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"'
                         b'\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n'
                         % (boundary.encode(), name.encode(), filename.encode(), data))
        body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
        return self.request("POST", path, data=body, headers={
            "Content-Type": "multipart/form-data; boundary=" + boundary})

    def post_json(self, path, obj, token=None, raw=None, headers=None):
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        body = raw if raw is not None else json.dumps(obj).encode()
        return self.request("POST", path, data=body, headers=h)

    def login(self, handle, password):
        self.get("/login")
        r = self.post_form("/login", {"handle": handle, "password": password})
        check(r.status == 303, f"login as {handle}: status {r.status}")
        self.get("/settings")  # pick up the session's CSRF token
        return r


def tidy_errors(html):
    """Returns tidy's complaints about a page (empty when it is valid HTML5)."""
    r = subprocess.run(["tidy", "-q", "-e", "-utf8", "--drop-empty-elements", "no"],
                       input=html, capture_output=True, timeout=30)
    if r.returncode == 0:
        return ""
    return r.stderr.decode("utf-8", "replace")


def check_page(resp, status=200):
    check(resp.status == status, f"status {resp.status}, wanted {status}: {resp.text[:300]}")
    check(resp.header("Content-Type").startswith("text/html"), "not HTML")
    problems = tidy_errors(resp.body)
    check(problems == "", "invalid HTML:\n" + problems)
    for h in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        check(resp.header(h), f"missing security header {h}")
    check("'unsafe-inline'" not in resp.header("Content-Security-Policy"), "CSP allows inline")
    own = '<script src="/static/guild.js" defer></script>'
    check(resp.text.count("<script") == resp.text.count(own) <= 1,
          "pages carry no script but the site's own optional one")
    return resp


def check_json_error(resp, status, field=None):
    check(resp.status == status, f"status {resp.status}, wanted {status}: {resp.text[:300]}")
    check(resp.header("Content-Type") == "application/json", "error is not JSON")
    body = resp.json()
    check("error" in body, "no error code in " + resp.text)
    if field is not None:
        check(body.get("field") == field, f"field {body.get('field')}, wanted {field}")
    return body
