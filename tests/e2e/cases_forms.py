"""The site through its HTML forms, as a member in a browser without JavaScript would use it."""
import re
import time
import urllib.parse

from harness import Client, check, check_page

QUICK = False
PW = "member-password-1"


def join(g, handle, org="independent", domain="", inviter="root"):
    """Invites and signs up a member through /join/CODE; returns their signed-in client."""
    code = g.cli("invite", "--db", g.db, "--by", inviter).stdout.strip()
    c = Client(g)
    check_page(c.get(code))
    r = c.post_form(code, {"handle": handle, "name": handle.title() + " Tester",
                           "email": handle + "@example.org", "password": PW,
                           "affiliation": org, "domain": domain})
    check(r.status == 303, f"join {handle}: {r.status} {r.text[:400]}")
    c.get("/settings")
    return c


def submit_link(c, url, title="A useful link", text="", kind="link", tags=()):
    fields = {"kind": kind, "url": url, "title": title, "text": text}
    for t in tags:
        fields["tag_" + t] = "1"
    return c.post_form("/submit", fields)


def item_id(resp):
    m = re.match(r"/i/(\d+)", resp.header("Location") or "")
    check(m, f"redirect to an item, got {resp.status} {resp.header('Location')}")
    return int(m.group(1))


def test_join_by_invitation(g):
    code = g.cli("invite", "--db", g.db, "--by", "root").stdout.strip()
    c = Client(g)
    page = check_page(c.get(code))
    check("root invited you" in page.text, "join page names the inviter")
    fields = {"handle": "newbie", "name": "New Bie", "email": "root@guildhq.org",
              "password": PW, "affiliation": "Beta Corp", "domain": "beta.io"}
    r = c.post_form(code, fields, csrf=False)
    check(r.status == 403, "join without a CSRF token is refused")
    r = c.post_form(code, dict(fields, password="short"))
    check_page(r, 400)
    check("10 characters" in r.text and 'value="New Bie"' in r.text, "form re-shown with reason")
    r = c.post_form(code, fields)          # email taken: refused, invitation not spent
    check_page(r, 409)
    check("already has an account" in r.text, "taken email explained")
    r = c.post_form(code, dict(fields, email="newbie@beta.io"))
    check(r.status == 303 and r.header("Location") == "/u/newbie", f"joined: {r.status}")
    cookie = [x for x in r.cookies() if x.startswith("guild_session=")][0]
    check("HttpOnly" in cookie and "SameSite=Lax" in cookie, "session cookie flags: " + cookie)
    profile = check_page(c.get("/u/newbie"))
    check("invited by <a href=\"/u/root\">root</a>" in profile.text, "invited by shown")
    check("Beta Corp (beta.io)" in profile.text, "affiliation shown")
    check("Sign out" in profile.text, "signed in after joining")
    other = Client(g)
    r = other.get(code)
    check_page(r, 403)
    check("already been used" in r.text, "used invitation explained")
    check_page(other.get("/join/00000000deadbeef00000000"), 404)


