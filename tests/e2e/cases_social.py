"""Relationships (issue 16): follow, connect, endorse, notifications and the home timeline, on
the API and on the pages, on either engine."""
import re
import time

from harness import Client, check, check_json_error, check_page
from cases_forms import join, submit_link, item_id
from cases_api import token_for


def members(g, *handles):
    """Signs up each handle; returns {handle: (client, token)}."""
    return {h: (join(g, h), token_for(g, h)) for h in handles}


def api(c, token, path, body):
    return c.post_json(path, body, token=token)


def note_kinds(c, token):
    r = c.request("GET", "/api/v1/notifications", headers={"Authorization": "Bearer " + token})
    check(r.status == 200, f"notifications: {r.status} {r.text}")
    return [(n["kind"], n["from"], n["read"]) for n in r.json()["notifications"]]


def get_json(c, path, token):
    r = c.request("GET", path, headers={"Authorization": "Bearer " + token})
    check(r.status == 200, f"GET {path}: {r.status} {r.text[:300]}")
    return r.json()


def test_follow_connect_endorse_api(g):
    m = members(g, "ana", "bo", "cy")
    c = Client(g)
    ana, bo, cy = m["ana"][1], m["bo"][1], m["cy"][1]
    r = api(c, ana, "/api/v1/users/bo/follow", {"follow": True})
    check(r.status == 200 and r.json()["following"] is True, r.text)
    check(api(c, ana, "/api/v1/users/BO/follow", {"follow": True}).status == 200, "twice is fine")
    check_json_error(api(c, ana, "/api/v1/users/ana/follow", {"follow": True}), 400, "handle")
    check_json_error(api(c, ana, "/api/v1/users/nobody/follow", {"follow": True}), 404, "handle")
    check_json_error(api(c, ana, "/api/v1/users/bo/follow", {"follow": "yes"}), 400, "follow")
    check_json_error(api(c, ana, "/api/v1/users/bo/follow", None), 400, "body")
    check_json_error(c.post_json("/api/v1/users/bo/follow", {"follow": True}), 401)
    prof = c.get("/api/v1/users/bo").json()
    check(prof["followers"] == 1 and prof["following"] == 0, f"bo's counts: {prof}")
    check(c.get("/api/v1/users/ana").json()["following"] == 1, "ana follows one")
    check(note_kinds(c, bo) == [("follow", "ana", False)], "bo hears of the follow once")
    r = api(c, bo, "/api/v1/notifications/read", {})
    check(r.status == 200 and r.json()["unread"] == 0, r.text)
    check(note_kinds(c, bo) == [("follow", "ana", True)], "marked read")

    r = api(c, ana, "/api/v1/users/bo/connection", {"action": "request"})
    check(r.status == 200 and r.json()["connection"] == "pending_out", r.text)
    check_json_error(api(c, ana, "/api/v1/users/bo/connection", {"action": "request"}), 409)
    check_json_error(api(c, ana, "/api/v1/users/bo/connection", {"action": "accept"}), 404)
    check_json_error(api(c, ana, "/api/v1/users/bo/connection", {"action": "hug"}), 400, "action")
    check_json_error(api(c, ana, "/api/v1/users/bo/endorse", {"topic": "seo"}), 403)
    check(note_kinds(c, bo)[0][:2] == ("connect_request", "ana"), "bo sees the request")
    r = api(c, bo, "/api/v1/users/ana/connection", {"action": "accept"})
    check(r.status == 200 and r.json()["connection"] == "accepted", r.text)
    check(note_kinds(c, ana)[0][:2] == ("connect_accept", "bo"), "ana hears of the acceptance")
    check(c.get("/api/v1/users/bo").json()["connections"] == 1, "one connection")

    r = api(c, ana, "/api/v1/users/bo/endorse", {"topic": "seo"})
    check(r.status == 200 and r.json()["endorsed"] is True, r.text)
    check_json_error(api(c, ana, "/api/v1/users/bo/endorse", {"topic": "astrology"}), 400, "topic")
    check_json_error(api(c, ana, "/api/v1/users/cy/endorse", {"topic": "seo"}), 403)
    check(c.get("/api/v1/users/bo").json()["endorsements"] == {"seo": ["ana"]}, "endorsed")
    check(note_kinds(c, bo)[0][:2] == ("endorse", "ana"), "bo hears of the endorsement")

    # a declined request cannot be repeated at once (no request spam)
    check(api(c, cy, "/api/v1/users/ana/connection", {"action": "request"}).status == 200, "cy")
    r = api(c, ana, "/api/v1/users/cy/connection", {"action": "decline"})
    check(r.status == 200 and r.json()["connection"] == "declined_in", r.text)
    r = api(c, cy, "/api/v1/users/ana/connection", {"action": "request"})
    check_json_error(r, 429)
    check(int(r.header("Retry-After") or 0) > 86400, "asks again in about 30 days")
    check(not any(k == "connect_accept" for k, _, _ in note_kinds(c, cy)), "no news of a no")

    # a request both ways is an acceptance; removing ends the endorsements too
    r = api(c, ana, "/api/v1/users/bo/connection", {"action": "remove"})
    check(r.status == 200 and r.json()["connection"] == "none", r.text)
    check(c.get("/api/v1/users/bo").json()["endorsements"] == {}, "endorsement gone with it")
    check(api(c, bo, "/api/v1/users/cy/connection", {"action": "request"}).status == 200, "bo")
    r = api(c, cy, "/api/v1/users/bo/connection", {"action": "request"})
    check(r.status == 200 and r.json()["connection"] == "accepted", r.text)
    # unfollow
    r = api(c, ana, "/api/v1/users/bo/follow", {"follow": False})
    check(r.status == 200 and r.json()["following"] is False, r.text)
    check(c.get("/api/v1/users/bo").json()["followers"] == 0, "unfollowed")


