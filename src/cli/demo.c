/* guild demo: a deterministic demo guild (members in an invitation tree, blogs, links, votes
 * that follow each item's hidden quality, and comment threads). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/url.h"
#include "../ranker/ranker.h"
#include "cli.h"
#include "demo.h"

static int demo_members(struct store *s, struct arena *a, int64_t now, struct demo_member *m,
                        size_t n)
{
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(DEMO_PASSWORD, hash) != 0) {
        return ERR_NOMEM; /* one hash shared by every demo member: loading stays fast */
    }
    size_t norgs = 0;
    while (demo_orgs[norgs].name != NULL) {
        norgs++;
    }
    for (size_t i = 0; i < n; i++) {
        const char *full = demo_names[i];
        char *handle = arena_strdup(a, full);
        handle[strcspn(handle, " ")] = '\0';
        ascii_lower(handle);
        bool indep = i % 7 == 3;
        const struct demo_org *org = &demo_orgs[i % norgs];
        enum demo_kind kind = indep ? DEMO_INDEPENDENT : org->kind;
        const char *role = demo_roles[kind][i / norgs % 4];
        struct store_user_new u = {
            .handle = handle,
            .name = full,
            .email = arena_printf(a, "%s@%s", handle, indep ? "example.net" : org->domain),
            .pw_hash = hash,
            .affiliation = indep ? role : arena_printf(a, "%s, %s", role, org->name),
            .domain = indep ? "" : org->domain,
            .role = i == 0 ? "admin" : "member",
            .invited_by = i == 0 ? 0 : m[(i - 1) / 3].id, /* a tree with ~3 invitees each */
            .invites_left = i == 0 ? 0 : 3,
            .created_at = now - 86400 * (120 - (int64_t)i * 2),
        };
        int rc = store_user_create(s, &u, &m[i].id);
        char token[33];
        int64_t confirmed;
        if (rc == 0 && (rc = store_email_token_new(s, m[i].id, token)) == 0) {
            rc = store_email_confirm(s, token, &confirmed); /* demo addresses count as confirmed */
        }
        if (rc != 0) {
            return rc;
        }
        m[i].domain = u.domain;
        m[i].kind = kind;
    }
    return 0;
}

/* Picks a submitter who may submit it (blogs: not from its organisation). */
static size_t pick_submitter(struct demo_rng *r, const struct demo_member *m, size_t n,
                             const char *host, bool blog)
{
    for (;;) {
        size_t k = rng_next(r) % n;
        if (!blog || !url_domain_matches(host, m[k].domain)) {
            return k;
        }
    }
}

/* Two camps, as guilds have (a vendor's fans and its rival's): every sixth member from the
 * first is in one, every sixth from the fourth in the other; 0 for the rest. */
static int demo_camp(size_t member)
{
    return member % 6 == 0 ? 1 : (member % 6 == 3 ? 2 : 0);
}

/* A camp member's vote on an item from a camp's member, or 0 to judge it like anyone: their
 * own side's middling posts up, the other side's good ones down (docs/ranking.md, stage 5). */
static int demo_camp_vote(struct demo_rng *r, size_t voter, size_t submitter, double q)
{
    int mine = demo_camp(voter), theirs = demo_camp(submitter);
    if (mine == 0 || theirs == 0 || rng_unit(r) >= 0.8) {
        return 0;
    }
    return mine == theirs ? (q < 0.6 ? 1 : 0) : (q >= 0.6 ? -1 : 0);
}

/* Votes shaped by a hidden quality q: members open with a chance that rises with q, upvote
 * with chance q, downvote (with a reason) with a chance that rises with 1 - q; camp members
 * vote their side's way where it has one. */
