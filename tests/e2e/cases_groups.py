"""Groups (issue 17): communities with questions and answers, an idea portal its customers
vote on within a budget, and competitions, on the API, on either engine."""
import time

from harness import Client, check, check_json_error
from cases_forms import join
from cases_api import token_for


def member(g, handle, org="independent", domain="", established=True):
    """Signs a member up; established members joined a month ago (new members may not create
    groups). Returns (client, token)."""
    c = join(g, handle, org=org, domain=domain)
    if established:
        g.query("UPDATE users SET created_at = created_at - 30 * 86400 WHERE handle = ?", (handle,))
    return c, token_for(g, handle)


def wait_for_trust(g, handles, seconds=20):
    """Waits for the ranker's next full run to give the members trust (it runs within a
    second or so of a write): their votes weigh their trust."""
    marks = ",".join("?" for _ in handles)
    deadline = time.time() + seconds
    while time.time() < deadline:
        rows = g.query("SELECT count(*) FROM users WHERE trust > 0 AND handle IN (%s)" % marks,
                       tuple(handles))
        if rows[0][0] == len(handles):
            return
        time.sleep(0.2)
    check(False, "the ranker gave %s no trust within %d s" % (handles, seconds))


def post(c, token, path, body):
    return c.post_json(path, body, token=token)


def get(c, path, token=None):
    r = c.request("GET", path, headers={"Authorization": "Bearer " + token} if token else {})
    check(r.status == 200, f"GET {path}: {r.status} {r.text[:300]}")
    return r.json()


def kinds(c, token, kind):
    notes = get(c, "/api/v1/notifications", token)["notifications"]
    return [n["text"] for n in notes if n["kind"] == kind]


def new_group(c, token, slug, **extra):
    body = {"slug": slug, "name": slug.replace("-", " ").title(), "description": "About " + slug,
            "membership": "open"}
    body.update(extra)
    r = post(c, token, "/api/v1/groups", body)
    check(r.status == 201 and r.json()["group"]["slug"] == slug, f"create {slug}: {r.text}")
    return r.json()["group"]


def test_groups_membership_api(g):
    c = Client(g)
    _, ana = member(g, "ana")
    _, bo = member(g, "bo")
    _, neo = member(g, "neo", established=False)
    grp = new_group(c, ana, "pricing-lab", organisation="vendo.io")
    check(grp["members"] == 1 and grp["membership"] == "open", f"the creator is in it: {grp}")
    check_json_error(post(c, ana, "/api/v1/groups", {"slug": "pricing-lab", "name": "Again"}), 409, "slug")
    check_json_error(post(c, ana, "/api/v1/groups", {"slug": "Bad Slug!", "name": "x"}), 400, "slug")
    check_json_error(post(c, ana, "/api/v1/groups", {"slug": "ok-slug", "name": ""}), 400, "name")
    check_json_error(post(c, ana, "/api/v1/groups", {"slug": "ok-slug", "name": "x",
                                                      "membership": "secret"}), 400, "membership")
    check_json_error(post(c, neo, "/api/v1/groups", {"slug": "neo-club", "name": "Neo"}), 403)
    check_json_error(c.post_json("/api/v1/groups", {"slug": "anon", "name": "x"}), 401)
    check_json_error(c.get("/api/v1/groups/nope"), 404, "slug")

    r = post(c, bo, "/api/v1/groups/pricing-lab/join", {})
    check(r.status == 200 and r.json()["state"] == "active", r.text)
    page = get(c, "/api/v1/groups/pricing-lab", bo)
    check([(m["handle"], m["role"]) for m in page["members"]] == [("ana", "moderator"), ("bo", "member")],
          f"members, moderators first: {page['members']}")
    check(page["you"]["member"] and not page["you"]["moderator"], f"bo's place: {page['you']}")
    check(any(x["slug"] == "pricing-lab" for x in c.get("/api/v1/groups").json()["groups"]), "listed")

    new_group(c, ana, "insiders", membership="request")
    r = post(c, bo, "/api/v1/groups/insiders/join", {})
    check(r.status == 200 and r.json()["state"] == "pending", f"a request waits: {r.text}")
    check(any("bo asks to join" in t for t in kinds(c, ana, "group")), "the moderator is told")
    check_json_error(post(c, bo, "/api/v1/groups/insiders/members/bo", {"action": "approve"}), 403)
    r = post(c, ana, "/api/v1/groups/insiders/members/bo", {"action": "approve", "role": "customer"})
    check(r.status == 200 and (r.json()["state"], r.json()["role"]) == ("active", "customer"), r.text)
    check_json_error(post(c, ana, "/api/v1/groups/insiders/members/bo", {"action": "promote"}), 400, "action")
    check_json_error(post(c, ana, "/api/v1/groups/insiders/members/bo", {"action": "approve",
                                                                         "role": "king"}), 400, "role")
    check_json_error(post(c, ana, "/api/v1/groups/insiders/members/nobody", {"action": "approve"}), 404, "handle")

    new_group(c, ana, "board", membership="invite")
    check_json_error(post(c, bo, "/api/v1/groups/board/join", {}), 403)
    r = post(c, ana, "/api/v1/groups/board/members/bo", {"action": "approve"})
    check(r.status == 200 and r.json()["state"] == "invited", f"an invitation: {r.text}")
    r = post(c, bo, "/api/v1/groups/board/join", {})
    check(r.status == 200 and r.json()["state"] == "active", f"accepting it: {r.text}")
    r = post(c, ana, "/api/v1/groups/board/members/bo", {"action": "remove"})
    check(r.status == 200 and r.json()["state"] == "removed", r.text)
    check_json_error(post(c, ana, "/api/v1/groups/board/members/ana", {"action": "remove"}), 403, "handle")