def test_blog_follow_and_timeline_api(g):
    m = members(g, "ana", "bo", "cy")
    c = Client(g)
    ana, bo = m["ana"][1], m["bo"][1]
    bo_c = m["bo"][0]
    blog = c.post_json("/api/v1/items", {"kind": "blog", "url": "https://pricingblog.net",
                                         "title": "Pricing Blog",
                                         "feed_url": "https://pricingblog.net/feed"},
                       token=g.root_token).json()["item"]["id"]
    link = c.post_json("/api/v1/items", {"url": "https://news.example.org/x", "title": "X"},
                       token=g.root_token).json()["item"]["id"]
    r = api(c, ana, "/api/v1/items/%d/follow" % blog, {"follow": True})
    check(r.status == 200 and r.json()["following"] is True, r.text)
    check_json_error(api(c, ana, "/api/v1/items/%d/follow" % link, {"follow": True}), 404)
    check_json_error(api(c, ana, "/api/v1/items/999999/follow", {"follow": True}), 404)
    check(c.get("/api/v1/users/ana").json()["blogs_followed"] == 1, "one blog followed")

    empty = get_json(c, "/api/v1/timeline", ana)
    check(empty["items"] == [] and empty["up_to_date"] is True, f"nothing yet: {empty}")
    check(api(c, ana, "/api/v1/users/bo/follow", {"follow": True}).status == 200, "follow")
    # bo shares two links and comments; cy (not followed) shares one
    ids = [item_id(submit_link(bo_c, "https://bo.example.org/%d" % i, "Bo's pick %d" % i))
           for i in range(2)]
    r = bo_c.post_form("/i/%d/comment" % link, {"body": "Bo thinks this is right."})
    check(r.status == 303, f"comment: {r.status}")
    item_id(submit_link(m["cy"][0], "https://cy.example.org/1", "Cy's pick"))
    # a followed blog's new entry, as the fetcher would store it
    feed = g.query("INSERT INTO feeds (item_id, url) VALUES (?, ?) RETURNING id",
                   (blog, "https://pricingblog.net/feed"))[0][0]
    now = int(g.query("SELECT max(created_at) FROM items")[0][0])
    g.query("INSERT INTO entries (feed_id, dedupe_key, content_hash, url, title, text, "
            "published_at, fetched_at) VALUES (?, 'id:1', 'h', 'https://pricingblog.net/p1', "
            "'Value metrics', 'How to pick a value metric.', ?, ?)", (feed, now - 100, now))
    tl = get_json(c, "/api/v1/timeline", ana)
    kinds = [(t["kind"], t.get("by") or t.get("blog")) for t in tl["items"]]
    check(("entry", "Pricing Blog") in kinds, f"the blog's entry: {kinds}")
    check(sum(1 for k in kinds if k == ("item", "bo")) == 2, f"bo's two links: {kinds}")
    check(("comment", "bo") in kinds, f"bo's comment: {kinds}")
    check(all(who != "cy" for _, who in kinds), "nothing from members ana does not follow")
    ats = [t["at"] for t in tl["items"]]
    check(ats == sorted(ats, reverse=True), "newest first")
    check(tl["up_to_date"] is True and tl["next_before"] is None, "one page ends")
    # pages of one, to the end, without repeats
    seen, before, pages = [], None, 0
    while pages < 10:
        q = "/api/v1/timeline?limit=1" + ("&before=" + before if before else "")
        page = get_json(c, q, ana)
        seen += [(t["kind"], t["id"]) for t in page["items"]]
        pages += 1
        if page["up_to_date"]:
            break
        before = page["next_before"]
    check(seen == [(t["kind"], t["id"]) for t in tl["items"]], f"pages: {seen}")
    check(pages == len(tl["items"]), "a page per entry, the last one up to date")
    check_json_error(c.request("GET", "/api/v1/timeline?before=yesterday",
                               headers={"Authorization": "Bearer " + ana}), 400, "before")
    check_json_error(c.request("GET", "/api/v1/timeline?limit=0",
                               headers={"Authorization": "Bearer " + ana}), 400, "limit")
    check_json_error(c.get("/api/v1/timeline"), 401)
    check_json_error(c.get("/api/v1/notifications"), 401)
    check(ids, "submitted")


