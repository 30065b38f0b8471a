"""CLI contracts: every subcommand's --help, usage errors, and the demo guild."""
import re
import xml.etree.ElementTree as ET

from harness import Client, Guild, check, check_page


def own_guild(fn):
    fn.own_guild = True
    return fn


@own_guild
def test_help_and_usage_errors(g):
    for cmd in (["init"], ["user", "add"], ["invite"], ["token", "create"], ["demo"], ["serve"],
                ["rank"], ["topic"], ["topic", "score"], ["feed", "parse"], ["backup"], ["migrate"]):
        r = g.cli(*cmd, "--help")
        check("usage: guild" in r.stdout, f"{cmd} --help prints usage")
    check(g.cli("--help").stdout.startswith("usage: guild"), "guild --help")
    g.cli(expect=2)
    g.cli("frobnicate", expect=2)
    g.cli("init", expect=2)                        # --db missing
    g.cli("init", "--db", g.db, "--bogus", expect=2)
    g.cli("init", "--db", g.db)
    g.cli("init", "--db", g.db)                    # idempotent
    r = g.cli("init", "--db", "sqlite:" + g.db)    # the engine may be named
    check("ready" in r.stdout, "sqlite:PATH opens the same file")
    r = g.cli("init", "--db", "postgresql:///guild?host=/nowhere", expect=1)
    check("cannot connect" in r.stderr, "an unreachable PostgreSQL is named as such")
    r = g.cli("rank", "--db", "postgresql:///guild?host=/nowhere", expect=1)
    check("cannot connect" in r.stderr and "/nowhere" not in r.stderr.split("cannot open")[-1],
          "every command takes a PostgreSQL URI, and the URI is not echoed")
    r = g.cli("init", "--db", "postgresq://guild:s3cret@db.example/guild", expect=1)
    check("not a database this build opens" in r.stderr and "s3cret" not in r.stderr,
          f"a mistyped scheme is named, not opened as a file, and its password not shown: "
          f"{r.stderr}")
    r = g.cli("backup", "--db", g.db, expect=2)
    check("--to is required" in r.stderr, "backup needs --to")
    pw = g.password_file("short")
    r = g.cli("user", "add", "--db", g.db, "--handle", "x1", "--name", "X", "--email",
              "x@y.org", "--password-file", pw, expect=2)
    check("password" in r.stderr, "weak password refused with a reason")
    pw = g.password_file("a good long password")
    g.cli("user", "add", "--db", g.db, "--handle", "ann", "--name", "Ann", "--email",
          "ann@acme.com", "--password-file", pw, "--affiliation", "Acme", "--domain", "acme.com")
    r = g.cli("user", "add", "--db", g.db, "--handle", "ann", "--name", "Ann", "--email",
              "other@acme.com", "--password-file", pw, expect=1)
    check("already exists" in r.stderr, "duplicate handle refused")
    g.cli("user", "add", "--db", g.db, "--handle", "bad", "--name", "B", "--email", "b@c.org",
          "--password-file", pw, "--role", "king", expect=2)
    g.cli("user", "add", "--db", g.db, "--handle", "noorg", "--name", "N", "--email", "n@c.org",
          "--password-file", pw, "--affiliation", "Acme", expect=2)  # org without domain
    r = g.cli("invite", "--db", g.db, "--by", "ann")
    check(re.fullmatch(r"/join/[0-9a-f]{24}\n", r.stdout), "invite prints /join/CODE")
    g.cli("invite", "--db", g.db, "--by", "nobody", expect=1)
    g.cli("token", "create", "--db", g.db, "--user", "nobody", expect=1)
    r = g.cli("token", "create", "--db", g.db, "--user", "ann")
    check(re.fullmatch(r"[0-9a-f]{64}\n", r.stdout), "token create prints a token")
    r = g.cli("rank", "--db", g.db)
    check("ranked 0 items" in r.stdout, "rank on an empty guild")
    g.cli("rank", "--db", g.db, "--explain", "abc", expect=2)
    g.cli("rank", "--db", g.db, "--explain", "99", expect=1)
    r = g.cli("demo", "--db", g.db, expect=1)
    check("already has members" in r.stderr, "demo refuses a guild with members")
    g.cli("serve", "--db", g.db, "--listen", "nonsense", expect=1)
    g.cli("serve", "--db", g.db, "--threads", "0", expect=2)