test_groups_membership_api.serve_args = ("--policy", "new-member-days=7")


def ask(c, token, slug, title, text="", tags=()):
    r = post(c, token, "/api/v1/items", {"kind": "question", "group": slug, "title": title,
                                         "text": text, "tags": list(tags)})
    check(r.status == 201, f"ask: {r.status} {r.text}")
    return r.json()["item"]


def test_questions_and_answers_api(g):
    c = Client(g)
    ca, ana = member(g, "ana")
    cb, bo = member(g, "bo")
    cc, cy = member(g, "cy")
    voters = [member(g, "v%d" % k) for k in range(5)]
    new_group(c, ana, "pricing-lab")
    q = ask(c, ana, "pricing-lab", "How do you price a usage-based add-on?", tags=["pricing"])
    check(q["kind"] == "question" and q["group"] == "pricing-lab", f"a question in the group: {q}")
    check(not any(i["id"] == q["id"] for i in c.get("/api/v1/items?sort=new").json()["items"]),
          "group posts stay off the site's lists")
    check_json_error(post(c, bo, "/api/v1/items", {"kind": "question", "group": "pricing-lab",
                                                    "title": "Not a member yet"}), 403, "group")
    check_json_error(post(c, ana, "/api/v1/items", {"kind": "question", "title": "Where?"}), 400, "kind")
    check_json_error(post(c, ana, "/api/v1/items", {"kind": "question", "group": "nope",
                                                     "title": "x"}), 404, "slug")
    for tok in [bo, cy] + [t for _, t in voters]:
        check(post(c, tok, "/api/v1/groups/pricing-lab/join", {}).status == 200, "join")
    r = post(c, bo, "/api/v1/items/%d/answers" % q["id"], {"body": "Anchor it to the core plan."})
    check(r.status == 201, r.text)
    a_bo = r.json()["answer"]["id"]
    a_cy = post(c, cy, "/api/v1/items/%d/answers" % q["id"], {"body": "Price by value metric."}).json()["answer"]["id"]
    check_json_error(post(c, bo, "/api/v1/items/%d/answers" % q["id"], {"body": "  "}), 400, "body")
    check(any("bo answered" in t for t in kinds(c, ana, "answer")), "the asker hears of answers")
    check_json_error(post(c, bo, "/api/v1/answers/%d/vote" % a_bo, {"value": 1}), 403, "answer")
    check_json_error(post(c, ana, "/api/v1/answers/%d/vote" % a_bo, {"value": -1}), 400, "reason")
    check_json_error(post(c, ana, "/api/v1/answers/999999/vote", {"value": 1}), 404, "answer")
    r = post(c, ana, "/api/v1/answers/%d/vote" % a_cy, {"value": 1})
    check(r.status == 200 and r.json()["ups"] == 1, r.text)

    check_json_error(post(c, bo, "/api/v1/items/%d/accept" % q["id"], {"answer": a_bo}), 403, "answer")
    r = post(c, ana, "/api/v1/items/%d/accept" % q["id"], {"answer": a_bo})
    check(r.status == 200 and r.json()["accepted_answer"] == a_bo, r.text)
    answers = get(c, "/api/v1/items/%d" % q["id"])["answers"]
    check([a["id"] for a in answers] == [a_bo, a_cy] and answers[0]["shown_first_as_accepted"],
          f"the accepted answer first while it is not clearly worse: {answers}")
    check(any("accepted your answer" in t for t in kinds(c, bo, "answer")), "bo is told")

    # the community clearly prefers cy's answer: readers who opened the question upvote it and
    # downvote the accepted one; the accepted answer keeps its mark but not the first place
    wait_for_trust(g, ["v%d" % k for k in range(5)])
    for vc, vt in voters:
        vc.get("/i/%d" % q["id"])  # reading the question page records the read
        check(post(c, vt, "/api/v1/answers/%d/vote" % a_cy, {"value": 1}).status == 200, "up")
        check(post(c, vt, "/api/v1/answers/%d/vote" % a_bo, {"value": -1,
                                                            "reason": "low-quality"}).status == 200, "down")
    answers = get(c, "/api/v1/items/%d" % q["id"])["answers"]
    check([a["id"] for a in answers] == [a_cy, a_bo], f"the better answer first: {answers}")
    check(answers[1]["accepted"] and not answers[1]["shown_first_as_accepted"], "still marked")
    check(answers[0]["bound"] > answers[1]["bound"], "ordered by the bound")

    # the group's moderator removes an answer through the public log; undo brings it back
    check_json_error(post(c, bo, "/api/v1/mod/actions", {"action": "remove", "target": "answer",
                                                         "target_id": a_cy, "reason": "x"}), 403)
    r = post(c, ana, "/api/v1/mod/actions", {"action": "remove", "target": "answer",
                                             "target_id": a_cy, "reason": "A sales pitch."})
    check(r.status == 201 and r.json()["group"] == "pricing-lab", f"removed and logged: {r.text}")
    check([a["id"] for a in get(c, "/api/v1/items/%d" % q["id"])["answers"]] == [a_bo], "gone")
    check_json_error(post(c, bo, "/api/v1/answers/%d/vote" % a_cy, {"value": 1}), 404, "answer")
    r = post(c, ana, "/api/v1/mod/actions", {"action": "undo", "target_id": r.json()["id"],
                                             "reason": "It was an answer after all."})
    check(r.status == 201, r.text)
    check(len(get(c, "/api/v1/items/%d" % q["id"])["answers"]) == 2, "back after the undo")