def test_relationship_pages(g):
    ana, bo, cy = join(g, "ana"), join(g, "bo"), join(g, "cy")
    page = check_page(ana.get("/u/bo"))
    check('action="/u/bo/follow"' in page.text and ">Follow<" in page.text, "a Follow button")
    r = ana.post_form("/u/bo/follow", {"follow": "1"})
    check(r.status == 303 and r.header("Location") == "/u/bo", f"follow: {r.status}")
    page = check_page(ana.get("/u/bo"))
    check(">Unfollow<" in page.text and "1 follower " in page.text, "followed, and counted")
    check(ana.post_form("/u/bo/follow", {"follow": "1"}, csrf=False).status == 403, "CSRF")
    check_page(ana.post_form("/u/nobody/follow", {"follow": "1"}), 404)
    check_page(ana.post_form("/u/ana/follow", {"follow": "1"}), 400)
    check_page(ana.post_form("/u/bo/connection", {"action": "bogus"}), 400)
    r = ana.post_form("/u/bo/connection", {"action": "request"})
    check(r.status == 303, f"request: {r.status}")
    page = check_page(ana.get("/u/bo"))
    check("Connection requested" in page.text and ">Withdraw request<" in page.text, "pending")
    notes = check_page(bo.get("/notifications"))
    check("ana asked to connect with you." in notes.text and "Mark all read" in notes.text,
          "bo's notifications")
    check(re.search(r"Asking to connect with you[^<]*<a href=\"/u/ana\">ana</a>", notes.text),
          "the waiting request is listed")
    check("Your requests to connect, not answered yet: <a href=\"/u/bo\">bo</a>" in
          check_page(ana.get("/notifications")).text, "and ana sees hers waiting")
    page = check_page(bo.get("/u/ana"))
    check(">Accept<" in page.text and ">Decline<" in page.text and "Follows you." in page.text,
          "bo can answer")
    check(bo.post_form("/u/ana/connection", {"action": "accept"}).status == 303, "accept")
    page = check_page(bo.get("/u/ana"))
    check(">Remove connection<" in page.text and 'name="topic"' in page.text, "connected")
    check(bo.post_form("/u/ana/endorse", {"topic": "seo"}).status == 303, "endorse")
    check_page(bo.post_form("/u/ana/endorse", {"topic": "nonsense"}), 400)
    page = check_page(Client(g).get("/u/ana"))
    check(re.search(r"<strong>seo</strong>: vouched for by <a href=\"/u/bo\">bo</a>", page.text),
          "endorsement on the public profile")
    check("Follow</button>" not in page.text, "no buttons for visitors")
    check(bo.post_form("/notifications/read", {"upto": ""}).status == 303, "read")
    check('class="new"' not in check_page(bo.get("/notifications")).text, "all read")

    # home: bo shares a link; ana reshares it; cy, who follows ana, sees the reshare
    link = item_id(submit_link(bo, "https://bo.example.org/pricing", "Pricing pages that sell"))
    home = check_page(ana.get("/home"))
    check("Pricing pages that sell" in home.text and "You are up to date" in home.text,
          "ana's home ends")
    page = check_page(ana.get("/i/%d" % link))
    check('action="/i/%d/reshare"' % link in page.text, "a reshare form")
    r = ana.post_form("/i/%d/reshare" % link, {"commentary": "Read the part on anchors."})
    check(r.status == 303, f"reshare: {r.status}")
    check(cy.post_form("/u/ana/follow", {"follow": "1"}).status == 303, "cy follows ana")
    home = check_page(cy.get("/home"))
    check("reshared" in home.text and "Read the part on anchors." in home.text and
          'href="/i/%d"' % link in home.text, "the reshare points to the original")
    empty = check_page(join(g, "dee").get("/home"))
    check("Nothing new from the people and blogs you follow" in empty.text, "an empty home says how")
    r = Client(g).get("/home")
    check(r.status == 303 and "/login" in (r.header("Location") or ""), "home needs sign-in")


