"""Reader signals and the member's own data (issue 18), on either engine: saves, an author's
k-anonymous statistics, consents and the organisation's contact export, signed webhooks,
sign-up in one field with one-click unsubscribe, and the export and deletion of an account."""
import hashlib
import hmac
import http.server
import json
import re
import threading
import time

from harness import Client, check, check_json_error, check_page
from cases_forms import join, PW
from cases_api import token_for
from cases_monitor import SmtpSink, serve, TEST_ENV

ROUTE_ARGS = ("--allow-loopback",)


def new_link(g, token, url, title="A post worth reading"):
    r = Client(g).post_json("/api/v1/items", {"url": url, "title": title}, token=token)
    check(r.status == 201, f"submit: {r.status} {r.text}")
    return r.json()["item"]["id"]


def get_json(c, path, token, status=200):
    r = c.request("GET", path, headers={"Authorization": "Bearer " + token})
    check(r.status == status, f"GET {path}: {r.status} {r.text[:300]}")
    return r.json()


def monitor_cycle(g, *extra):
    """One monitor cycle from the CLI: alerts, subscriber mail, webhook deliveries, mail."""
    return g.cli("fetch", "--db", g.db, "--allow-loopback", "--feed-timeout", "1", *extra,
                 env=TEST_ENV, expect=0).stdout


def test_save_for_later(g):
    c = Client(g)
    ana = token_for(g, "root")
    item = new_link(g, ana, "https://saved.example.org/a", "Keep this one")
    m = join(g, "saver")
    tok = token_for(g, "saver")
    r = c.post_json("/api/v1/items/%d/save" % item, {"save": True}, token=tok)
    check(r.status == 200 and r.json() == {"item_id": item, "saved": True}, r.text)
    check(c.post_json("/api/v1/items/%d/save" % item, {"save": True}, token=tok).status == 200,
          "saving twice is fine")
    saved = get_json(c, "/api/v1/saved", tok)["items"]
    check([i["id"] for i in saved] == [item], f"the saved list: {saved}")
    check_json_error(c.post_json("/api/v1/items/%d/save" % item, {"save": "yes"}, token=tok),
                     400, "save")
    check_json_error(c.post_json("/api/v1/items/999999/save", {"save": True}, token=tok), 404)
    check_json_error(c.post_json("/api/v1/items/%d/save" % item, {"save": True}), 401)
    page = check_page(m.get("/saved"))
    check("Keep this one" in page.text, "the saved page lists it")
    page = check_page(m.get("/i/%d" % item))
    check("Saved: unsave" in page.text, "the item page says it is saved")
    r = m.post_form("/i/%d/save" % item, {"save": "0"})
    check(r.status == 303, f"unsave by form: {r.status}")
    check(get_json(c, "/api/v1/saved", tok)["items"] == [], "unsaved")
    check("Nothing saved yet" in check_page(m.get("/saved")).text, "an empty list says so")
    # someone else's saves are theirs alone
    check(get_json(c, "/api/v1/saved", g.root_token)["items"] == [], "root saved nothing")


def open_as(c, item, referer=None, gpc=False, ua=None):
    h = {}
    if referer:
        h["Referer"] = referer
    if gpc:
        h["Sec-GPC"] = "1"
    if ua:
        h["User-Agent"] = ua
    r = c.get("/go/%d" % item, headers=h)
    check(r.status == 303, f"open: {r.status}")