@own_guild
def test_demo_guild_reads_like_a_guild(g):
    r = g.cli("demo", "--db", g.db)
    m = re.search(r"(\d+) members, (\d+) blogs, (\d+) links", r.stdout)
    check(m and int(m.group(1)) >= 50 and int(m.group(2)) >= 40 and int(m.group(3)) >= 200,
          "demo sizes: " + r.stdout)
    r = g.cli("rank", "--db", g.db, "--explain", "45")
    check("upvote" in r.stdout and "formula:" in r.stdout, "rank --explain prints the steps")
    g.start()
    c = Client(g)
    front = check_page(c.get("/"))
    check(front.text.count('class="item"') == 30, "front page lists 30 links")
    titles = [i["title"] for i in c.get("/api/v1/items?sort=new&kind=link&limit=100").json()["items"]]
    shapes = {" ".join(t.split()[:3]) for t in titles}
    check(len(set(titles)) == len(titles) and len(shapes) >= 90,
          "demo titles vary (%d openings in %d titles)" % (len(shapes), len(titles)))
    check(not any(re.search(r"(analysis|data|social|SEO|pricing) stall ", t) for t in titles),
          "a singular topic takes a singular verb")
    api = c.get("/api/v1/items?sort=hot&kind=link&limit=30").json()["items"]
    hots = [i["hot"] for i in api]
    check(hots == sorted(hots, reverse=True), "front page ordered by hot score")
    top = c.get("/api/v1/items?sort=top&kind=blog&limit=40").json()["items"]
    check(len(top) == 40 and all(i["kind"] == "blog" for i in top), "directory has 40 blogs")
    scores = [i["score"] for i in top]
    check(scores == sorted(scores, reverse=True), "directory ordered by score")
    check_page(c.get("/directory"))
    check_page(c.get("/new"))
    check_page(c.get("/?p=2"))
    profile = check_page(c.get("/u/tobias"))
    check("invited by <a href=\"/u/mara\">mara</a>" in profile.text, "invitation tree shown")
    # members of different kinds: vendors, the buyers they sell to, agencies, independents
    check("Head of procurement, Harborline Logistics (harborline-logistics.com)" in profile.text,
          "a buyer says what they do and where")
    indie = check_page(c.get("/u/jonah")).text
    check("Independent consultant ·" in indie and "()" not in indie, "an independent's role")
    kinds = g.query("SELECT affiliation FROM users")
    check(sum(1 for (a,) in kinds if a.startswith(("Head of procurement", "IT director",
                                                    "Operations manager", "Finance lead"))) >= 8,
          "a guild with buyers in it: %s" % kinds[:12])
    # the bridging stage in words (issue 19): an item its camp likes and one both sides like
    camp_of = "json_extract(explain, '$.camps')" if g.engine == "sqlite" else "explain::json->>'camps'"
    camps = dict(g.query("SELECT %s, min(id) FROM items WHERE explain != '' GROUP BY 1" % camp_of))
    check("one" in camps and "across" in camps, f"demo items on both sides of the camp line: {camps}")
    why = check_page(c.get("/why/%d" % camps.get("one", 0))).text
    check("Liked mostly within one camp (its votes count as one group)" in why and
          "liked mostly within one camp" in why, "/why says the one-camp case in words first")
    why = check_page(c.get("/why/%d" % camps.get("across", 0))).text
    check("Liked by members across camps" in why, "/why says the cross-camp case")
    busiest = max(api, key=lambda i: i["comments"])
    item = check_page(c.get("/i/%d" % busiest["id"]))
    check(item.text.count('class="comment d') == busiest["comments"], "comment thread rendered")
    for feed in ("/feed.atom", "/directory.atom"):
        r = c.get(feed)
        check(r.status == 200 and "atom" in r.header("Content-Type"), feed)
        root = ET.fromstring(r.body)
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        check(len(entries) == 30, f"{feed} has 30 entries")
    c.login("mara", "guild-demo-pass")
    check_page(c.get("/"))
    # relationships: follows, connections and endorsements, so the new pages show something
    me = c.get("/api/v1/users/mara").json()
    check(me["following"] > 0 and me["followers"] > 0 and me["blogs_followed"] > 0,
          f"mara follows and is followed: {me}")
    home = check_page(c.get("/home"))
    check(home.text.count("<li") >= 5 and ("You are up to date" in home.text or
                                            ">Older</a>" in home.text), "mara's home")
    people = check_page(c.get("/people"))
    check(people.text.count('class="who"') == 10, "ten suggestions, with reasons")
    check(g.query("SELECT count(*) FROM endorsements")[0][0] > 0, "endorsements")