def test_login_logout_and_password_change(g):
    c = join(g, "lena")
    r = c.post_form("/logout", {})
    check(r.status == 303 and any("Max-Age=0" in x for x in r.cookies()), "logout clears cookie")
    check("Sign in" in c.get("/").text, "signed out")
    c.get("/login")
    r = c.post_form("/login", {"handle": "lena", "password": "wrong password!"})
    check_page(r, 401)
    check("do not match" in r.text, "wrong password explained")
    c.login("lena", PW)
    settings = check_page(c.get("/settings"))
    check("3 invitations left" in settings.text, "invitations counted")
    r = c.post_form("/settings/password", {"current": "nope nope nope", "password": "x" * 12})
    check_page(r, 403)
    r = c.post_form("/settings/password", {"current": PW, "password": "short"})
    check_page(r, 400)
    r = c.post_form("/settings/password", {"current": PW, "password": "a brand new password"})
    check_page(r, 200)
    check("Password changed" in r.text, "password changed")
    check(c.post_form("/settings/invite", {}).status == 303, "form still works after change")
    fresh = Client(g)
    fresh.get("/login")
    check(fresh.post_form("/login", {"handle": "lena", "password": PW}).status == 401,
          "old password no longer works")
    fresh.login("lena", "a brand new password")
    for _ in range(2):
        r = c.post_form("/settings/invite", {})
        check(r.status == 303, "invite created")
    page = check_page(c.get(r.header("Location")))
    check(re.search(r"/join/[0-9a-f]{24}", page.text), "invitation link shown")
    r = c.post_form("/settings/invite", {})
    check_page(r, 403)
    check("no invitations left" in r.text, "invitations run out")
    # the open invitations are listed as full links, and one can be taken back (and reused)
    codes = re.findall(r'value="http://[^"]+/join/([0-9a-f]{24})"', c.get("/settings").text)
    check(len(codes) == 3, "three open invitations listed as full links: %s" % codes)
    r = c.post_form("/settings/invite/revoke", {"code": codes[0]})
    check("Invitation revoked" in check_page(r).text, "revoked, and said so")
    check(Client(g).get("/join/" + codes[0]).status == 404, "its link no longer works")
    check(c.post_form("/settings/invite", {}).status == 303, "the invitation came back")
    r = c.post_form("/settings/invite/revoke", {"code": codes[0]})
    check_page(r, 404)
    check("used or revoked" in r.text, "a revoked code cannot be revoked twice")


def test_submit_dedupe_and_honor_rule(g):
    c = join(g, "olga", "Acme", "acme.com")
    r = Client(g).get("/submit")
    check(r.status == 303 and r.header("Location") == "/login?back=/submit",
          "signed-out submit goes to login, and back after it: %s" % r.header("Location"))
    check_page(c.get("/submit"))
    check_page(c.get("/submit?kind=blog"))
    r = submit_link(c, "https://news.example.org/story?utm_source=x", "Good story",
                    "Worth it: **bold** <script>alert(1)</script>", tags=("seo", "brand"))
    first = item_id(r)
    page = check_page(c.get("/i/%d" % first))
    check("<strong>bold</strong>" in page.text and "&lt;script&gt;" in page.text,
          "commentary rendered as Markdown with HTML escaped")
    check("brand seo" in page.text, "tags shown")
    r = submit_link(c, "HTTPS://News.Example.org:443/story/#top", "Same story again")
    check(item_id(r) == first and "existing=1" in r.header("Location"),
          "canonical duplicate leads to the existing item")
    check("You shared this link already" in c.get(r.header("Location")).text,
          "one's own duplicate says so")
    r = submit_link(c, "ftp://example.org/file", "Bad")
    check_page(r, 400)
    check("http://" in r.text and 'value="Bad"' in r.text, "bad URL explained, form kept")
    r = submit_link(c, "https://acme.com/blog", "Our blog", kind="blog")
    check_page(r, 403)
    check("honor rule" in r.text, "honor rule explained")
    own = item_id(submit_link(c, "https://www.acme.com/launch", "Our launch"))
    page = check_page(c.get("/i/%d" % own))
    check("from the submitter's organisation" in page.text, "own-org link marked")
    profile = check_page(c.get("/u/olga"))
    check("Own organisation: 1 of 2 submissions (50%)" in profile.text, "own-vs-others ratio")
    blog = item_id(submit_link(c, "https://other-blog.net/", "Other blog", kind="blog"))
    check("Other blog" in check_page(c.get("/directory")).text, "blog listed in directory")
    check_page(c.get("/i/%d" % blog))
    r = c.post_form("/submit", {"kind": "link", "url": "https://x.org/a", "title": "T",
                                "tag_nonsense": "1"})
    check(r.status == 303, "unknown tag fields are ignored")
    # what a new member trips over (issue 14): a long title says what is wrong, the field is
    # limited; someone else's duplicate says whose it is
    check('maxlength="200"' in c.get("/submit").text, "the title field stops at 200")
    r = submit_link(c, "https://news.example.org/long", "x" * 250)
    check_page(r, 400)
    check("The title is 250 characters long; the most is 200. Shorten it by 50." in r.text,
          "the long title is explained")
    other = join(g, "pavel")
    r = submit_link(other, "https://news.example.org/story", "The same story")
    page = check_page(other.get(r.header("Location")))
    check("Already shared by olga: here it is." in page.text, "a duplicate names its sharer")