def test_reshare_api(g):
    m = members(g, "ana", "bo")
    c = Client(g)
    ana, bo = m["ana"][1], m["bo"][1]
    link = c.post_json("/api/v1/items", {"url": "https://news.example.org/r", "title": "R"},
                       token=g.root_token).json()["item"]["id"]
    r = api(c, ana, "/api/v1/items/%d/reshare" % link, {"commentary": "Worth it."})
    check(r.status == 201, f"reshare: {r.status} {r.text}")
    body = r.json()
    check(body["reshare"]["item_id"] == link and body["reshare"]["commentary"] == "Worth it."
          and body["item"]["id"] == link, f"reshare body: {body}")
    check_json_error(api(c, ana, "/api/v1/items/999999/reshare", {}), 404)
    check_json_error(api(c, ana, "/api/v1/items/%d/reshare" % link, {"commentary": 5}), 400,
                     "commentary")
    check_json_error(api(c, ana, "/api/v1/items/%d/reshare" % link,
                         {"commentary": "x" * 10001}), 400, "commentary")
    check(api(c, bo, "/api/v1/users/ana/follow", {"follow": True}).status == 200, "follow")
    tl = get_json(c, "/api/v1/timeline", bo)["items"]
    check([(t["kind"], t["item_id"], t.get("commentary")) for t in tl] ==
          [("reshare", link, "Worth it.")], f"bo's timeline: {tl}")
    # votes go to the original
    r = api(c, bo, "/api/v1/items/%d/vote" % link, {"value": 1})
    check(r.status == 200 and r.json()["ups"] == 1, r.text)