def shown_pairs_never_isolate(stats):
    """No figure of a week shown beside the total leaves 1-4 readers for the rest."""
    def flat(w):
        out = {k: v for k, v in w.items() if isinstance(v, int) or v is None}
        for group in ("votes", "sources", "organisations"):
            out.update({group + "." + k: v for k, v in w[group].items()})
        for k in ("k", "from", "to", "item_id"):
            out.pop(k, None)
        return out
    total = flat(stats)
    weeks = [flat(w) for w in stats["weeks"]]
    for w in [total] + weeks:  # sources, organisations, trusted readers: parts of the readers
        if w["readers"] is None:
            continue
        for part in ("sources.", "organisations."):
            rest = w["readers"] - sum(v for k, v in w.items() if k.startswith(part) and v)
            check(rest <= 0 or rest >= 5, f"readers minus the {part} shown leaves {rest}: {w}")
        for one in ("trusted_readers", "read_through"):
            if w[one] is not None:
                rest = w["readers"] - w[one]
                check(rest == 0 or rest >= 5, f"readers minus {one} leaves {rest}: {w}")
    for key, t in total.items():
        if t is None:
            check(all(w[key] is None for w in weeks), f"{key}: a week shown under a hidden total")
            continue
        shown = [w[key] for w in weeks if w[key] is not None]
        check(t - sum(shown) == 0 or t - sum(shown) >= 5,
              f"{key}: total {t} minus the weeks shown {shown} isolates fewer than 5 readers")


