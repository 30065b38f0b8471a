"""The JSON API under /api/v1/ with bearer tokens."""
import json
import time

from harness import Client, Failure, check, check_json_error
from cases_forms import join, submit_link, item_id


def token_for(g, handle):
    return g.cli("token", "create", "--db", g.db, "--user", handle).stdout.strip()


def test_api_items_list_and_validation(g):
    c = Client(g)
    root = g.root_token
    for i in range(3):
        r = c.post_json("/api/v1/items", {"url": "https://news.example.org/%d" % i,
                                          "title": "Story %d" % i}, token=root)
        check(r.status == 201, f"create {i}: {r.status} {r.text}")
    r = c.post_json("/api/v1/items", {"kind": "blog", "url": "https://someblog.net",
                                      "title": "Some blog", "feed_url": "https://someblog.net/feed",
                                      "tags": ["seo", "brand"]}, token=root)
    check(r.status == 201 and r.json()["item"]["tags"] == ["seo", "brand"], r.text)
    body = c.get("/api/v1/items?sort=new&kind=link&limit=2").json()
    check([i["title"] for i in body["items"]] == ["Story 2", "Story 1"], "newest first")
    body = c.get("/api/v1/items?sort=new&kind=link&limit=2&offset=2").json()
    check([i["title"] for i in body["items"]] == ["Story 0"], "offset pages")
    blogs = c.get("/api/v1/items?kind=blog&sort=top").json()["items"]
    check(len(blogs) == 1 and blogs[0]["feed_url"] == "https://someblog.net/feed", "blog kind")
    check_json_error(c.get("/api/v1/items?sort=bogus"), 400, "sort")
    check_json_error(c.get("/api/v1/items?kind=poll"), 400, "kind")
    check_json_error(c.get("/api/v1/items?limit=0"), 400, "limit")
    check_json_error(c.get("/api/v1/items?limit=1000"), 400, "limit")
    check_json_error(c.get("/api/v1/items?offset=-1"), 400, "offset")
    check_json_error(c.get("/api/v1/items/999999"), 404)
    check_json_error(c.get("/api/v1/items/abc"), 404)
    check_json_error(c.get("/api/v1/nothing"), 404)
    check_json_error(c.request("DELETE", "/api/v1/items"), 405)


def test_api_submit_rules(g):
    c = Client(g)
    root = g.root_token
    check_json_error(c.post_json("/api/v1/items", {"url": "https://x.org/a", "title": "T"}), 401)
    check_json_error(c.post_json("/api/v1/items", {"url": "https://x.org/a", "title": "T"},
                                 token="f" * 64), 401)
    check_json_error(c.post_json("/api/v1/items", None, token=root, raw=b"{not json"), 400, "body")
    check_json_error(c.post_json("/api/v1/items", [1, 2], token=root), 400, "body")
    check_json_error(c.post_json("/api/v1/items", {"url": "https://x.org/a", "title": 5},
                                 token=root), 400, "title")
    check_json_error(c.post_json("/api/v1/items", {"url": "x.org", "title": "T"}, token=root),
                     400, "url")
    check_json_error(c.post_json("/api/v1/items", {"url": "https://x.org/a", "title": "T",
                                                   "tags": ["nope"]}, token=root), 400, "tags")
    check_json_error(c.post_json("/api/v1/items", {"url": "https://x.org/a", "title": "T",
                                                   "kind": "poll"}, token=root), 400, "kind")
    body = check_json_error(c.post_json("/api/v1/items", {"kind": "blog", "title": "Ours",
                                                          "url": "https://blog.guildhq.org/"},
                                        token=root), 403, "url")
    check("honor rule" in body["message"], "honor rule message")
    r = c.post_json("/api/v1/items", {"url": "https://x.org/a?utm_campaign=z", "title": "T"},
                    token=root)
    first = r.json()["id"]
    r = c.post_json("/api/v1/items", {"url": "https://X.org:443/a/", "title": "T again"},
                    token=root)
    check(r.status == 200 and r.json()["duplicate"] and r.json()["id"] == first, "dedupe")
    r = c.post_json("/api/v1/items", {"url": "https://guildhq.org/news", "title": "Our news"},
                    token=root)
    check(r.status == 201 and r.json()["item"]["from_submitter_org"], "own-org link marked")
    total = len(c.get("/api/v1/items?limit=100").json()["items"])
    check(total == 2, f"nothing half-written by refusals ({total} items)")


