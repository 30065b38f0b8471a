"""PostgreSQL's schema (issue 15): `guild init --db postgresql://...` creates it in a real,
throw-away PostgreSQL 15 cluster; it matches SQLite's table for table and column for column;
the database keeps the counters and the search index itself. (The whole e2e suite also runs
on PostgreSQL: run.py --engine postgresql.)"""
import glob
import os
import sqlite3
import subprocess
import threading

from harness import Client, check
from pgcluster import PgCluster, available

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_SCHEMA = "(schema %d)" % len(glob.glob(os.path.join(ROOT, "src/store/migrations/pg/*.sql")))


def sqlite_schema(path):
    con = sqlite3.connect(path)
    tables = {}
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                               "NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'"):
        cols = {}
        for _, col, typ, notnull, _, pk in con.execute("PRAGMA table_info(%s)" % name):
            cols[col] = (typ.upper(), bool(notnull or pk))
        tables[name] = cols
    indexes = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                         "AND sql IS NOT NULL")}
    con.close()
    return tables, indexes


def pg_schema(pg, db):
    tables = {}
    for table, col, typ, nullable in pg.sql(db, "SELECT table_name, column_name, data_type, "
                                                "is_nullable FROM information_schema.columns "
                                                "WHERE table_schema = 'public'"):
        tables.setdefault(table, {})[col] = (typ, nullable == "NO")
    indexes = {n for (n,) in pg.sql(db, "SELECT indexname FROM pg_indexes WHERE schemaname = "
                                        "'public' AND indexname NOT LIKE '%\\_pkey' AND "
                                        "indexname NOT LIKE '%\\_key'")}
    return tables, indexes


SAME_TYPE = {"INTEGER": ("bigint", "integer"), "REAL": ("double precision",),
             "TEXT": ("text", "USER-DEFINED")}  # USER-DEFINED: citext, for COLLATE NOCASE


def test_postgresql_schema_matches_sqlite(g):
    check(available(), "PostgreSQL 15 is needed (scripts/install-deps.sh --test)")
    pg = PgCluster().start()
    try:
        uri = pg.createdb("guild")
        r = g.cli("init", "--db", uri)
        check("postgresql database ready " + PG_SCHEMA in r.stdout, r.stdout + r.stderr)
        r = g.cli("init", "--db", uri)
        check(PG_SCHEMA in r.stdout and "applied" not in r.stderr, "a second init is a no-op")
        g.cli("init", "--db", g.db)
        lite_tables, lite_indexes = sqlite_schema(g.db)
        pg_tables, pg_indexes = pg_schema(pg, "guild")
        lite_tables["api_tokens"]["id"] = ("INTEGER", True)  # SQLite's rowid, named on PG
        check(set(pg_tables) - {"search_index", "schema_migrations"} == set(lite_tables),
              "the same tables: only in SQLite %s, only in PostgreSQL %s" % (
                  sorted(set(lite_tables) - set(pg_tables)),
                  sorted(set(pg_tables) - set(lite_tables))))
        for table, cols in lite_tables.items():
            check(set(cols) == set(pg_tables[table]), "%s columns: %s vs %s" % (
                table, sorted(cols), sorted(pg_tables[table])))
            for col, (typ, notnull) in cols.items():
                ptyp, pnotnull = pg_tables[table][col]
                check(ptyp in SAME_TYPE[typ] and pnotnull == notnull,
                      "%s.%s: SQLite %s%s, PostgreSQL %s%s" % (
                          table, col, typ, " NOT NULL" if notnull else "", ptyp,
                          " NOT NULL" if pnotnull else ""))
        check(pg_indexes - {"search_index_tsv"} == lite_indexes,
              "the same indexes: only in SQLite %s, only in PostgreSQL %s" % (
                  sorted(lite_indexes - pg_indexes), sorted(pg_indexes - lite_indexes)))
    finally:
        pg.stop()


test_postgresql_schema_matches_sqlite.own_guild = True