static int demo_votes(struct store *s, struct demo_rng *r, const struct demo_member *m, size_t n,
                      int64_t item, size_t submitter, const char *host, double q)
{
    static const char *const reasons[] = {"low-quality", "off-topic", "duplicate", "spam",
                                          "self-promotion"};
    for (size_t k = 0; k < n; k++) {
        if (k == submitter || url_domain_matches(host, m[k].domain)) {
            continue;
        }
        int camp = demo_camp_vote(r, k, submitter, q);
        bool opened = camp != 0 || rng_unit(r) < 0.10 + 0.35 * q;
        bool drive_by = !opened && rng_unit(r) < 0.02;
        int rc = opened ? store_open_record(s, m[k].id, item, true, NULL) : 0;
        if (rc == 0 && opened) { /* what its author's /stats shows: where readers came from */
            static const char *const sources[] = {"front", "front", "new", "digest", "outside"};
            char reader[32];
            snprintf(reader, sizeof(reader), "u%lld", (long long)m[k].id);
            struct store_reader_event e = {item, 0, "open", sources[rng_next(r) % 5], reader,
                                           m[k].id, now_unix() - (int64_t)(rng_next(r) % 1209600)};
            rc = store_reader_event(s, &e);
        }
        if (rc != 0) {
            return rc;
        }
        if (!opened && !drive_by) {
            continue;
        }
        int value = camp != 0 ? camp : (rng_unit(r) < q ? 1 : (rng_unit(r) < 0.4 * (1 - q) ? -1 : 0));
        if (value != 0) {
            const char *why = value < 0 ? reasons[rng_next(r) % 5] : "";
            if ((rc = store_vote_set(s, m[k].id, item, value, why)) != 0) {
                return rc;
            }
        }
    }
    return 0;
}

/* A text from list (n entries) that this thread has not used yet; used[] holds the thread's
 * picks so far (the same sentence twice in one thread reads like a bot). */
static const char *pick_unused(struct demo_rng *r, const char *const *list, size_t n,
                               const char **used, size_t nused)
{
    for (;;) {
        const char *t = list[rng_next(r) % n];
        bool seen = false;
        for (size_t i = 0; i < nused; i++) {
            seen |= used[i] == t;
        }
        if (!seen) {
            return t;
        }
    }
}

/* Up to six comments, some answering earlier ones (always later than what they answer),
 * a buyer speaking as one, and a few upvotes from readers on the better ones. */
static int demo_thread(struct store *s, struct demo_rng *r, const struct demo_member *m,
                       size_t n, int64_t item, int64_t created, int64_t now)
{
    size_t k = rng_next(r) % 7;
    int64_t ids[8] = {0}, at[8] = {0};
    const char *used[8] = {0};
    for (size_t c = 0; c < k; c++) {
        size_t parent = c > 0 && rng_unit(r) < 0.45 ? rng_next(r) % c + 1 : 0; /* 1-based */
        int64_t after = parent ? at[parent - 1] : created;
        at[c] = after + 600 + (int64_t)(rng_next(r) % 20000);
        if (at[c] > now - 60) { /* a young item's thread is young too, never in the future */
            at[c] = after + (now - after) / 2;
        }
        const struct demo_member *by = &m[rng_next(r) % n];
        const char *text =
            parent                   ? pick_unused(r, demo_replies, count_of(demo_replies), used, c)
            : by->kind == DEMO_BUYER ? pick_unused(r, demo_buyer_comments,
                                                   count_of(demo_buyer_comments), used, c)
                                     : pick_unused(r, demo_comments, count_of(demo_comments), used,
                                                   c);
        used[c] = text;
        int rc = store_comment_create(s, item, parent ? ids[parent - 1] : 0, by->id, text, at[c],
                                      &ids[c]);
        for (size_t v = rng_next(r) % 4; rc == 0 && v > 0; v--) {
            const struct demo_member *reader = &m[rng_next(r) % n];
            rc = reader == by ? 0 : store_comment_vote_set(s, reader->id, ids[c], 1, "");
        }
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* The row of demo_articles for a blog by its URL (a trailing slash aside); past the end if
 * none. */
static size_t blog_row(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') {
        n--;
    }
    for (size_t b = 0; demo_blogs[b].title != NULL; b++) {
        if (strlen(demo_blogs[b].url) == n && strncmp(demo_blogs[b].url, url, n) == 0) {
            return b;
        }
    }
    return demo_article_rows;
}

static char *slugify(struct arena *a, const char *title)
{
    char *s = arena_strdup(a, title);
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            s[k++] = (char)tolower(c);
        } else if (k > 0 && s[k - 1] != '-') {
            s[k++] = '-';
        }
    }
    while (k > 0 && s[k - 1] == '-') {
        k--;
    }
    s[k] = '\0';
    return s;
}