def test_api_votes_comments_and_why(g):
    join(g, "vera", "Acme", "acme.com")
    join(g, "walt")
    vera, walt = token_for(g, "vera"), token_for(g, "walt")
    c = Client(g)
    link = c.post_json("/api/v1/items", {"url": "https://news.example.org/x", "title": "X"},
                       token=walt).json()["id"]
    acme = c.post_json("/api/v1/items", {"url": "https://acme.com/x", "title": "Acme X"},
                       token=walt).json()["id"]
    vote = "/api/v1/items/%d/vote" % link
    check_json_error(c.post_json(vote, {"value": 1}), 401)
    check_json_error(c.post_json(vote, {"value": 2}, token=vera), 400, "value")
    check_json_error(c.post_json(vote, {"value": "1"}, token=vera), 400, "value")
    check_json_error(c.post_json(vote, {}, token=vera), 400, "value")
    check_json_error(c.post_json(vote, {"value": -1}, token=vera), 400, "reason")
    check_json_error(c.post_json(vote, {"value": -1, "reason": "meh"}, token=vera), 400, "reason")
    check_json_error(c.post_json(vote, {"value": 1}, token=walt), 403, "item")
    check_json_error(c.post_json("/api/v1/items/%d/vote" % acme, {"value": 1}, token=vera), 403)
    r = c.post_json(vote, {"value": 1}, token=vera)
    check(r.status == 200 and r.json()["ups"] == 1 and not r.json()["opened"], r.text)
    g.cli("rank", "--db", g.db)
    why = c.get("/api/v1/items/%d/why" % link).json()
    check(why["explanation"]["ups"] == 1 and why["explanation"]["unread_ups"] == 1,
          "why counts the unread upvote: " + json.dumps(why))
    check(any("1 unread upvote (counts a quarter)" in s for s in why["explanation"]["steps"]),
          "unread vote explained")
    browser = Client(g)
    browser.login("vera", "member-password-1")
    browser.get("/go/%d" % link, headers={"Referer": g.url("/new")})  # clicked in our list
    r = c.post_json(vote, {"value": -1, "reason": "low-quality"}, token=vera)
    check(r.json()["opened"] and r.json()["downs"] == 1 and r.json()["ups"] == 0, r.text)
    g.cli("rank", "--db", g.db)
    why = c.get("/api/v1/items/%d/why" % link).json()
    e = why["explanation"]
    check(e["downs"] == 1 and e["ups"] == 0 and e["unread_downs"] == 0 and e["down_weight"] == 1
          and why["score"] < 0.5, "why follows the changed vote: " + json.dumps(why))
    r = c.post_json(vote, {"value": 0}, token=vera)
    check(r.json()["downs"] == 0 and r.json()["value"] == 0, "withdrawn")
    # session-cookie writes to the API need the CSRF header
    r = browser.post_json(vote, {"value": 1})
    check_json_error(r, 403, "csrf")
    r = browser.post_json(vote, {"value": 1}, headers={"X-CSRF-Token": browser.csrf})
    check(r.status == 200, "cookie + CSRF header accepted")
    comments = "/api/v1/items/%d/comments" % link
    check_json_error(c.post_json(comments, {"body": ""}, token=vera), 400, "body")
    r = c.post_json(comments, {"body": "Top level"}, token=vera)
    check(r.status == 201, r.text)
    top = r.json()["id"]
    r = c.post_json(comments, {"body": "Reply", "parent": top}, token=walt)
    reply = r.json()["id"]
    other = c.post_json("/api/v1/items/%d/comments" % acme, {"body": "elsewhere"},
                        token=walt).json()["id"]
    check_json_error(c.post_json(comments, {"body": "x", "parent": other}, token=walt), 404,
                     "parent")
    check_json_error(c.post_json("/api/v1/items/999999/comments", {"body": "x"}, token=walt), 404)
    check_json_error(c.post_json("/api/v1/comments/%d/vote" % top, {"value": 1}, token=vera), 403)
    r = c.post_json("/api/v1/comments/%d/vote" % top, {"value": 1}, token=walt)
    check(r.status == 200, r.text)
    item = c.get("/api/v1/items/%d" % link).json()
    tree = item["comments"]
    check(len(tree) == 1 and tree[0]["id"] == top and tree[0]["ups"] == 1, "tree top")
    check(tree[0]["children"][0]["id"] == reply and tree[0]["children"][0]["body"] == "Reply",
          "reply nested")
    check(item["item"]["comments"] == 2, "comment count")
    # comments reach search in batches, about a second after they are posted
    c.post_json(comments, {"body": "A quixotic zeppelin of a pricing page"}, token=walt)
    deadline = time.time() + 8
    while True:
        page = c.get("/search?q=zeppelin").text
        if "<mark>zeppelin</mark>" in page or time.time() > deadline:
            break
        time.sleep(0.2)
    check("<mark>zeppelin</mark>" in page, "a new comment is found by search within seconds")


def test_api_users(g):
    join(g, "yuki", "Acme", "acme.com")
    c = Client(g)
    u = c.get("/api/v1/users/yuki").json()
    check(u["invited_by"] == "root" and u["domain"] == "acme.com", json.dumps(u))
    check("email" not in u and "yuki@example.org" not in json.dumps(u), "email stays private")
    root = c.get("/api/v1/users/root").json()
    check("yuki" in root["invitees"], "invitees listed")
    check_json_error(c.get("/api/v1/users/nobody"), 404, "handle")