def test_answer_endorsed_on_topic(g):
    c = Client(g)
    _, ana = member(g, "ana")
    _, bo = member(g, "bo")
    new_group(c, ana, "seo-circle")
    post(c, bo, "/api/v1/groups/seo-circle/join", {})
    check(post(c, ana, "/api/v1/users/bo/connection", {"action": "request"}).status == 200, "ask")
    check(post(c, bo, "/api/v1/users/ana/connection", {"action": "accept"}).status == 200, "accept")
    check(post(c, ana, "/api/v1/users/bo/endorse", {"topic": "seo"}).status == 200, "endorse")
    q = ask(c, ana, "seo-circle", "Is programmatic SEO worth it for B2B?", tags=["seo"])
    post(c, bo, "/api/v1/items/%d/answers" % q["id"], {"body": "Only with real data pages."})
    check(get(c, "/api/v1/items/%d" % q["id"])["answers"][0]["endorsed_on"] == "seo",
          "an answer from a member endorsed on the question's topic is marked")


def idea(c, token, slug, title):
    r = post(c, token, "/api/v1/items", {"kind": "idea", "group": slug, "title": title,
                                         "text": "It would help us."})
    check(r.status == 201 and r.json()["item"]["status"] == "submitted", f"idea: {r.text}")
    return r.json()["item"]["id"]


