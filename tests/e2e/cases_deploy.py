"""The shipped deployment files, used as shipped: deploy/nginx/guild.conf in front of a
`guild serve --trust-proxy` (TLS with a throw-away certificate, nginx started and stopped by
PID), and the systemd units checked by systemd-analyze when the machine has it."""
import http.cookiejar
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request

from harness import check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def render_site(g, tls_port, http_port, work):
    """The shipped site with this test's ports, certificate and node; nothing else changed."""
    site = open(os.path.join(ROOT, "deploy/nginx/guild.conf")).read()
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % tls_port)
    site = site.replace("listen 80;", "listen 127.0.0.1:%d;" % http_port)
    site = site.replace("/etc/letsencrypt/live/guild.example.org/fullchain.pem", work + "/cert.pem")
    site = site.replace("/etc/letsencrypt/live/guild.example.org/privkey.pem", work + "/key.pem")
    site = site.replace("server 127.0.0.1:8080", "server 127.0.0.1:%d" % g.port)
    check(str(g.port) in site and str(tls_port) in site, "the site was rendered")
    return site


def start_nginx(g, work, tls_port, http_port):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=guild.example.org", "-keyout", work + "/key.pem",
                    "-out", work + "/cert.pem"], check=True, capture_output=True, timeout=60)
    with open(work + "/site.conf", "w") as f:
        f.write(render_site(g, tls_port, http_port, work))
    os.makedirs(work + "/tmp", exist_ok=True)
    os.chmod(work + "/tmp", 0o777)
    with open(work + "/nginx.conf", "w") as f:
        f.write("""daemon off; pid %(w)s/nginx.pid; error_log %(w)s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %(w)s/tmp/body; proxy_temp_path %(w)s/tmp/proxy;
    fastcgi_temp_path %(w)s/tmp/fastcgi; uwsgi_temp_path %(w)s/tmp/uwsgi;
    scgi_temp_path %(w)s/tmp/scgi;
    include %(w)s/site.conf;
}
""" % {"w": work})
    proc = subprocess.Popen(["nginx", "-c", work + "/nginx.conf"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", tls_port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError("nginx did not start: " + proc.stderr.read().decode())
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("nginx did not listen within 10 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def browser():
    """An HTTPS client that keeps cookies (the sign-in form's CSRF cookie) and trusts the
    test's certificate."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx), NoRedirect,
                                       urllib.request.HTTPCookieProcessor(
                                           http.cookiejar.CookieJar()))


def fetch(url, data=None, headers=None, opener=None):
    opener = opener or browser()
    req = urllib.request.Request(url, data=data, headers=headers or {},
                                 method="POST" if data is not None else "GET")
    try:
        with opener.open(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


def test_the_shipped_nginx_site_in_front_of_guild(g):
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        raise AssertionError("nginx and openssl are needed (scripts/install-deps.sh --test)")
    work = g.dir + "/nginx"
    os.makedirs(work)
    os.chmod(g.dir, 0o755)
    os.chmod(work, 0o755)
    tls, plain = free_port(), free_port()
    proc = start_nginx(g, work, tls, plain)
    try:
        base = "https://127.0.0.1:%d" % tls
        status, headers, body = fetch(base + "/")
        check(status == 200 and "Front page" in body, f"front page through nginx: {status}")
        check("max-age" in headers.get("Strict-Transport-Security", ""), "HSTS")
        check(fetch(base + "/healthz")[0:3:2] == (200, "ok\n"), "health through nginx")
        check(fetch(base + "/metrics")[0] == 403, "metrics are not served to the world")
        status, headers, _ = fetch("http://127.0.0.1:%d/i/1" % plain)
        check(status == 301 and headers.get("Location", "").startswith("https://"),
              f"plain HTTP is redirected: {status} {headers.get('Location')}")
        status, _, body = fetch(base + "/settings/opml", data=b"x" * (1050 * 1024),
                                headers={"Content-Type": "multipart/form-data; boundary=b"})
        check(status == 413 and "nginx" in body, f"bodies over 1 MB stop at nginx: {status}")
        # a client's own X-Real-IP is overwritten by nginx: the sign-in limit still holds
        b = browser()
        _, _, page = fetch(base + "/login", opener=b)
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        statuses = []
        for i in range(11):
            statuses.append(fetch(base + "/login", data=("handle=ghost%d&password=x&csrf=%s" % (
                i, csrf.group(1) if csrf else "")).encode(), headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Real-IP": "198.51.100.%d" % i}, opener=b)[0])
        check(statuses[10] == 429, f"spoofed X-Real-IP does not escape the limit: {statuses}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


test_the_shipped_nginx_site_in_front_of_guild.serve_args = ("--trust-proxy",)


def test_the_systemd_units_verify(g):
    if shutil.which("systemd-analyze") is None:
        return  # a machine without systemd has nothing to verify them with
    units = g.dir + "/units"
    os.makedirs(units)
    for name in ("guild.service", "guild-backup.service", "guild-backup.timer"):
        text = open(os.path.join(ROOT, "deploy/systemd", name)).read()
        with open(os.path.join(units, name), "w") as f:
            f.write(text.replace("/usr/local/bin/guild", g.binary))
    r = subprocess.run(["systemd-analyze", "verify"] + [os.path.join(units, n) for n in
                       ("guild.service", "guild-backup.service", "guild-backup.timer")],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and r.stderr.strip() == "", "systemd-analyze: " + r.stderr)


test_the_systemd_units_verify.own_guild = True

test_the_shipped_nginx_site_in_front_of_guild.slow = True  # nginx and TLS, not Guild's memory: --quick (valgrind) skips it