def wait_for_why(c, item, pred, seconds=8):
    """Polls /why until pred(explanation) holds: the server's ranker, not the CLI, updates it."""
    deadline = time.time() + seconds
    why = None
    while time.time() < deadline:
        why = c.get("/api/v1/items/%d/why" % item).json()
        if why["explanation"] is not None and pred(why["explanation"]):
            return why
        time.sleep(0.2)
    raise Failure("why did not update: " + json.dumps(why))


def test_server_ranker_updates_why_and_trust(g):
    join(g, "tina")
    join(g, "ugo")
    pw = g.password_file("loner-password-1")
    g.cli("user", "add", "--db", g.db, "--handle", "loner", "--name", "Lone Member", "--email",
          "loner@example.org", "--password-file", pw)  # nobody invited them: no trust path
    tina, ugo, loner = token_for(g, "tina"), token_for(g, "ugo"), token_for(g, "loner")
    c = Client(g)
    link = c.post_json("/api/v1/items", {"url": "https://news.example.org/why", "title": "Why"},
                       token=g.root_token).json()["id"]
    wait_for_why(c, link, lambda e: e["ups"] == 0)  # the new item gets ranked by the worker
    c.post_json("/api/v1/items/%d/vote" % link, {"value": 1}, token=tina)
    c.post_json("/api/v1/items/%d/vote" % link, {"value": -1, "reason": "spam"}, token=ugo)
    why = wait_for_why(c, link, lambda e: e["ups"] == 1 and e["downs"] == 1)
    check(why["explanation"]["unread_downs"] == 1 and why["explanation"]["down_weight"] == 0,
          "an unread downvote counts for nothing: " + json.dumps(why))
    check(why["explanation"]["up_weight"] == 0.25, "an unread upvote counts a quarter")
    lone = Client(g)
    lone.login("loner", "loner-password-1")
    r = lone.get("/go/%d" % link, headers={"Referer": g.url("/new")})  # opened from our list
    check(r.status == 303, "go")
    c.post_json("/api/v1/items/%d/vote" % link, {"value": 1}, token=loner)
    why = wait_for_why(c, link, lambda e: e["ups"] == 2)
    check(why["explanation"]["low_trust"] == 1, "the untrusted member's vote is discounted")
    check(abs(why["explanation"]["up_weight"] - 0.25) < 1e-6, "and adds no weight")
    admin = Client(g)
    admin.login("root", "root-password-123")
    check("trust" in admin.get("/api/v1/users/tina").json(), "admins see trust")
    check("trust" not in Client(g).get("/api/v1/users/tina").json(), "others do not")
    check("Admins only: trust 1.00" in admin.get("/u/tina").text, "trust on the profile for admins")
    page = lone.get("/i/%d" % link).text
    check("carries little weight" in page, "a low-trust member is told their vote counts little")
    r = g.cli("seed", "--db", g.db, "--handle", "loner")
    check("now a seed" in r.stdout, "admins can mark seeds")
    g.cli("seed", "--db", g.db, "--handle", "nobody", expect=1)


def test_api_list_shows_each_viewer_their_own_vote(g):
    """List rows are shared between members; each viewer's vote and open are their own."""
    c = Client(g)
    ann, bob = join(g, "ann"), join(g, "bob")
    ann_t, bob_t = token_for(g, "ann"), token_for(g, "bob")
    ids = [c.post_json("/api/v1/items", {"url": "https://rows.example.org/%d" % k,
                                         "title": "Row %d" % k}, token=g.root_token).json()["id"]
           for k in range(3)]
    ann.get("/go/%d" % ids[1])
    check(c.post_json("/api/v1/items/%d/vote" % ids[1], {"value": 1}, token=ann_t).status == 200,
          "ann votes")
    check(c.post_json("/api/v1/items/%d/vote" % ids[2], {"value": -1, "reason": "spam"},
                      token=bob_t).status == 200, "bob votes")

    def mine(token):
        rows = c.get("/api/v1/items?sort=new", headers={"Authorization": "Bearer " + token})
        return {i["id"]: (i["my_vote"], i["opened"]) for i in rows.json()["items"]}

    check(mine(ann_t) == {ids[0]: (0, False), ids[1]: (1, True), ids[2]: (0, False)},
          "ann's view: %s" % mine(ann_t))
    check(mine(bob_t) == {ids[0]: (0, False), ids[1]: (0, False), ids[2]: (-1, False)},
          "bob's view: %s" % mine(bob_t))
    anon = {i["id"]: i["my_vote"] for i in c.get("/api/v1/items?sort=new").json()["items"]}
    check(set(anon.values()) == {0}, "nobody's view")
    page = bob.get("/new").text
    check('class="down on"' in page or "Withdraw your downvote" in page, "bob's page shows his vote")
    check("Withdraw your downvote" not in ann.get("/new").text, "ann's page does not")