def status(c, token, iid, st, reason="Reviewed by the product team.", into=None):
    body = {"status": st, "reason": reason}
    if into is not None:
        body["into"] = into
    return post(c, token, "/api/v1/items/%d/status" % iid, body)


def test_idea_portal_api(g):
    c = Client(g)
    _, ana = member(g, "ana", org="Vendo", domain="vendo.io")
    _, bo = member(g, "bo")
    buyers = {h: member(g, h, org="Acme Buyers", domain="acmebuyers.com") for h in ("cy", "di", "ed")}
    cy, di, ed = (buyers[h][1] for h in ("cy", "di", "ed"))
    new_group(c, ana, "vendo-ideas", organisation="vendo.io", customers="Acme Buyers",
              customers_only=True, vote_budget=2)
    for tok in (bo, cy, di, ed):
        post(c, tok, "/api/v1/groups/vendo-ideas/join", {})
    check(get(c, "/api/v1/groups/vendo-ideas", cy)["you"]["customer"], "the customer list makes cy a customer")
    ids = [idea(c, cy, "vendo-ideas", t) for t in ("Bulk export", "SSO for contractors",
                                                   "Dark mode", "Export to CSV")]
    check_json_error(post(c, di, "/api/v1/items/%d/vote" % ids[0], {"value": 1}), 403, "item")
    check_json_error(status(c, bo, ids[0], "approved"), 403, "status")
    check_json_error(status(c, ana, ids[0], "approved", reason=""), 400, "reason")
    check_json_error(status(c, ana, ids[0], "shipped"), 400, "status")
    check_json_error(status(c, ana, ids[0], "started"), 400, "status")
    for i in ids:
        r = status(c, ana, i, "approved", "Clear and in scope.")
        check(r.status == 200 and r.json()["item"]["status"] == "open", r.text)
    check(any("Bulk export" in t and "open for voting" in t for t in kinds(c, cy, "idea")),
          "the submitter hears that voting opened")
    check_json_error(post(c, bo, "/api/v1/items/%d/vote" % ids[0], {"value": 1}), 403, "item")
    check_json_error(post(c, di, "/api/v1/items/%d/vote" % ids[0], {"value": -1, "reason": "spam"}), 400, "value")
    for i in ids[:2]:
        check(post(c, di, "/api/v1/items/%d/vote" % i, {"value": 1}).status == 200, "a vote")
    r = post(c, di, "/api/v1/items/%d/vote" % ids[2], {"value": 1})
    check_json_error(r, 409)
    check(r.json()["error"] == "budget" and "2 of your votes" in r.json()["message"], r.text)
    check(get(c, "/api/v1/groups/vendo-ideas", di)["you"]["votes_left"] == 0, "none left")

    r = status(c, ana, ids[0], "planned", "On the roadmap for Q3.")
    check(r.status == 200 and r.json()["item"]["status"] == "planned", r.text)
    check(any("now planned" in t and "Q3" in t for t in kinds(c, di, "idea")), "voters are told why")
    check(status(c, ana, ids[0], "completed", "Shipped in 4.2.").status == 200, "completed")
    r = post(c, di, "/api/v1/items/%d/vote" % ids[2], {"value": 1})
    check(r.status == 200, f"a completed idea gives its vote back: {r.text}")
    hist = get(c, "/api/v1/items/%d" % ids[0])["status_history"]
    check([h["status"] for h in hist] == ["open", "planned", "completed"] and hist[2]["by"] == "ana",
          f"every change with its public reason: {hist}")

    # merging a duplicate: its votes follow it
    check(post(c, ed, "/api/v1/items/%d/vote" % ids[3], {"value": 1}).status == 200, "ed votes")
    check_json_error(status(c, ana, ids[3], "merged", "Same as export."), 400, "into")
    check_json_error(status(c, ana, ids[3], "merged", "Same.", into=ids[0]), 400, "into")
    r = status(c, ana, ids[3], "merged", "Same request as SSO? No: as dark mode.", into=ids[2])
    check(r.status == 200 and r.json()["item"]["status"] == "merged", r.text)
    target = get(c, "/api/v1/items/%d" % ids[2])["item"]
    check(target["ups"] == 2, f"ed's vote moved to the idea it duplicates: {target}")
    check(any("merged" in t for t in kinds(c, ed, "idea")), "ed is told where the vote went")
    open_ideas = c.get("/api/v1/groups/vendo-ideas/ideas?status=open").json()["ideas"]
    check({i["id"] for i in open_ideas} == {ids[1], ids[2]}, f"filtered by status: {open_ideas}")
    check_json_error(c.get("/api/v1/groups/vendo-ideas/ideas?status=done"), 400, "status")