PITCH = ("Hi {name}, thanks for connecting! I'm the founder of GrowthPilot - we help B2B teams "
         "like {org} book 3x more demos with AI-powered ABM. Open to a quick 15-min call this "
         "week? https://cal.example.com/gp/{handle}")


def test_messages_and_form_messages(g):
    handles = ["sam", "ana", "bo"] + ["r%d" % i for i in range(1, 7)]
    m = members(g, *handles)
    c = Client(g)
    tok = {h: m[h][1] for h in handles}
    send = lambda frm, to, body: api(c, tok[frm], "/api/v1/messages", {"to": to, "body": body})
    check_json_error(send("ana", "bo", "Hello there"), 403, "to")
    check_json_error(send("ana", None, "Hello"), 400, "to")
    check_json_error(send("ana", "nobody", "Hello"), 404, "to")
    check_json_error(send("ana", "ana", "Hello"), 400, "to")
    check(api(c, tok["ana"], "/api/v1/users/bo/connection", {"action": "request"}).status == 200, "")
    check(api(c, tok["bo"], "/api/v1/users/ana/connection", {"action": "accept"}).status == 200, "")
    check_json_error(send("ana", "bo", "   "), 400, "body")
    r = send("ana", "bo", "Did you see the note on intent data? I disagree with it.")
    check(r.status == 201 and r.json()["form_message"] is False and r.json()["notice"] is None,
          r.text)
    conv = get_json(c, "/api/v1/messages?with=ana", tok["bo"])["messages"]
    check([(x["from"], x["to"], x["form_message"]) for x in conv] == [("ana", "bo", False)],
          f"bo's conversation: {conv}")
    check(("message", "ana", False) in note_kinds(c, tok["bo"]), "bo is notified")
    lst = get_json(c, "/api/v1/messages", tok["bo"])["conversations"]
    check([(x["with"], x["unread"]) for x in lst] == [("ana", 0)], f"read on opening: {lst}")

    # the recipients accept messages from anyone (a setting on their settings page)
    for i in range(1, 7):
        r = m["r%d" % i][0].post_form("/settings/messages", {"anyone": "1"})
        check(r.status == 303, f"setting: {r.status}")
    for i in range(1, 5):  # four copies: not yet a pattern
        r = send("sam", "r%d" % i, PITCH.format(name="R%d" % i, org="Org %d" % i,
                                                 handle="r%d" % i))
        check(r.status == 201 and r.json()["form_message"] is False, f"copy {i}: {r.text}")
    r = send("sam", "r5", PITCH.format(name="Rae", org="Fieldstone", handle="r5"))
    check(r.status == 201 and r.json()["form_message"] is True and
          "5 or more" in r.json()["notice"], f"fifth copy: {r.text}")
    conv = get_json(c, "/api/v1/messages?with=sam", tok["r1"])["messages"]
    check(conv and all(x["form_message"] for x in conv), f"r1's earlier copy is marked: {conv}")
    check(not any(k == "message" and f == "sam" for k, f, _ in note_kinds(c, tok["r5"])),
          "a form message does not notify")
    for i in range(1, 7):  # a short thanks to everyone is not a template
        r = send("ana", "r%d" % i, "Thanks!")
        check(r.status == 201 and r.json()["form_message"] is False, f"thanks {i}: {r.text}")
    # sent on the heels of a follow
    check(api(c, tok["r6"], "/api/v1/users/sam/follow", {"follow": True}).status == 200, "")
    r = send("sam", "r6", "Thanks for the follow, check out our new product launch today.")
    check(r.status == 201 and r.json()["form_message"] is True and "follow" in r.json()["notice"],
          f"after a follow: {r.text}")
    # muting hides the sender's messages
    check(api(c, tok["r1"], "/api/v1/users/sam/mute", {"mute": True}).status == 200, "mute")
    check(get_json(c, "/api/v1/messages?with=sam", tok["r1"])["messages"] == [], "muted")
    check(all(x["with"] != "sam" for x in
              get_json(c, "/api/v1/messages", tok["r1"])["conversations"]), "not listed")
    check_json_error(api(c, tok["r1"], "/api/v1/users/sam/mute", {"mute": 1}), 400, "mute")

    # the pages: the recipient sees the mark and the mute button; the sender was told
    page = check_page(m["r5"][0].get("/messages/sam"))
    check("form message" in page.text and "Mute this sender" in page.text, "marked on the page")
    r = m["sam"][0].post_form("/messages/r2", {"body": PITCH.format(name="R2", org="X",
                                                                    handle="r2")})
    check(r.status == 303, f"sent: {r.status}")
    page = check_page(m["sam"][0].get(r.header("Location")))
    check("shown to r2 as a form message" in page.text, "the sender is told")
    check_page(m["bo"][0].post_form("/messages/sam", {"body": "Hello"}), 403)
    r = m["r5"][0].post_form("/messages/sam/mute", {})
    check(r.status == 303, f"mute from the page: {r.status}")
    check("sam" not in check_page(m["r5"][0].get("/messages")).text.split("<main")[1],
          "gone from the list")