def test_sign_in_returns_to_the_page(g):
    c = Client(g)
    page = check_page(c.get("/moderations"))
    check('href="/login?back=%2Fmoderations"' in page.text, "the sign-in link knows the page")
    form = check_page(c.get("/login?back=%2Fmoderations"))
    check('name="back" value="/moderations"' in form.text, "the form carries it")
    r = c.post_form("/login", {"handle": "root", "password": g.root_password,
                               "back": "/moderations"})
    check(r.status == 303 and r.header("Location") == "/moderations", "back where they were: %s"
          % r.header("Location"))
    other = Client(g)
    other.get("/login")
    r = other.post_form("/login", {"handle": "root", "password": g.root_password,
                                   "back": "//evil.example/"})
    check(r.status == 303 and r.header("Location") == "/", "never off the site: %s %s"
          % (r.status, r.header("Location")))


def test_votes_and_opens(g):
    alice = join(g, "alice", "Acme", "acme.com")
    bob = join(g, "bob")
    link = item_id(submit_link(bob, "https://news.example.org/vote-me", "Vote on me"))
    acme_link = item_id(submit_link(bob, "https://acme.com/pr", "Acme PR"))
    r = alice.post_form("/i/%d/vote" % link, {"value": "1"}, csrf=False)
    check(r.status == 403, "vote without CSRF refused")
    r = alice.post_form("/i/%d/vote" % link, {"value": "1", "back": "/new#i%d" % link})
    check(r.status == 303 and r.header("Location") == "/new#i%d" % link, "vote returns to list")
    r = alice.post_form("/i/%d/vote" % link, {"value": "1", "back": "//evil.example/"})
    check(r.header("Location") == "/", "no open redirect through back= (issue 12: to /)")
    page = check_page(alice.get("/i/%d" % link))
    check("You voted up without opening it first" in page.text, "unread vote noted")
    r = alice.get("/go/%d" % link)
    check(r.status == 303 and r.header("Location") == "https://news.example.org/vote-me",
          "go redirects to the link")
    r = alice.post_form("/i/%d/vote" % link, {"value": "-1"})
    check_page(r, 400)
    check("needs a reason" in r.text, "downvote without reason explained")
    r = alice.post_form("/i/%d/vote" % link, {"value": "-1", "reason": "cheese"})
    check_page(r, 400)
    check(alice.post_form("/i/%d/vote" % link, {"value": "-1", "reason": "off-topic"}).status
          == 303, "downvote with reason")
    page = check_page(alice.get("/i/%d" % link))
    check("You voted down." in page.text, "opened before voting")
    check(bob.post_form("/i/%d/vote" % link, {"value": "1"}).status == 403, "no vote on own")
    r = alice.post_form("/i/%d/vote" % acme_link, {"value": "1"})
    check_page(r, 403)
    check("own organisation" in r.text, "no vote on own organisation's items")
    check(alice.post_form("/i/%d/vote" % link, {"value": "0"}).status == 303, "withdraw")
    check("You voted" not in alice.get("/i/%d" % link).text, "vote withdrawn")
    check(alice.post_form("/i/%d/vote" % link, {"value": "7"}).status == 400, "bad value")
    check(alice.post_form("/i/999999/vote", {"value": "1"}).status == 404, "unknown item")
    anon = Client(g)
    anon.get("/i/%d" % link)
    r = anon.post_form("/i/%d/vote" % link, {"value": "1"})
    check_page(r, 401)