static int demo_item(struct store *s, struct arena *a, struct demo_rng *r, int64_t now,
                     const struct demo_member *m, size_t n, struct store_item *it, bool blog)
{
    char *canon, *host;
    int rc = url_canonicalize(a, it->url, &canon, &host);
    if (rc != 0) {
        return rc;
    }
    size_t sub = pick_submitter(r, m, n, host, blog);
    it->canon_url = canon;
    it->domain = host;
    it->user_id = m[sub].id;
    it->own_org = url_domain_matches(host, m[sub].domain);
    int64_t id;
    if ((rc = store_item_create(s, it, &id)) != 0) {
        return rc;
    }
    double q = 0.15 + 0.8 * rng_unit(r);
    if ((rc = demo_votes(s, r, m, n, id, sub, host, q)) != 0) {
        return rc;
    }
    return blog ? 0 : demo_thread(s, r, m, n, id, it->created_at, now);
}

/* Posts for the river, search and digest: four per blog, as if fetched. The demo's blogs
 * are fictional, so their feeds wait a week before the fetcher first tries them. */
static int demo_entries(struct store *s, struct arena *a, int64_t now)
{
    int rc = store_feeds_sync(s);
    size_t ncomm = count_of(demo_commentary);
    struct store_feed *feeds = NULL;
    size_t nf = 0;
    if (rc == 0) {
        rc = store_feeds_all(s, a, &feeds, &nf);
    }
    for (size_t b = 0; b < nf && rc == 0; b++) {
        struct store_feed f = feeds[b];
        size_t row = blog_row(f.blog_url);
        for (size_t j = 0; j < DEMO_POSTS && rc == 0 && row < demo_article_rows; j++) {
            const char *title = demo_articles[row][j];
            const char *text = demo_commentary[(b * 4 + j) % ncomm];
            struct store_entry_new e = {
                .feed_id = f.id,
                .dedupe_key = arena_printf(a, "id:%s#%zu", f.blog_url, j),
                .content_hash = arena_printf(a, "demo-%zu-%zu", b, j),
                .url = arena_printf(a, "%s/%s", f.blog_url, slugify(a, title)),
                .title = title,
                .summary_html = "",
                .content_html = "",
                .text = text,
                .author = "",
                .published_at = now - (int64_t)((b * 5 + j * 17) % 72) * 3600 - 600,
                .fetched_at = now,
            };
            int64_t id;
            enum store_upsert what;
            rc = store_entry_upsert(s, &e, &id, &what);
        }
        f.status = "new";
        f.next_check_at = now + 7 * 86400;
        if (rc == 0) {
            rc = store_feed_save(s, &f);
        }
    }
    return rc;
}

/* Relationships: each member follows a few others and a couple of blogs, and some pairs are
 * connected and vouch for each other, so profiles, /home and /people have something to show. */
static int demo_ties(struct store *s, struct demo_rng *r, const struct demo_member *m, size_t n,
                     int64_t now)
{
    static const char *const topics[] = {"strategy", "demand-gen", "content", "pricing", "seo"};
    int rc = 0;
    bool changed;
    for (size_t i = 0; i < n && rc == 0; i++) {
        for (int k = 0; k < 6 && rc == 0; k++) {
            size_t j = (size_t)(rng_next(r) % n);
            int64_t at = now - (int64_t)(rng_next(r) % (20 * 86400));
            rc = j == i ? 0 : store_follow_set(s, m[i].id, m[j].id, true, at, &changed);
        }
        for (int k = 0; k < 2 && rc == 0; k++) { /* blogs are the first items */
            int64_t blog = 1 + (int64_t)(rng_next(r) % 6);
            rc = store_blog_follow_set(s, m[i].id, blog, true, now - 86400, &changed);
            rc = rc == ERR_NOTFOUND ? 0 : rc; /* fewer blogs than that: nothing to follow */
        }
        if (rc == 0 && i % 3 == 0 && i + 1 < n) { /* a connection, and a word for each other */
            struct store_connection c = {m[i].id, m[i + 1].id, "accepted", now - 40 * 86400,
                                         now - 39 * 86400};
            const char *topic = topics[rng_next(r) % 5];
            rc = store_connection_put(s, &c);
            rc = rc == 0 ? store_endorse(s, m[i].id, m[i + 1].id, topic, now, &changed) : rc;
            rc = rc == 0 ? store_endorse(s, m[i + 1].id, m[i].id, topic, now, &changed) : rc;
        }
    }
    return rc;
}