def test_mentions_and_replies_notify(g):
    m = members(g, "ana", "bo", "cy")
    c = Client(g)
    ana, bo, cy = (m[h][1] for h in ("ana", "bo", "cy"))
    link = item_id(submit_link(m["ana"][0], "https://ana.example.org/p", "Ana's pick"))
    r = c.post_json("/api/v1/items/%d/comments" % link,
                    {"body": "Good one. @cy should see this, and @nobody, and @bo twice @bo."},
                    token=bo)
    check(r.status == 201, r.text)
    first = r.json()["id"]
    check(("reply", "bo", False) in note_kinds(c, ana), "the submitter hears of the comment")
    check([k for k, f, _ in note_kinds(c, cy)] == ["mention"], "cy is mentioned once")
    check([k for k, f, _ in note_kinds(c, bo)] == [], "nobody tells bo about bo")
    r = c.post_json("/api/v1/items/%d/comments" % link, {"body": "Agreed, @ana.", "parent": first},
                    token=cy)
    check(r.status == 201, r.text)
    check([k for k, f, _ in note_kinds(c, bo)] == ["reply"], "bo hears of the reply")
    check([k for k, f, _ in note_kinds(c, ana)] == ["mention", "reply"], "ana, mentioned")
    page = check_page(c.get("/i/%d" % link))
    check('<a class="mention" href="/u/cy">@cy</a>' in page.text, "mentions link to profiles")


def suggestions(c, token, tries=1):
    """The member's suggestions as {handle: reasons}; retried while the graph catches up."""
    for _ in range(tries):
        body = get_json(c, "/api/v1/suggestions", token)
        yield {s["handle"]: s["reasons"] for s in body["suggestions"]}
        time.sleep(0.5)