def test_group_self_promotion_rule(g):
    """The 5:1 rule inside a group: past one own-organisation post in six, the next wait."""
    c = Client(g)
    _, ana = member(g, "ana")
    _, dee = member(g, "dee", org="Vendo", domain="vendo.io")
    new_group(c, ana, "growth")
    post(c, dee, "/api/v1/groups/growth/join", {})
    r = post(c, dee, "/api/v1/items", {"group": "growth", "url": "https://vendo.io/blog/one",
                                       "title": "Our own post"})
    check(r.status == 201 and r.json()["item"]["status"] == "ok", f"the first one is listed: {r.text}")
    r = post(c, dee, "/api/v1/items", {"group": "growth", "kind": "question",
                                       "title": "Have you tried https://vendo.io/trial yet?",
                                       "text": "See https://vendo.io/trial"})
    check(r.status == 201 and r.json()["item"]["status"] == "queued",
          f"an own-organisation question past one in six waits for a moderator: {r.text}")
    held = r.json()["item"]["id"]
    r = post(c, dee, "/api/v1/items", {"group": "growth", "kind": "question",
                                       "title": "How do you run win-loss interviews?"})
    check(r.status == 201 and r.json()["item"]["status"] == "ok", "other posts are listed")

    # the group's moderator (not a site moderator) decides, through the site's queue and log
    q = get(c, "/api/v1/mod/queue", ana)["queue"]
    check([(e["id"], e["group"]) for e in q] == [(held, "growth")], f"ana's queue: {q}")
    r = post(c, ana, "/api/v1/mod/actions", {"action": "remove", "target": "item",
                                             "target_id": held, "reason": "A pitch, not a question."})
    check(r.status in (200, 201), f"a group moderator removes in the group: {r.text}")
    log = c.get("/api/v1/modlog").json()["entries"][0]
    check(log["group"] == "growth" and log["moderator"] == "ana", f"logged with its group: {log}")
    site = post(c, dee, "/api/v1/items", {"url": "https://elsewhere.example.org/a", "title": "On the site"}).json()["id"]
    check_json_error(post(c, ana, "/api/v1/mod/actions", {"action": "remove", "target": "item",
                                                          "target_id": site, "reason": "no"}), 403)
    check_json_error(post(c, ana, "/api/v1/mod/actions", {"action": "warn", "target": "user",
                                                          "target_id": 1, "reason": "no"}), 403)
    check_json_error(c.request("GET", "/api/v1/mod/queue",
                               headers={"Authorization": "Bearer " + dee}), 403)