def test_comments_thread_edit_delete(g):
    ann = join(g, "ann")
    ben = join(g, "ben")
    link = item_id(submit_link(ann, "https://news.example.org/thread", "Thread"))
    r = ben.post_form("/i/%d/comment" % link, {"body": "   "})
    check_page(r, 400)
    r = ben.post_form("/i/%d/comment" % link, {"body": "First *point* <b onclick=x>hi</b>"})
    check(r.status == 303, "comment posted")
    c1 = int(r.header("Location").split("#c")[1])
    check_page(ann.get("/i/%d?reply=%d" % (link, c1)))
    r = ann.post_form("/i/%d/comment" % link, {"body": "A reply", "parent": str(c1)})
    c2 = int(r.header("Location").split("#c")[1])
    page = check_page(ann.get("/i/%d" % link))
    check("<em>point</em>" in page.text and "&lt;b onclick" in page.text, "Markdown, no HTML")
    check('class="comment d1" id="c%d"' % c2 in page.text, "reply nested under its parent")
    check(ann.post_form("/c/%d/vote" % c1, {"value": "-1"}).status == 400, "reason needed")
    check(ann.post_form("/c/%d/vote" % c1, {"value": "1"}).status == 303, "comment upvote")
    check(ben.post_form("/c/%d/vote" % c1, {"value": "1"}).status == 403, "no vote on own")
    check(ann.get("/c/%d/edit" % c1).status == 403, "only the author edits")
    check_page(ben.get("/c/%d/edit" % c1))
    check(ben.post_form("/c/%d/edit" % c1, {"body": "Edited point"}).status == 303, "edited")
    page = ann.get("/i/%d" % link).text
    check("Edited point" in page and "edited" in page and "1 point" in page, "edit shown")
    check(ann.post_form("/c/%d/delete" % c1, {}).status == 403, "only the author deletes")
    check(ben.post_form("/c/%d/delete" % c1, {}).status == 303, "deleted")
    page = check_page(ann.get("/i/%d" % link))
    check("[deleted]" in page.text and "Edited point" not in page.text, "[deleted] left behind")
    check("A reply" in page.text, "replies keep their place")
    check(ann.post_form("/i/%d/comment" % link, {"body": "x", "parent": "999999"}).status == 404,
          "reply to a missing comment")


def test_pages_and_malformed_input(g):
    c = join(g, "pat")
    link = item_id(submit_link(c, "https://news.example.org/pages", "Pages"))
    g.cli("rank", "--db", g.db)
    anon = Client(g)
    for path in ("/", "/new", "/directory", "/i/%d" % link, "/u/pat", "/why/%d" % link,
                 "/login", "/?p=2", "/?p=abc"):
        check_page(anon.get(path))
    for path in ("/submit", "/settings", "/i/%d" % link):
        check_page(c.get(path))
    why = anon.get("/why/%d" % link).text
    check("0 votes, all counted in full" in why and "estimate 0.50" in why,
          "why page explains the score")
    check_page(anon.get("/nowhere"), 404)
    check_page(anon.get("/i/abc"), 404)
    check_page(anon.get("/u/nobody"), 404)
    check(anon.get("/static/guild.css").header("Content-Type").startswith("text/css"), "css")
    r = c.request("DELETE", "/")
    check_page(r, 405)
    r = c.post_form("/submit", {}, raw=b"kind=link&url=https%3A%2F%2Fx.org&title=%ff%fe&csrf=" +
                    c.csrf.encode())
    check_page(r, 400)
    check("not valid text" in r.text, "invalid UTF-8 refused")
    r = c.post_form("/submit", {}, raw=b"title=" + b"a" * 70000)
    check_page(r, 413)
    r = c.request("POST", "/submit", data=b'{"a":1}',
                  headers={"Content-Type": "application/json"})
    check_page(r, 400)
    long_title = "t" * 201
    r = submit_link(c, "https://x.org/long", long_title)
    check_page(r, 400)
    check(c.get("/i/%d" % link).status == 200, "server still healthy")


def test_login_rate_limit(g):
    if QUICK:
        return
    join(g, "rita")
    c = Client(g)
    c.get("/login")
    for i in range(10):
        r = c.post_form("/login", {"handle": "rita", "password": "wrong password %d" % i})
        check(r.status == 401, f"attempt {i}: {r.status}")
    r = c.post_form("/login", {"handle": "rita", "password": PW})
    check_page(r, 429)
    check(int(r.header("Retry-After")) > 0, "Retry-After given")