def test_postgresql_keeps_counters_and_search(g):
    check(available(), "PostgreSQL 15 is needed (scripts/install-deps.sh --test)")
    pg = PgCluster().start()
    try:
        uri = pg.createdb("guild")
        # two inits at once: the advisory lock lets one migrate and the other find it done
        results = []
        threads = [threading.Thread(target=lambda: results.append(subprocess.run(
            [g.binary, "init", "--db", uri], capture_output=True, text=True, timeout=60)))
            for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(all(r.returncode == 0 and PG_SCHEMA in r.stdout for r in results),
              "concurrent inits: %s" % [(r.returncode, r.stderr[-300:]) for r in results])
        q = lambda sql: pg.sql("guild", sql)
        q("INSERT INTO users (handle, name, email, pw_hash, created_at) VALUES "
          "('Ann', 'Ann Lee', 'ann@example.org', 'x', 1), ('bob', 'Bob', 'bob@example.org', "
          "'x', 1)")
        check(q("SELECT id FROM users WHERE handle = 'ANN'") == [["1"]],
              "handles compare without case, as COLLATE NOCASE does")
        try:
            q("INSERT INTO users (handle, name, email, pw_hash, created_at) VALUES "
              "('ann', 'Other', 'other@example.org', 'x', 1)")
            check(False, "a handle differing only in case is refused")
        except AssertionError as e:
            check("users_handle_key" in str(e), str(e))
        q("INSERT INTO items (kind, url, canon_url, domain, title, body, user_id, created_at) "
          "VALUES ('link', 'https://x.org/a', 'https://x.org/a', 'x.org', "
          "'How buying committees decide', 'Six people in every deal', 1, 1)")
        q("INSERT INTO votes (user_id, item_id, value, created_at) VALUES (2, 1, 1, 1)")
        check(q("SELECT ups, downs FROM items") == [["1", "0"]], "an upvote counted")
        q("UPDATE votes SET value = -1")
        check(q("SELECT ups, downs FROM items") == [["0", "1"]], "a changed vote moves")
        q("DELETE FROM votes")
        check(q("SELECT ups, downs FROM items") == [["0", "0"]], "a withdrawn vote goes")
        q("INSERT INTO comments (item_id, user_id, body, created_at) VALUES (1, 2, 'Yes', 2)")
        check(q("SELECT ncomments FROM items") == [["1"]], "a comment counted")
        q("UPDATE comments SET deleted = 1")
        check(q("SELECT ncomments FROM items") == [["0"]], "a deleted comment uncounted")
        hits = q("SELECT rowid - 2 * 1099511627776, ts_headline('english', title, "
                 "websearch_to_tsquery('english', 'committee')) FROM search_index WHERE "
                 "tsv @@ websearch_to_tsquery('english', 'committee')")
        check(hits == [["1", "How buying <b>committees</b> decide"]],
              "the item is in the search index, stemmed: %s" % hits)
        q("UPDATE items SET title = 'Pricing pages'")
        check(q("SELECT count(*) FROM search_index WHERE tsv @@ "
                "websearch_to_tsquery('english', 'committee')") == [["0"]], "and follows edits")
        r = g.cli("init", "--db", "postgresql://guild@127.0.0.1:1/none", expect=1)
        check("cannot connect" in r.stderr and "cannot open database" in r.stderr, r.stderr)
    finally:
        pg.stop()


test_postgresql_keeps_counters_and_search.own_guild = True
# each starts a cluster of its own: run once, in the SQLite pass
test_postgresql_schema_matches_sqlite.engines = ("sqlite",)
test_postgresql_keeps_counters_and_search.engines = ("sqlite",)


def test_migrate_copies_a_guild_that_ranks_the_same(g):
    """guild migrate: the demo guild from a SQLite file into this pass's empty PostgreSQL
    database; every table compared; the copy ranks the same; a second migrate is refused;
    the copy serves the guild (a member signs in, the search finds a demo post)."""
    import re
    src = os.path.join(g.dir, "source.db")
    g.cli("demo", "--db", src)
    g.cli("migrate", "--from", src, expect=2)
    g.cli("migrate", "--from", g.db, "--to", src, expect=2)
    r = g.cli("migrate", "--from", src, "--to", g.db)
    check("every table the same on both" in r.stdout and "DIFFERS" not in r.stdout, r.stdout)
    tables = dict(line.split()[0:2] for line in r.stdout.splitlines()[1:-1])
    check(int(tables["votes"]) > 1000 and int(tables["users"]) == 50, "the demo guild: %s" % tables)
    r = g.cli("migrate", "--from", src, "--to", g.db, expect=1)
    check("already holds a guild" in r.stderr, r.stderr)
    g.cli("rank", "--db", src)
    g.cli("rank", "--db", g.db)
    lite = sqlite3.connect(src).execute("SELECT id, score FROM items ORDER BY id").fetchall()
    pg = g.query("SELECT id, score FROM items ORDER BY id")
    check(lite == [(i, float(s)) for i, s in pg], "every item's score the same on both")
    # hot moves with the clock, and the run's own time is not the guild's
    strip = lambda text: re.sub(r", hot [0-9.e+-]+|ranked \d+ items in [0-9.]+ ms", "", text)
    for item in ("1", "45", "200"):
        a = g.cli("rank", "--db", src, "--explain", item).stdout
        b = g.cli("rank", "--db", g.db, "--explain", item).stdout
        check(strip(a) == strip(b), "item %s explained alike:\n%s\n%s" % (item, a, b))
    g.start()
    c = Client(g)
    c.login("mara", "guild-demo-pass")
    check(c.get("/settings").status == 200, "a demo member signs in on the copy")
    title = g.query("SELECT title FROM items WHERE kind = 'link' ORDER BY id LIMIT 1")[0][0]
    word = max(re.findall(r"[A-Za-z]{6,}", title), key=len)
    found = re.sub(r"<[^>]+>", "", c.get("/search?q=" + word).text)  # (the word is marked)
    check(title in found, "search finds %r on the copy" % title)
    check(g.query("SELECT count(*) FROM sessions")[0][0] >= 1, "and a new session is stored")
    n = g.query("SELECT max(id) FROM items")[0][0]
    r = c.post_json("/api/v1/items", {"url": "https://after.example.org/x", "title": "After"},
                    token=g.cli("token", "create", "--db", g.db, "--user", "mara").stdout.strip())
    check(r.status == 201 and r.json()["id"] == n + 1, "new ids follow the copied ones: %s"
          % r.text)


test_migrate_copies_a_guild_that_ranks_the_same.own_guild = True
test_migrate_copies_a_guild_that_ranks_the_same.engines = ("postgresql",)