def test_competition_api(g):
    c = Client(g)
    _, ana = member(g, "ana")
    _, bo = member(g, "bo")
    _, cy = member(g, "cy")
    _, di = member(g, "di")
    new_group(c, ana, "awards")
    for tok in (bo, cy, di):
        post(c, tok, "/api/v1/groups/awards/join", {})
    now = int(time.time())
    body = {"title": "Best case study 2026", "rules": "One entry each.", "entry_start": now - 60,
            "entry_end": now + 3600, "vote_start": now - 60, "vote_end": now + 7200,
            "voters": "members", "judges": ["bo"], "judge_weight": 0.5}
    check_json_error(post(c, cy, "/api/v1/groups/awards/competitions", body), 403)
    check_json_error(post(c, ana, "/api/v1/groups/awards/competitions",
                          dict(body, entry_end=now - 120)), 400, "entry_end")
    check_json_error(post(c, ana, "/api/v1/groups/awards/competitions",
                          dict(body, judges=["nobody"])), 404, "judges")
    check_json_error(post(c, ana, "/api/v1/groups/awards/competitions",
                          dict(body, judge_weight=2)), 400, "judge_weight")
    r = post(c, ana, "/api/v1/groups/awards/competitions", body)
    check(r.status == 201 and r.json()["competition"]["judges"] == ["bo"], r.text)
    comp = r.json()["competition"]["id"]
    late = post(c, ana, "/api/v1/groups/awards/competitions",
                dict(body, title="Closed one", entry_start=now - 7200, entry_end=now - 3600,
                     vote_start=now + 3600, vote_end=now + 7200)).json()["competition"]["id"]
    entries = []
    for tok, n in ((cy, 1), (di, 2)):
        r = post(c, tok, "/api/v1/items", {"group": "awards", "competition": comp,
                                           "url": "https://cases.example.org/%d" % n,
                                           "title": "Case study %d" % n})
        check(r.status == 201 and r.json()["item"]["competition"] == comp, r.text)
        entries.append(r.json()["id"])
    r = post(c, cy, "/api/v1/items", {"url": "https://cases.example.org/1", "title": "Shared on the site"})
    check(r.status == 201 and r.json()["id"] not in entries, "the site has a space of its own")
    r = post(c, di, "/api/v1/items", {"group": "awards", "competition": comp,
                                      "url": "https://cases.example.org/9", "title": "Another"})
    check_json_error(r, 403, "competition")
    check("one entry each" in r.json()["message"], r.text)
    r = post(c, ana, "/api/v1/items", {"group": "awards", "competition": comp,
                                       "url": "https://cases.example.org/2", "title": "Again"})
    check(r.status == 200 and r.json()["duplicate"] and r.json()["id"] == entries[1],
          f"the same entry twice is the one entry: {r.text}")
    check_json_error(post(c, ana, "/api/v1/items", {"group": "awards", "competition": comp,
                                                     "kind": "question", "title": "Q?"}), 400, "kind")
    r = post(c, cy, "/api/v1/items", {"group": "awards", "competition": late,
                                      "url": "https://cases.example.org/late", "title": "Late"})
    check_json_error(r, 403, "competition")
    check("closed" in r.json()["message"], r.text)
    check(post(c, ana, "/api/v1/items/%d/vote" % entries[0], {"value": 1}).status == 200, "vote")
    soon = post(c, ana, "/api/v1/groups/awards/competitions",
                dict(body, title="Votes later", vote_start=now + 3600)).json()["competition"]["id"]
    early = post(c, cy, "/api/v1/items", {"group": "awards", "competition": soon,
                                          "url": "https://cases.example.org/early",
                                          "title": "Early"}).json()["id"]
    r = post(c, di, "/api/v1/items/%d/vote" % early, {"value": 1})
    check_json_error(r, 403, "item")
    check("not opened yet" in r.json()["message"], f"a vote before the window says so: {r.text}")
    check_json_error(post(c, bo, "/api/v1/competitions/%d/scores" % comp,
                          {"item": entries[1], "score": 11}), 400, "score")
    check_json_error(post(c, cy, "/api/v1/competitions/%d/scores" % comp,
                          {"item": entries[1], "score": 5}), 403)
    check(post(c, bo, "/api/v1/competitions/%d/scores" % comp,
               {"item": entries[1], "score": 9}).status == 200, "the judge scores")
    own = post(c, bo, "/api/v1/items", {"group": "awards", "competition": comp,
                                        "url": "https://cases.example.org/bo", "title": "Judge's own"}).json()["id"]
    check_json_error(post(c, bo, "/api/v1/competitions/%d/scores" % comp, {"item": own, "score": 10}), 403)
    res = get(c, "/api/v1/competitions/%d" % comp)
    check(res["competition"]["phase"] == "entries and voting", res["competition"])
    places = [(x["place"], x["item"]["id"]) for x in res["results"]]
    check(places[0] == (1, entries[1]) and len(places) == 3, f"the judges' 9/10 at half weight wins: {res}")
    first = res["results"][0]
    check(any("0.50 x" in s for s in first["why"]) and any("Place 1 of 3" in s for s in first["why"]),
          f"each place explained: {first['why']}")
    check(abs(first["score"] - (0.5 * first["members_bound"] + 0.5 * 0.9)) < 1e-3, "the stated weight")
    check_json_error(c.get("/api/v1/competitions/999999"), 404, "id")