def test_stats_k_anonymity(g):
    author = join(g, "author")
    tok = token_for(g, "author")
    item = new_link(g, tok, "https://author.example.org/post", "The author's post")
    c = Client(g)
    readers = [join(g, "reader%d" % i) for i in range(5)]
    base = g.url("")
    for r in readers[:4]:
        open_as(r, item, referer=base + "/")
    stats = get_json(c, "/api/v1/stats/items/%d" % item, tok)
    check(stats["readers"] is None and stats["opens"] is None,
          f"four readers: every figure withheld, {stats}")
    check(stats["sources"]["front"] is None, "sources too")
    page = check_page(author.get("/stats/i/%d" % item))
    check("fewer than 5" in page.text and ">4<" not in page.text, "the page says fewer than 5")
    # nobody else sees them: another member, a reader, a visitor
    check_json_error(c.request("GET", "/api/v1/stats/items/%d" % item,
                               headers={"Authorization": "Bearer " + token_for(g, "reader0")}), 403)
    check(readers[0].get("/stats/i/%d" % item).status == 403, "the page is refused too")
    check(c.get("/api/v1/stats/items/%d" % item).status == 401, "signed out")
    # the fifth reader makes five: now the figures show
    open_as(readers[4], item, referer=base + "/new")
    open_as(readers[4], item, referer=base + "/new")  # again the same day: still one open
    stats = get_json(c, "/api/v1/stats/items/%d" % item, tok)
    check(stats["readers"] == 5 and stats["opens"] == 5, f"five readers: {stats}")
    check(stats["sources"]["front"] is None and stats["sources"]["new"] is None,
          "each source has fewer than five")
    # a logged-out reader with Global Privacy Control counts as an open, not as a reader
    visitor = Client(g)
    open_as(visitor, item, gpc=True)
    open_as(visitor, item, ua="another browser")  # a visitor without GPC: a daily hash
    stats = get_json(c, "/api/v1/stats/items/%d" % item, tok)
    check(stats["opens"] == 7 and stats["readers"] == 6, f"GPC open counted apart: {stats}")
    check(g.query("SELECT count(*) FROM reader_events WHERE item_id = ? AND reader IS NULL",
                  (item,))[0][0] == 1, "the GPC open is stored without any reader key")
    rows = g.query("SELECT reader FROM reader_events WHERE item_id = ?", (item,))
    check(not any(r[0] and "127.0.0.1" in str(r[0]) for r in rows), "no address stored")
    page = check_page(author.get("/stats"))
    check("The author&#39;s post" in page.text and "6 readers" in page.text,
          "the /stats list: " + page.text[page.text.find("<ul class"):][:400])
    # ranges are not offered: a week and that week minus a day cannot both be asked for
    check_json_error(c.request("GET", "/api/v1/stats/items/%d?from=0&to=%d" % (item, time.time()),
                               headers={"Authorization": "Bearer " + tok}), 400, "query")
    # a reader of last week: all time is 7, this week 6; the week shown beside the total
    # would single out the one, so this week's readers are withheld
    last_week = int(time.time()) - 8 * 86400
    g.query("INSERT INTO reader_events (item_id, entry_id, kind, source, reader, user_id, day, "
            "at) VALUES (?, 0, 'open', 'outside', 'vlastweek', NULL, ?, ?)",
            (item, last_week // 86400, last_week))
    stats = get_json(c, "/api/v1/stats/items/%d" % item, tok)
    check(stats["readers"] == 7, f"all time: {stats['readers']}")
    this_week = stats["weeks"][0]
    check(this_week["readers"] is None, f"this week withheld beside the total: {this_week}")
    shown_pairs_never_isolate(stats)
    check(len(stats["weeks"]) == 8 and re.match(r"\d{4}-W\d\d$", this_week["week"]), "weeks")
    # the author cannot pad one member's reading up to five with visitors of their own
    lone = new_link(g, tok, "https://author.example.org/lonely", "Read by one member")
    open_as(readers[0], lone)
    for ua in ("pad-1", "pad-2", "pad-3", "pad-4"):
        open_as(Client(g), lone, ua=ua)
    stats = get_json(c, "/api/v1/stats/items/%d" % lone, tok)
    check(stats["readers"] is None and stats["opens"] is None,
          f"one member and four visitors: withheld, {stats['readers']}")
    # and one more source beside the others cannot be read off the total either
    busy = new_link(g, tok, "https://author.example.org/busy", "Read by many")
    for r in readers:
        open_as(r, busy, referer=base + "/")
    open_as(readers[0], busy, referer=base + "/digest")  # one reader came from the digest too
    more = [join(g, "late%d" % i) for i in range(1)]
    open_as(more[0], busy, referer=base + "/digest")
    stats = get_json(c, "/api/v1/stats/items/%d" % busy, tok)
    check(stats["readers"] == 6 and stats["sources"]["front"] is None,
          f"6 readers, 5 of them from the front page: the front is withheld ({stats['sources']})")
    shown_pairs_never_isolate(stats)
test_stats_k_anonymity.slow = True


class Receiver(http.server.BaseHTTPRequestHandler):
    """A loopback webhook receiver: keeps what it was sent."""
    got = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.got.append((self.path, dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def verify_signature(headers, body, secret):
    m = re.match(r"t=(\d+),v1=([0-9a-f]{64})$", headers.get("X-Guild-Signature", ""))
    check(m, f"signature header: {headers}")
    t = int(m.group(1))
    check(abs(time.time() - t) < 300, "a fresh timestamp (receivers reject old ones)")
    want = hmac.new(secret.encode(), m.group(1).encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(want.hexdigest(), m.group(2))


def test_webhooks_signed_and_retried(g):
    Receiver.got = []
    rx = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver))
    url = "http://127.0.0.1:%d/hook" % rx.server_address[1]
    c = Client(g)
    secret = "s3cret-of-the-receiver"
    try:
        r = c.post_json("/api/v1/webhooks", {"url": url, "secret": secret,
                                             "events": ["item.created", "comment.created"]},
                        token=g.root_token)
        check(r.status == 201, f"create: {r.status} {r.text}")
        hook = r.json()["id"]
        dead = c.post_json("/api/v1/webhooks", {"url": "http://127.0.0.1:9/gone", "secret": secret,
                                                "events": ["item.created"]},
                           token=g.root_token).json()["id"]
        join(g, "plain")
        plain = token_for(g, "plain")
        check_json_error(c.post_json("/api/v1/webhooks", {"url": url, "secret": secret,
                                                          "events": ["item.created"]},
                                     token=plain), 403)
        check_json_error(c.post_json("/api/v1/webhooks", {"url": url, "secret": secret,
                                                          "events": ["item.exploded"]},
                                     token=g.root_token), 400, "events")
        check_json_error(c.post_json("/api/v1/webhooks", {"url": url, "secret": "short",
                                                          "events": ["item.created"]},
                                     token=g.root_token), 400, "secret")
        check_json_error(c.post_json("/api/v1/webhooks", {"url": "file:///etc/passwd",
                                                          "secret": secret,
                                                          "events": ["item.created"]},
                                     token=g.root_token), 400, "url")
        item = new_link(g, plain, "https://hooked.example.org/1", "Hooked")
        r = c.post_json("/api/v1/items/%d/comments" % item, {"body": "First!"}, token=plain)
        check(r.status == 201, f"comment: {r.status} {r.text}")
        out = monitor_cycle(g)
        got = [x for x in Receiver.got if x[0] == "/hook"]
        events = [json.loads(b)["event"] for _, _, b in got]
        check(sorted(events) == ["comment.created", "item.created"], f"delivered: {events}")
        for _, headers, body in got:
            check(verify_signature(headers, body, secret), "the signature verifies")
            check(not verify_signature(headers, body, secret + "x"), "and not with another key")
        created = [json.loads(b) for _, _, b in got if json.loads(b)["event"] == "item.created"]
        check(created[0]["data"]["id"] == item and created[0]["data"]["title"] == "Hooked",
              str(created))
        log = get_json(c, "/api/v1/webhooks/%d/deliveries" % hook, g.root_token)["deliveries"]
        check(len(log) == 2 and all(d["status"] == "delivered" for d in log), f"log: {log}")
        log = get_json(c, "/api/v1/webhooks/%d/deliveries" % dead, g.root_token)["deliveries"]
        check(len(log) == 1 and log[0]["status"] == "queued" and log[0]["attempts"] == 1 and
              log[0]["next_attempt_at"] > time.time() and log[0]["last_error"], f"retry: {log}")
        check_json_error(c.request("GET", "/api/v1/webhooks/%d/deliveries" % hook,
                                   headers={"Authorization": "Bearer " + plain}), 404)
        # the retry is not due yet: another cycle sends nothing more
        monitor_cycle(g)
        check(len([x for x in Receiver.got if x[0] == "/hook"]) == 2, "nothing twice")
        log = get_json(c, "/api/v1/webhooks/%d/deliveries" % dead, g.root_token)["deliveries"]
        check(log[0]["attempts"] == 1, "backoff: not retried before its time")
    finally:
        rx.shutdown()
test_webhooks_signed_and_retried.serve_args = ROUTE_ARGS


def add_org_admin(g, handle, domain):
    g.cli("user", "add", "--db", g.db, "--handle", handle, "--name", handle.title(),
          "--email", handle + "@" + domain, "--password-file", g.password_file(PW),
          "--affiliation", domain.split(".")[0].title(), "--domain", domain,
          "--role", "org-admin")
    return token_for(g, handle)


def test_consent_and_contact_export(g):
    Receiver.got = []
    rx = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver))
    c = Client(g)
    try:
        acme = add_org_admin(g, "acmeadmin", "acme.example")
        beta = add_org_admin(g, "betaadmin", "beta.example")
        yes, no, gone = join(g, "yes"), join(g, "no"), join(g, "gone")
        gone.get("/settings/privacy")
        gone.post_form("/settings/privacy", {"action": "allow", "org": "acme.example"})
        gone.post_form("/settings/privacy", {"action": "withdraw", "org": "acme.example"})
        r = c.post_json("/api/v1/webhooks", {
            "url": "http://127.0.0.1:%d/leads" % rx.server_address[1],
            "secret": "acme-receiver-secret", "events": ["lead.consented"]}, token=acme)
        check(r.status == 201 and r.json()["org"] == "acme.example", r.text)
        # an organisation hears its own leads, not the site's comments and posts
        check_json_error(c.post_json("/api/v1/webhooks", {
            "url": "http://127.0.0.1:%d/leads" % rx.server_address[1], "secret": "acme-receiver-secret",
            "events": ["lead.consented", "comment.created"]}, token=acme), 400, "events")
        new_link(g, token_for(g, "no"), "https://site-news.example.org/1", "Site news")
        # nobody has allowed anything: zero rows
        r = c.request("GET", "/api/v1/leads.csv", headers={"Authorization": "Bearer " + acme})
        check(r.status == 200 and r.text.strip() == "handle,name,email,affiliation,consented_at",
              f"no consent, no rows: {r.text}")
        check_page(yes.get("/settings/privacy"))
        r = yes.post_form("/settings/privacy", {"action": "allow", "org": "https://www.Acme.example/"})
        check(r.status == 303, f"allow: {r.status} {r.text[:300]}")
        r = yes.post_form("/settings/privacy", {"action": "allow", "org": "not a domain"})
        check(r.status == 400 and "domain" in r.text, "a bad domain is refused")
        no.post_form("/settings/privacy", {"action": "allow", "org": "beta.example"})
        r = c.request("GET", "/api/v1/leads.csv", headers={"Authorization": "Bearer " + acme})
        lines = r.text.strip().splitlines()
        check(r.header("Content-Type").startswith("text/csv") and len(lines) == 2 and
              lines[1].startswith('"yes","Yes Tester","yes@example.org"'),
              f"only the current consent: {r.text}")
        r = c.request("GET", "/api/v1/leads.csv", headers={"Authorization": "Bearer " + beta})
        check([ln.split(",")[0] for ln in r.text.strip().splitlines()[1:]] == ['"no"'],
              f"beta sees only its own: {r.text}")
        check_json_error(c.request("GET", "/api/v1/leads.csv", headers={
            "Authorization": "Bearer " + token_for(g, "yes")}), 403)
        page = check_page(yes.get("/settings/privacy"))
        check("acme.example exported your contact on " in page.text, "the export log")
        check(" exported your contact on " not in check_page(gone.get("/settings/privacy")).text,
              "a withdrawn consent is never exported")
        # the consent went to Acme's webhook too, as the push export it is
        monitor_cycle(g)
        leads = [json.loads(b) for p, _, b in Receiver.got if p == "/leads"]
        check(all(x["event"] == "lead.consented" for x in leads), f"only leads: {leads}")
        check(len(leads) == 1 and leads[0]["data"]["email"] == "yes@example.org" and
              leads[0]["data"]["org"] == "acme.example", f"pushed: {leads}")
        mine = get_json(c, "/api/v1/me/consents", token_for(g, "yes"))
        check(sorted(x["how"] for x in mine["exports"]) == ["csv", "webhook"], str(mine))
        check([x["org"] for x in mine["consents"]] == ["acme.example"], str(mine))
    finally:
        rx.shutdown()
test_consent_and_contact_export.serve_args = ROUTE_ARGS


def header_of(message, name):
    m = re.search(r"^%s: (.*)$" % re.escape(name), message, re.M | re.I)
    return m.group(1).strip() if m else None


def test_subscribe_in_one_field(g):
    sink = serve(SmtpSink())
    smtp = "smtp://127.0.0.1:%d" % sink.server_address[1]
    try:
        new_link(g, g.root_token, "https://digest.example.org/today", "Today's best")
        c = Client(g)
        form = check_page(c.get("/subscribe"))
        check(len(re.findall(r'<input[^>]+type="(?:email|text)"', form.text)) == 2,
              "email and name, nothing else")
        r = c.post_form("/subscribe", {"what": "digest", "email": "not-an-address"})
        check(r.status == 400 and "email address" in r.text, "a bad address is refused")
        r = c.post_form("/subscribe", {"what": "digest", "email": "reader@example.net"})
        check_page(r)
        check("Check your mail" in r.text, "says to check the mail")
        check_json_error(c.post_json("/api/v1/subscribe", {"what": "blog", "target": "999999",
                                                           "email": "x@example.net"}), 400, "target")
        monitor_cycle(g, "--smtp", smtp)
        mails = [m for rc, m in sink.messages if rc == ["reader@example.net"]]
        check(len(mails) == 1 and "Confirm your subscription" in mails[0], f"one mail: {mails}")
        token = re.search(r"/subscribe/confirm/([0-9a-f]{32})", mails[0]).group(1)
        page = check_page(c.get("/subscribe/confirm/" + token))
        check("Confirm" in page.text, "a button, not a state change on GET")
        check(g.query("SELECT confirmed_at FROM subscribers")[0][0] == 0, "not yet confirmed")
        check_page(c.post_form("/subscribe/confirm/" + token, {}))
        monitor_cycle(g, "--smtp", smtp)
        mails = [m for rc, m in sink.messages if rc == ["reader@example.net"]]
        check(len(mails) == 2 and "Today's best" in mails[1], f"the digest came: {mails[-1:]}")
        unsub = header_of(mails[1], "List-Unsubscribe")
        check(unsub and unsub.startswith("<http") and unsub.endswith("/unsubscribe/" + token + ">"),
              f"List-Unsubscribe: {unsub}")
        check(header_of(mails[1], "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click",
              "RFC 8058 one-click")
        # the mail client's one click: a POST without cookies or a login
        stranger = Client(g)
        r = stranger.post_form("/unsubscribe/" + token, {"List-Unsubscribe": "One-Click"},
                               csrf=False)
        check(r.status == 200, f"one-click unsubscribe: {r.status} {r.text[:200]}")
        check(g.query("SELECT unsubscribed_at FROM subscribers")[0][0] > 0, "unsubscribed")
        check(stranger.post_form("/unsubscribe/" + "0" * 32, {}, csrf=False).status == 404,
              "an unknown token")
        g.query("UPDATE subscribers SET last_sent_at = 0")
        monitor_cycle(g, "--smtp", smtp)
        check(len([m for rc, m in sink.messages if rc == ["reader@example.net"]]) == 2,
              "no mail after unsubscribing")
        # asking again says the same as the first time (no way to learn who is subscribed),
        # changes no name, and one address gets at most three confirmations a day
        g.query("UPDATE subscribers SET unsubscribed_at = 0")
        r = c.post_form("/subscribe", {"what": "digest", "email": "reader@example.net",
                                       "name": "Renamed"})
        check("Unless reader@example.net is subscribed already" in r.text, "one answer for all")
        check(g.query("SELECT 'n:' || name FROM subscribers")[0][0] == "n:", "the name stays")
        for spelling in ("bomb@example.net", "Bomb@example.net", "BOMB@EXAMPLE.NET", "bomb@Example.net"):
            r = c.post_json("/api/v1/subscribe", {"email": spelling, "what": "digest"})
            check(r.status == 202 and r.json()["status"] == "check your mail", r.text)
        monitor_cycle(g, "--smtp", smtp)
        bombs = [m for rc, m in sink.messages if rc[0].lower() == "bomb@example.net"]
        check(len(bombs) == 3, f"three confirmations at most, however spelt: {len(bombs)}")
        first = re.search(r"/subscribe/confirm/([0-9a-f]{32})", bombs[0]).group(1)
        check_page(c.get("/subscribe/confirm/" + first))
        r = c.post_form("/subscribe/confirm/" + first, {})
        check(r.status == 200 and "Confirmed" in r.text, "the first link still works")
        check_json_error(c.post_json("/api/v1/subscribe", {
            "email": "x@example.net", "what": "search", "target": "seo\r\n\r\nFAKE NOTICE"}),
            400, "target")
        # subscribers are not members: no account, no vote
        check(g.query("SELECT count(*) FROM users WHERE email = 'reader@example.net'")[0][0] == 0,
              "no account was made")
    finally:
        sink.shutdown()


def test_export_and_delete_account(g):
    c = Client(g)
    m = join(g, "leaver", org="Acme", domain="acme.example")
    tok = token_for(g, "leaver")
    item = new_link(g, g.root_token, "https://kept.example.org/x", "Kept thread")
    check(c.post_json("/api/v1/items/%d/vote" % item, {"value": 1}, token=tok).status == 200, "vote")
    r = c.post_json("/api/v1/items/%d/comments" % item, {"body": "My two cents"}, token=tok)
    check(r.status == 201, r.text)
    c.post_json("/api/v1/items/%d/save" % item, {"save": True}, token=tok)
    r = c.post_json("/api/v1/items/%d/reshare" % item, {"commentary": "Worth it"}, token=tok)
    check(r.status == 201, f"reshare: {r.status} {r.text}")
    c.post_json("/api/v1/me/consents", {"org": "beta.example", "allow": True}, token=tok)
    m.get("/go/%d" % item)
    data = get_json(c, "/api/v1/me/export", tok)
    check(data["profile"]["email"] == "leaver@example.org" and data["profile"]["handle"] == "leaver",
          f"profile: {data['profile']}")
    check([v["item_id"] for v in data["votes"]] == [item], "votes")
    check([x["body"] for x in data["comments"]] == ["My two cents"], "comments")
    check([x["item_id"] for x in data["saves"]] == [item], "saves")
    check([x["org"] for x in data["consents"]] == ["beta.example"], "consents")
    check([x["item_id"] for x in data["opens"]] == [item], "opens")
    check([x["commentary"] for x in data["reshares"]] == ["Worth it"], "reshares")
    for key in ("invitations", "items", "follows", "messages", "saved_searches", "consent_exports"):
        check(key in data, "export has " + key)
    check_page(m.get("/settings/export"))
    check(c.get("/api/v1/me/export").status == 401, "only for the member")
    ups = c.get("/api/v1/items/%d" % item).json()["item"]["ups"]
    r = c.post_json("/api/v1/me/delete", {"password": "wrong-password-1"}, token=tok)
    check_json_error(r, 403, "password")
    check(get_json(c, "/api/v1/me/export", tok)["profile"]["handle"] == "leaver", "unchanged")
    check_json_error(c.post_json("/api/v1/me/delete", {"password": PW, "comments": "shred"},
                                 token=tok), 400, "comments")
    r = c.post_json("/api/v1/me/delete", {"password": PW, "comments": "keep"}, token=tok)
    check(r.status == 200 and r.json()["deleted"] is True, f"delete: {r.status} {r.text}")
    check(c.get("/api/v1/me/export", headers={"Authorization": "Bearer " + tok}).status == 401,
          "the token ended")
    check(m.get("/settings").status in (302, 303), "the session ended")
    page = check_page(c.get("/i/%d" % item))
    check("My two cents" in page.text and "[deleted member]" in page.text and
          "leaver" not in page.text, "the comment stays, unsigned")
    check(c.get("/api/v1/items/%d" % item).json()["item"]["ups"] == ups - 1, "the vote is gone")
    check(g.query("SELECT count(*) FROM users WHERE email LIKE 'leaver%'")[0][0] == 0,
          "the address is erased")
    uid = g.query("SELECT id FROM users WHERE name = '[deleted member]'")[0][0]
    check(g.query("SELECT count(*) FROM reader_events WHERE reader = ? OR user_id = ?",
                  ("u%d" % uid, uid))[0][0] == 0, "the reading history is no longer the member's")
    check(g.query("SELECT count(*) FROM reader_events WHERE item_id = ?", (item,))[0][0] >= 1,
          "while the author's counts stay")
    check(g.query("SELECT count(*) FROM reshares WHERE commentary = 'Worth it'")[0][0] == 0,
          "the reshare went")
    r = Client(g)
    r.get("/login")
    r = r.post_form("/login", {"handle": "leaver", "password": PW})
    check(r.status in (400, 401, 403) and "password" in r.text.lower(),
          f"the old login fails: {r.status}")
    # the other choice: comments removed, through the page
    m2 = join(g, "shredder")
    m2.post_form("/i/%d/comment" % item, {"body": "Remove me later"})
    check("Remove me later" in c.get("/i/%d" % item).text, "the comment is there")
    check_page(m2.get("/settings/delete"))
    r = m2.post_form("/settings/delete", {"password": "nope-nope-1", "comments": "remove"})
    check(r.status == 403 and "not right" in r.text, "a wrong password is refused on the page")
    r = m2.post_form("/settings/delete", {"password": PW, "comments": "remove"})
    check_page(r)
    check("Your account is deleted" in r.text, "said")
    check("Remove me later" not in c.get("/i/%d" % item).text, "its comment is gone")


def test_cached_pages_still_count_and_signals_can_be_off(g):
    """A logged-out read answered from the page cache is still a read; a guild that turns
    signals off (serve --no-reader-signals) records nothing at all."""
    item = new_link(g, g.root_token, "https://cached.example.org/a", "Read from the cache")
    v = Client(g)

    def cache_hits():
        return [float(ln.split()[-1]) for ln in v.get("/metrics").text.splitlines()
                if ln.startswith('guild_page_cache_total{result="hit"}')] or [0.0]

    # the first visitor fills the cache and the next are hits, unless a write in between
    # (the store's upkeep each second, say, on a slow machine) renewed the page: visitors
    # come until one is answered from the cache, at most ten
    visitors = 0
    while visitors < 10 and (visitors < 3 or cache_hits()[0] < 1):
        visitors += 1
        check(v.get("/i/%d" % item, headers={"User-Agent": "visitor %d" % visitors}).status == 200,
              "page")
    check(cache_hits()[0] >= 1, f"the page cache answered none of {visitors} visitors")
    rows = g.query("SELECT count(DISTINCT reader) FROM reader_events WHERE item_id = ? AND "
                   "kind = 'read'", (item,))
    check(rows[0][0] == visitors,
          f"{visitors} visitors read it, cache hits included: {rows}")
    g.stop()
    g.start("--no-reader-signals")
    for ua in ("fourth", "fifth"):
        v.get("/i/%d" % item, headers={"User-Agent": ua})
        v.get("/go/%d" % item, headers={"User-Agent": ua})
    rows = g.query("SELECT count(*) FROM reader_events WHERE item_id = ?", (item,))
    check(rows[0][0] == visitors, f"nothing recorded with signals off: {rows} after {visitors}")


class BlogSite(http.server.BaseHTTPRequestHandler):
    """A blog on loopback: its verification file holds whatever the test puts there."""
    token = ""

    def do_GET(self):
        body = (BlogSite.token + "\n").encode() if self.path == "/.well-known/guild-verify.txt" \
            else b"<!doctype html><title>A blog</title>"
        self.send_response(200 if BlogSite.token or "well-known" not in self.path else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def test_blog_owner_proves_it_with_a_token(g):
    BlogSite.token = ""
    site = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), BlogSite))
    try:
        base = "http://127.0.0.1:%d" % site.server_address[1]
        r = Client(g).post_json("/api/v1/items", {"kind": "blog", "url": base + "/",
                                                  "title": "Owned Blog"}, token=g.root_token)
        check(r.status == 201, f"blog: {r.status} {r.text}")
        blog = r.json()["item"]["id"]
        # declaring the blog's domain at sign-up proves nothing by itself
        squatter = join(g, "squatter", org="Squat", domain="127.0.0.1")
        page = check_page(squatter.get("/stats/blog/%d" % blog))
        check("Is Owned Blog yours?" in page.text and "Its page on Guild" not in page.text,
              "a declared domain alone does not open the statistics")
        owner = join(g, "owner")
        page = check_page(owner.get("/stats/blog/%d" % blog))
        token = re.search(r"<pre>(guild-verify-[0-9a-f]+)</pre>", page.text)
        check(token, "the page gives a token")
        r = owner.post_form("/stats/blog/%d/verify" % blog, {})
        check(r.status == 400 and "Not verified" in r.text, f"not published yet: {r.status}")
        BlogSite.token = "someone else's token"
        r = owner.post_form("/stats/blog/%d/verify" % blog, {})
        check(r.status == 400 and "does not hold your token" in r.text, "a wrong token")
        BlogSite.token = token.group(1)
        r = owner.post_form("/stats/blog/%d/verify" % blog, {})
        check(r.status == 303, f"verified: {r.status} {r.text[:300]}")
        page = check_page(owner.get(r.header("Location")))
        check("What readers did with Owned Blog" in page.text and "Its page on Guild" in page.text,
              "the owner sees the blog's statistics")
        check("Is Owned Blog yours?" in check_page(squatter.get("/stats/blog/%d" % blog)).text,
              "still nobody else")
        check(squatter.get("/stats/blog/999999").status == 404, "no such blog")
    finally:
        site.shutdown()
test_blog_owner_proves_it_with_a_token.serve_args = ROUTE_ARGS