def test_action_rate_limits(g):
    """Each action has its own per-account limit (here tightened by --limits)."""
    ann = join(g, "lim")
    links = []
    for i in range(2):
        links.append(item_id(submit_link(ann, "https://news.example.org/limit-%d" % i, "L%d" % i)))
    r = submit_link(ann, "https://news.example.org/limit-2", "L2")
    check_page(r, 429)
    check(int(r.header("Retry-After")) > 0 and "too often" in r.text, "submit limited")
    ben = join(g, "lim2")
    for value in ("1", "0", "1"):
        check(ben.post_form("/i/%d/vote" % links[0], {"value": value}).status == 303, "vote")
    r = ben.post_form("/i/%d/vote" % links[0], {"value": "0"})
    check_page(r, 429)
    token = g.cli("token", "create", "--db", g.db, "--user", "lim2").stdout.strip()
    r = ben.post_json("/api/v1/items/%d/vote" % links[1], {"value": 1}, token=token)
    check(r.status == 429 and r.json()["error"] == "rate_limited" and r.header("Retry-After"),
          "API votes share the limit: %d %s" % (r.status, r.text))
    check(ann.post_form("/i/%d/vote" % links[0], {"value": "-1", "reason": "spam"}).status == 403,
          "another member is not affected (and still cannot vote on their own)")
    r = ann.post_form("/settings/invite", {})
    check(r.status == 303, "first invitation")
    check_page(ann.post_form("/settings/invite", {}), 429)


test_action_rate_limits.serve_args = ("--limits", "submit=2/600,vote=3/600,invite=1/600,join=20/600")


def test_page_cache_serves_logged_out_pages_and_invalidates_on_writes(g):
    member = join(g, "cachey")
    link = item_id(submit_link(member, "https://news.example.org/cached", "Cached story"))
    anon = Client(g)
    # the ranker writes in the background after a submission (and any write invalidates),
    # so look until two consecutive reads meet: a render, then its reuse
    deadline, reused = time.time() + 15, False
    while not reused and time.time() < deadline:
        first = anon.get("/")
        second = anon.get("/")
        reused = (first.header("X-Guild-Cache") == "miss" and
                  second.header("X-Guild-Cache") == "hit" and second.body == first.body)
        time.sleep(0.1)
    check(reused, "a rendered page is reused until the next write")
    check_page(second)
    voter = join(g, "voter")
    voter.post_form("/i/%d/vote" % link, {"value": "1"})
    third = anon.get("/")
    check(third.header("X-Guild-Cache") == "miss", "a write invalidates the cache")
    check("1 up, 0 down" in third.text, "the new vote shows at once")
    check(member.get("/").header("X-Guild-Cache") is None, "signed-in pages are never shared")
    check(anon.get("/?p=1").header("X-Guild-Cache") is None, "query strings bypass the cache")
    login = anon.get("/login")
    check(login.header("X-Guild-Cache") is None and any("guild_csrf" in c for c in login.cookies()),
          "pages with forms (and cookies) are not cached")
    # the vote above also starts a full re-rank, whose write empties the cache again when it
    # lands between two reads (under valgrind it often does): a few tries, each a miss then a hit
    first = anon.get("/api/v1/items/%d" % link)
    for _ in range(5):
        again = anon.get("/api/v1/items/%d" % link)
        if again.header("X-Guild-Cache") == "hit":
            break
        time.sleep(1)
    check(first.header("X-Guild-Cache") == "miss" and again.header("X-Guild-Cache") == "hit"
          and again.json()["item"]["ups"] == 1, "anonymous API reads are cached too")