def test_who_to_follow(g):
    m = members(g, "ana", "bo", "cy", "dee", "eve", "zed", "vic")
    c = Client(g)
    tok = {h: m[h][1] for h in m}
    # zed follows 300 members (a follow-back scheme), bo and cy among those who follow back
    now = int(time.time())
    g.query("INSERT INTO users (handle, name, email, pw_hash, created_at) "
            "WITH RECURSIVE s(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM s WHERE i < 1299) "
            "SELECT 'm' || i, 'M' || i, 'm' || i || '@example.org', 'x', ? FROM s", (now,))
    g.query("INSERT INTO follows (follower_id, followee_id, created_at) SELECT z.id, u.id, ? "
            "FROM users z, users u WHERE z.handle = 'zed' AND u.handle LIKE 'm%'", (now,))
    follow = lambda a, b: check(api(c, tok[a], "/api/v1/users/%s/follow" % b,
                                    {"follow": True}).status == 200, f"{a} follows {b}")
    for a, b in [("ana", "bo"), ("ana", "cy"), ("bo", "dee"), ("cy", "dee"), ("eve", "ana"),
                 ("bo", "zed"), ("cy", "zed"), ("bo", "vic"), ("cy", "vic")]:
        follow(a, b)
    g.cli("mod", "--db", g.db, "ban", "--as", "root", "--reason", "spam", "--user", "vic")
    follow("cy", "eve")  # a write after the ban, so the graph is built again
    s = next(suggestions(c, tok["ana"]))
    check(sorted(list(s)[:2]) == ["dee", "eve"], f"dee (two of ana's follows) and eve: {s}")
    check(s["dee"][0] == "Followed by 2 people you follow: bo, cy", f"reasons: {s['dee']}")
    check("Follows you" in s["eve"], f"eve follows ana: {s['eve']}")
    check("zed" not in s, "a follow spammer is never suggested")
    check(all(not h.startswith("m") for h in s), "nor the accounts only zed follows")
    r = api(c, tok["ana"], "/api/v1/suggestions/dismiss", {"handle": "dee"})
    check(r.status == 200 and r.json()["dismissed"] is True, r.text)
    check_json_error(api(c, tok["ana"], "/api/v1/suggestions/dismiss", {"handle": "nobody"}), 404)
    check_json_error(api(c, tok["ana"], "/api/v1/suggestions/dismiss", {}), 400, "handle")
    follow("ana", "eve")
    for s in suggestions(c, tok["ana"], tries=6):
        if "eve" not in s:
            break
    check("dee" not in s and "eve" not in s, f"dismissed and followed are gone: {s}")
    check_json_error(c.get("/api/v1/suggestions"), 401)
    check_json_error(c.request("GET", "/api/v1/suggestions?limit=0",
                               headers={"Authorization": "Bearer " + tok["ana"]}), 400, "limit")
    # the page: reasons in words, a Follow button, "Not interested"
    dee_page = check_page(m["eve"][0].get("/people"))
    check("<h1>Who to follow</h1>" in dee_page.text, "the page")
    r = m["eve"][0].post_form("/people/dismiss", {"handle": "nobody"})
    check_page(r, 404)
    root = Client(g)
    root.login("root", "root-password-123")
    admin = check_page(root.get("/admin"))
    check(re.search(r"Mass following.*?<td>zed</td><td>300</td><td>2</td>", admin.text, re.S),
          "zed is listed for the moderators: " + admin.text[admin.text.find("Mass"):][:600])
    newbie = join(g, "newbie")
    page = check_page(newbie.get("/people"))
    check("Who to follow" in page.text, "a member who follows nobody gets a page too")


def test_relationship_forms_refuse_bad_input(g):
    ana, bo = join(g, "ana"), join(g, "bo")
    link = item_id(submit_link(bo, "https://bo.example.org/x", "Bo's link"))
    check_page(ana.get("/home?before=yesterday"), 400)
    check_page(ana.post_form("/i/%d/follow" % link, {"follow": "1"}), 404)  # not a blog
    check_page(ana.post_form("/i/999999/reshare", {"commentary": "x"}), 404)
    check_page(ana.post_form("/i/%d/reshare" % link, {"commentary": "x" * 10001}), 400)
    check_page(ana.post_form("/notifications/read", {"upto": "abc"}), 400)
    check_page(ana.post_form("/messages/ana", {"body": "Hello me"}), 400)
    check_page(ana.post_form("/messages/bo", {"body": ""}), 400)
    check_page(ana.post_form("/messages/nobody", {"body": "Hello"}), 404)
    check_page(ana.get("/messages/nobody"), 404)
    check_page(ana.post_form("/messages/ana/mute", {}), 400)
    check_page(ana.post_form("/people/dismiss", {}), 404)
    check_page(ana.post_form("/u/bo/endorse", {"topic": "seo"}), 403)  # not connected
    check_page(ana.post_form("/u/bo/connection", {}), 400)
    # nothing above was stored
    check(g.query("SELECT count(*) FROM messages")[0][0] == 0, "no message stored")
    check(g.query("SELECT count(*) FROM reshares")[0][0] == 0, "no reshare stored")
    check(g.query("SELECT count(*) FROM blog_follows")[0][0] == 0, "no blog followed")