def test_group_pages_without_javascript(g):
    """The whole flow through the pages' plain forms: every page valid HTML, every refusal a
    page that says why."""
    from harness import check_page
    ca, ana = member(g, "ana")
    cb, bo = member(g, "bo", org="Acme Buyers", domain="acmebuyers.com")
    cc, cy = member(g, "cy")
    check_page(Client(g).get("/g"))
    check_page(ca.get("/g/new"))
    r = ca.post_form("/g", {"slug": "Bad!", "name": "x", "membership": "open"})
    check_page(r, 400)
    check("lower-case letters" in r.text, "the form says what is wrong")
    r = ca.post_form("/g", {"slug": "cmo-circle", "name": "CMO circle", "membership": "open",
                            "description": "Heads of marketing", "organisation": "",
                            "customers": "Acme Buyers"})
    check(r.status == 303 and r.header("Location") == "/g/cmo-circle", f"{r.status} {r.text[:200]}")
    page = check_page(Client(g).get("/g/cmo-circle")).text
    check("CMO circle" in page and "Sign in</a> to join" in page, "a visitor sees the group")
    check(cb.post_form("/g/cmo-circle/join", {}).status == 303, "join")
    check(cc.post_form("/g/cmo-circle/join", {}).status == 303, "join")
    r = cb.post_form("/g/cmo-circle/post", {"kind": "question", "title": "Which attribution model?",
                                            "text": "We sell to CFOs."})
    check(r.status == 303, f"ask: {r.status} {r.text[:300]}")
    qpath = r.header("Location")
    qid = int(qpath.split("/")[2])
    page = check_page(cc.get(qpath)).text
    check("Your answer" in page and "question in <a" in page, "the question page has the form")
    r = cc.post_form(qpath + "/answers", {"body": "W-shaped, with a holdout."})
    check(r.status == 303, f"answer: {r.status} {r.text[:300]}")
    r = cb.post_form(qpath + "/answers", {"body": ""})
    check_page(r, 400)
    page = check_page(cb.get(qpath)).text
    check("Accept this answer" in page, "the asker sees Accept")
    aid = int(page.split('name="answer" value="')[1].split('"')[0])
    check(cb.post_form(qpath + "/accept", {"answer": str(aid)}).status == 303, "accept")
    page = check_page(Client(g).get(qpath)).text
    check("Accepted by the asker" in page, "the accepted answer is marked")
    check(cc.post_form("/answers/%d/vote" % aid, {"value": "1"}).status in (403,), "not own answer")

    r = cb.post_form("/g/cmo-circle/post", {"kind": "idea", "title": "A benchmark of CAC by channel"})
    check(r.status == 303, r.text[:300])
    ipath = r.header("Location")
    page = check_page(ca.get(ipath)).text
    check("waiting to be vetted" in page and "Change status" in page, "the moderator's form")
    r = ca.post_form(ipath + "/status", {"status": "approved", "reason": "Good one.", "into": ""})
    check(r.status == 303, f"vet: {r.status} {r.text[:300]}")
    check(cc.post_form(ipath + "/vote", {"value": "1"}).status == 303, "a member votes")
    page = check_page(cc.get(ipath)).text
    check("Status: open" in page and "Good one." in page and "9 of your 10 votes left" in page,
          "status, its reason and the budget")
    check(ca.post_form(ipath + "/status", {"status": "planned", "reason": "Next quarter."}).status == 303, "plan")
    notes = get(cc, "/api/v1/notifications", cy)["notifications"]
    check(any(n["kind"] == "idea" and "Next quarter" in n["text"] for n in notes), "the voter hears")
    page = check_page(Client(g).get("/g/cmo-circle/ideas?status=planned")).text
    check("A benchmark of CAC" in page, "the filter")
    check_page(Client(g).get("/g/cmo-circle/ideas?status=bogus"), 400)
    check_page(Client(g).get("/g/nope"), 404)

    now = time.gmtime(time.time() - 120)
    later = time.gmtime(time.time() + 86400)
    fmt = lambda t: time.strftime("%Y-%m-%dT%H:%M", t)
    r = ca.post_form("/g/cmo-circle/competitions", {
        "ctitle": "Best launch", "rules": "Links to the launch page.", "entry_start": fmt(now),
        "entry_end": fmt(later), "vote_start": fmt(now), "vote_end": fmt(later),
        "voters": "members", "judges": "ana", "judge_weight": "0.4"})
    check(r.status == 303, f"open a competition: {r.status} {r.text[:300]}")
    cpath = r.header("Location")
    check(cc.post_form(cpath + "/enter", {"title": "Our launch", "url": "https://launch.example.org/x",
                                          "text": ""}).status == 303, "enter")
    page = check_page(ca.get(cpath)).text
    check("Our launch" in page and "Your score" in page and "Place 1 of 1" in page,
          "results explained, and the judge's form")
    eid = int(page.split('name="item" value="')[1].split('"')[0])
    check(ca.post_form(cpath + "/score", {"item": str(eid), "score": "8"}).status == 303, "score")
    page = check_page(Client(g).get(cpath)).text
    check("8.0 out of 10" in page, "the judges' mean is in the explanation")
    check_page(cc.post_form(cpath + "/score", {"item": str(eid), "score": "8"}), 403)