def test_forgot_password(g):
    """A member who forgot their password gets a link by mail (the outbox here), sets a new
    one, and every session ends; the answer never says whether an account exists."""
    old = join(g, "sasha")
    c = Client(g)
    check('href="/forgot"' in check_page(c.get("/login")).text, "the sign-in page offers it")
    check_page(c.get("/forgot"))
    said = check_page(c.post_form("/forgot", {"who": "SASHA@example.org"})).text
    stranger = Client(g)
    stranger.get("/forgot")
    unknown = check_page(stranger.post_form("/forgot", {"who": "nobody-here"})).text
    notice = lambda page: re.search(r'<p class="notice"[^>]*>(.*?)</p>', page).group(1)
    check("If that is a member&#39;s handle or address" in notice(said) or
          "If that is a member's handle or address" in notice(said), "told what happens")
    check(notice(said) == notice(unknown), "the same answer for an unknown account")
    bodies = [b for (b,) in g.query("SELECT body FROM outbox WHERE to_addr = "
                                    "'sasha@example.org' AND subject = 'Choose a new password'")]
    check(len(bodies) == 1, "one link mailed: %d" % len(bodies))
    link = re.search(r"https?://[^/\s]+(/reset/[0-9a-f]{64})", bodies[0]).group(1)
    check_page(c.get(link))
    check_page(c.post_form(link, {"password": "short"}), 400)
    r = c.post_form(link, {"password": "a-new-password-42"})
    check("Password set" in check_page(r).text, "password set")
    check(old.get("/settings").status == 303, "the old session ended")
    check(c.get(link).status == 404, "the link works once")
    check('back=%2Freset' not in c.get(link).text, "a reset link is not copied into other links")
    fresh = Client(g)
    fresh.login("sasha", "a-new-password-42")
    for _ in range(3):
        other = Client(g)
        other.get("/forgot")
        other.post_form("/forgot", {"who": "sasha"})
    n = g.query("SELECT count(*) FROM outbox WHERE subject = 'Choose a new password'")[0][0]
    check(n == 3, "at most three links an hour to one address: %d" % n)


def test_a_refused_form_leads_back_to_it(g):
    """A form refused for its input names the problem and links back to the form (the site's
    script makes that the browser's back, which keeps the input); saving a search twice leads
    to the column already there; the site's icon and script are served as what they are."""
    c = join(g, "backer")
    check(c.post_form("/searches", {"q": "pricing pages"}).status == 303, "search saved")
    cols = check_page(c.get("/columns"))
    sid = int(re.search(r'id="s(\d+)"', cols.text).group(1))
    r = c.request("POST", "/searches/%d/alert" % sid,
                  data=urllib.parse.urlencode({"alert": "webhook", "webhook_url": "",
                                               "csrf": c.csrf}).encode(),
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Referer": g.url("/columns")})
    check_page(r, 400)
    check("Please check the form" in r.text and "A webhook needs an address" in r.text and '<a class="back" href="/columns">Back to the form</a>' in r.text,
          "the refusal says what is wrong and leads back: " + r.text[-600:])
    r = c.request("POST", "/searches/%d/alert" % sid,
                  data=urllib.parse.urlencode({"alert": "webhook", "csrf": c.csrf}).encode(),
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Referer": "https://elsewhere.example//evil"})
    check_page(r, 400)
    check('class="back"' not in r.text, "no way back to a path that is not plainly this site's")
    for hook, says in (("http://localhost:9/hook", "with a domain name"),
                       ("http://10.0.0.5/hook", "not sent to 10.0.0.5"),
                       ("http://[::1]:8080/x", "with a domain name")):
        r = c.post_form("/searches/%d/alert" % sid, {"alert": "webhook", "webhook_url": hook})
        check(r.status == 400 and says in r.text, f"{hook}: {r.status} {r.text[-400:]}")
    r = c.post_form("/searches/%d/alert" % sid, {"alert": "webhook",
                                                  "webhook_url": "https://hooks.example.org/g"})
    check(r.status == 303, "a public webhook is saved")
    r = c.post_form("/searches", {"q": "pricing  pages"})
    check(r.status == 303 and r.header("Location") == "/columns?saved=exists#s%d" % sid,
          "the same search again leads to its column: %s" % r.header("Location"))
    page = check_page(c.get("/columns?saved=exists"))
    check("already have that search as a column" in page.text, "and says so")
    check(page.text.count('class="column"') == 1, "one column, not two")
    for path, ctype in (("/static/favicon.svg", "image/svg+xml"),
                        ("/static/guild.js", "text/javascript")):
        r = Client(g).get(path)
        check(r.status == 200 and r.header("Content-Type").startswith(ctype), path)
    check('rel="icon"' in page.text, "pages name their icon")


test_login_logout_and_password_change.slow = True  # many argon2 hashes: --quick (valgrind) skips it