int demo_load(struct store *s, int64_t now)
{
    struct arena a;
    arena_init(&a);
    struct demo_rng r = {0x9e3779b97f4a7c15ULL};
    size_t n = count_of(demo_names), ncomm = count_of(demo_commentary);
    struct demo_member *m = arena_alloc(&a, n * sizeof(*m));
    int rc = store_tx_begin(s);
    if (rc != 0) {
        goto out;
    }
    if ((rc = demo_members(s, &a, now, m, n)) != 0) {
        goto fail;
    }
    for (size_t b = 0; demo_blogs[b].title != NULL && rc == 0; b++) {
        struct store_item it = {.kind = "blog", .url = demo_blogs[b].url,
                                .title = demo_blogs[b].title, .body = demo_blogs[b].description,
                                .feed_url = arena_printf(&a, "%s/feed.xml", demo_blogs[b].url),
                                .tags = "", .created_at = now - 86400 * (60 - (int64_t)b)};
        rc = demo_item(s, &a, &r, now, m, n, &it, true);
    }
    size_t nblogs = 0;
    while (demo_blogs[nblogs].title != NULL) {
        nblogs++;
    }
    size_t k = 0;
    /* the older articles of every blog, shared by members in an order that mixes the blogs */
    for (size_t j = DEMO_POSTS; j < DEMO_ARTICLES && rc == 0; j++) {
        for (size_t b = 0; b < nblogs && b < demo_article_rows && rc == 0; b++, k++) {
            const char *title = demo_articles[b][j];
            const char *site = demo_blogs[b].url;
            struct store_item it = {
                .kind = "link",
                .url = arena_printf(&a, "%s/%s", site, slugify(&a, title)),
                .title = title,
                .body = k % 4 == 0 ? demo_commentary[k / 4 % ncomm] : "",
                .feed_url = "",
                .tags = arena_strdup(&a, k % 3 == 0 ? "strategy" : k % 3 == 1 ? "demand-gen" : ""),
                .created_at = now - (int64_t)(rng_next(&r) % (14 * 86400)),
            };
            rc = demo_item(s, &a, &r, now, m, n, &it, false);
        }
    }
    if (rc == 0) {
        rc = demo_ties(s, &r, m, n, now);
    }
    if (rc == 0) {
        rc = demo_groups(s, &a, m, n, now);
    }
    if (rc != 0) {
        goto fail;
    }
    rc = store_tx_commit(s);
    if (rc == 0) {
        rc = demo_entries(s, &a, now);
    }
    goto out;
fail:
    store_tx_rollback(s);
out:
    arena_fini(&a);
    return rc;
}

int cmd_demo(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "size", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild demo --db PATH [--size small|large]\n"
              "  Loads a demo guild into a database that has no members yet. Every demo\n"
              "  member's password is " DEMO_PASSWORD "; mara is the admin. large is the\n"
              "  benchmark guild: 2,000 members, 20,000 links, 200,000 votes, 50,000 comments.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    const char *size = cli_get(&f, "size");
    bool large = size != NULL && strcmp(size, "large") == 0;
    if (size != NULL && !large && strcmp(size, "small") != 0) {
        fprintf(stderr, "guild: --size is small or large\n");
        return 2;
    }
    struct store *s;
    int opened = cli_open_db(&f, &s);
    if (opened != 0) {
        return opened;
    }
    struct arena a;
    arena_init(&a);
    struct store_user u;
    int status = 1;
    int rc = store_user_by_id(s, &a, 1, &u);
    if (rc == 0) {
        fprintf(stderr, "guild: %s already has members; demo data goes into a new database\n",
                cli_get(&f, "db"));
        goto out;
    }
    if ((rc = large ? demo_load_large(s, now_unix()) : demo_load(s, now_unix())) != 0) {
        fprintf(stderr, "guild: loading demo data failed (%s)\n", err_code(rc));
        goto out;
    }
    int indexed = 0;
    if ((rc = store_search_index_comments(s, &indexed)) != 0) {
        fprintf(stderr, "guild: indexing demo comments for search failed (%s)\n", err_code(rc));
        goto out;
    }
    size_t ranked = 0;
    if ((rc = ranker_run_once(s, now_unix(), &ranked)) != 0) {
        fprintf(stderr, "guild: ranking demo data failed (%s)\n", err_code(rc));
        goto out;
    }
    int64_t nl = 0, nb = 0;
    if (store_item_count(s, "link", &nl) == 0 && store_item_count(s, "blog", &nb) == 0) {
        printf("demo guild loaded: %zu members, %lld blogs, %lld links; sign in as mara "
               "(admin) or any member with password %s\n",
               large ? (size_t)2000 : count_of(demo_names), (long long)nb, (long long)nl,
               DEMO_PASSWORD);
    }
    status = 0;
out:
    arena_fini(&a);
    store_close(s);
    return status;
}