def test_relationship_limits_are_their_own(g):
    """follow, connect and message each count on their own (on PostgreSQL, in the database):
    using up the follow limit leaves connection requests and messages alone."""
    m = members(g, "ana", "bo", "cy", "dee")
    c = Client(g)
    ana = m["ana"][1]
    for h in ("bo", "cy"):
        check(api(c, ana, "/api/v1/users/%s/follow" % h, {"follow": True}).status == 200, h)
    r = api(c, ana, "/api/v1/users/dee/follow", {"follow": True})
    check_json_error(r, 429)
    check(int(r.header("Retry-After") or 0) > 0, "Retry-After")
    r = api(c, ana, "/api/v1/users/bo/connection", {"action": "request"})
    check(r.status == 200, f"a connection request is not a follow: {r.status} {r.text}")
    r = api(c, ana, "/api/v1/users/cy/connection", {"action": "request"})
    check_json_error(r, 429)  # connect=1/86400
    check(api(c, m["bo"][1], "/api/v1/users/ana/connection", {"action": "accept"}).status == 200,
          "accept")
    r = api(c, ana, "/api/v1/messages", {"to": "bo", "body": "Hello there, Bo."})
    check(r.status == 201, f"a message is neither: {r.status} {r.text}")
    # unfollowing is never limited
    check(api(c, ana, "/api/v1/users/bo/follow", {"follow": False}).status == 200, "unfollow")


test_relationship_limits_are_their_own.serve_args = ("--limits", "follow=2/3600,connect=1/86400")


def test_form_messages_resist_simple_evasion(g):
    """The attacks a helper found: words joined by no-break spaces, and unfollowing before
    the 'thanks for the follow' message; muting silences earlier notifications too."""
    handles = ["eve"] + ["u%d" % i for i in range(1, 8)]
    m = members(g, *handles)
    c = Client(g)
    tok = {h: m[h][1] for h in handles}
    for i in range(1, 8):
        check(m["u%d" % i][0].post_form("/settings/messages", {"anyone": "1"}).status == 303, "")
    nbsp = "\u00a0"
    text = nbsp.join("I would love to show you how we book more demos for teams like yours "
                     "this quarter".split())
    forms = []
    for i in range(1, 6):
        r = api(c, tok["eve"], "/api/v1/messages", {"to": "u%d" % i, "body": "Hi U%d, " % i + text})
        check(r.status == 201, r.text)
        forms.append(r.json()["form_message"])
    check(forms == [False] * 4 + [True], f"no-break spaces do not hide a template: {forms}")
    check(api(c, tok["eve"], "/api/v1/users/u6/follow", {"follow": True}).status == 200, "")
    check(api(c, tok["eve"], "/api/v1/users/u6/follow", {"follow": False}).status == 200, "")
    r = api(c, tok["eve"], "/api/v1/messages", {"to": "u6", "body": "hey, saw you followed"})
    check(r.status == 201 and r.json()["form_message"] is True,
          f"unfollowing first does not hide an automatic message: {r.text}")
    r = api(c, tok["eve"], "/api/v1/messages", {"to": "u7", "body": "A real question for you."})
    check(r.status == 201 and r.json()["form_message"] is False, r.text)
    check(("message", "eve", False) in note_kinds(c, tok["u7"]), "u7 was told")
    check(api(c, tok["u7"], "/api/v1/users/eve/mute", {"mute": True}).status == 200, "mute")
    check(all(f != "eve" or k != "message" for k, f, _ in note_kinds(c, tok["u7"])),
          "muting silences the earlier notice too")


# the longest of these stay out of the valgrind pass (--quick); every other pass runs them
for _slow in (test_who_to_follow, test_messages_and_form_messages,
              test_form_messages_resist_simple_evasion, test_blog_follow_and_timeline_api):
    _slow.slow = True