def test_portal_races(g):
    """Votes sent at once never spend more than the budget, and of two status changes sent at
    once only one is made (on PostgreSQL each request has its own connection)."""
    from concurrent.futures import ThreadPoolExecutor
    c = Client(g)
    _, ana = member(g, "ana")
    _, bo = member(g, "bo")
    new_group(c, ana, "race", vote_budget=2)
    post(c, bo, "/api/v1/groups/race/join", {})
    ids = [idea(c, ana, "race", "Idea %d" % k) for k in range(12)]
    for i in ids:
        check(status(c, ana, i, "approved").status == 200, "vetted")

    def vote(i):
        return Client(g).post_json("/api/v1/items/%d/vote" % i, {"value": 1}, token=bo).status

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(vote, ids))
    check(codes.count(200) == 2 and codes.count(409) == 10, f"exactly the budget: {codes}")
    held = g.query("SELECT count(*) FROM votes v JOIN items i ON i.id = v.item_id "
                   "WHERE i.group_id IS NOT NULL AND v.user_id = (SELECT id FROM users WHERE handle = 'bo')")
    check(held[0][0] == 2, f"two votes stored: {held}")

    def change(st):
        return Client(g).post_json("/api/v1/items/%d/status" % ids[0],
                                   {"status": st, "reason": "at once"}, token=ana).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(change, ["declined", "completed", "planned", "declined"]))
    events = [e["status"] for e in get(c, "/api/v1/items/%d" % ids[0])["status_history"]]
    allowed = {("open", "planned"), ("open", "declined"), ("open", "completed"),
               ("planned", "declined"), ("planned", "completed")}
    check(codes.count(200) == len(events) - 1 and codes.count(200) >= 1,
          f"every change answered 200 is recorded, the rest refused: {codes} {events}")
    check(all(pair in allowed for pair in zip(events, events[1:])),
          f"a chain of allowed moves, nothing after a settled status: {events}")


test_portal_races.slow = True  # threads: ThreadSanitizer runs it: --quick (valgrind) skips it


test_group_pages_without_javascript.slow = True  # the browser flow walks the same pages: --quick (valgrind) skips it
