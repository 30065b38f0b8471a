/* The item page (with its thread), /go/ID click-through, /why/ID, and item votes. */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../rules/rules.h"
#include "../text/text.h"
#include "web_int.h"

static void render_item_head(struct http_request *rq, const struct store_item *it)
{
    struct buf *b = &rq->out;
    bool blog = strcmp(it->kind, "blog") == 0;
    HTML_LIT(b, "<article class=\"item-full\" id=\"vote\">");
    html_item_vote_box(rq, it, true);
    HTML_LIT(b, "<div class=\"body\"><h1>");
    if (web_item_links_out(it) || blog) {
        buf_appendf(b, "<a href=\"/go/%lld\" rel=\"nofollow\">", (long long)it->id);
        html_text(b, it->title);
        HTML_LIT(b, "</a>");
    } else {
        html_text(b, it->title); /* a question or an idea: this page is the thing */
    }
    HTML_LIT(b, "</h1><p class=\"meta\">");
    html_item_where(b, it);
    if (it->own_org) {
        HTML_LIT(b, " <span class=\"badge\">from the submitter's organisation</span>");
    }
    bool post = strcmp(it->kind, "question") == 0 || strcmp(it->kind, "idea") == 0;
    if (!post) { /* a question or an idea says its kind where it says its group */
        buf_appendf(b, " · %s", blog ? "blog" : "link");
    }
    buf_appendf(b, " · %d up, %d down · %s by ", it->ups, it->downs,
                blog ? "nominated" : strcmp(it->kind, "question") == 0 ? "asked" : "submitted");
    html_member_link(b, it->user_handle);
    HTML_LIT(b, " ");
    html_age(b, it->created_at, rq->now);
    buf_appendf(b, " · <a href=\"/why/%lld\">why here?</a>", (long long)it->id);
    if (it->tags[0]) {
        HTML_LIT(b, " · <span class=\"tags\">");
        html_text(b, it->tags);
        HTML_LIT(b, "</span>");
    }
    if (it->authored) {
        HTML_LIT(b, " · <span class=\"badge\">written by the submitter</span>");
    }
    HTML_LIT(b, "</p>");
    html_item_mod_notice(rq, it);
    const char *flagged = http_query(rq, "flagged");
    if (flagged != NULL && rq->user != NULL) { /* what the flag did, in words */
        HTML_LIT(b, "<p class=\"notice\" role=\"status\">");
        if (strcmp(flagged, "queued") == 0) {
            HTML_LIT(b, "Flag recorded. With it, enough members have flagged this for a "
                        "moderator to look: it waits in the queue.");
        } else {
            HTML_LIT(b, "Flag recorded, for the moderators. Flagging again changes your "
                        "reason; nothing is hidden until enough trusted members agree.");
        }
        HTML_LIT(b, "</p>");
    }
    if (http_query(rq, "existing") != NULL && rq->user != NULL && it->user_id == rq->user->id) {
        HTML_LIT(b, "<p class=\"held\" role=\"status\">You shared this link already: here it "
                    "is.</p>");
    } else if (http_query(rq, "existing") != NULL) {
        HTML_LIT(b, "<p class=\"held\" role=\"status\">Already shared by ");
        html_text(b, it->user_handle);
        HTML_LIT(b, ": here it is. Vote or comment on it here.</p>");
    }
    if (it->my_vote != 0) {
        buf_appendf(b, "<p class=\"note\">You voted %s%s.%s</p>", it->my_vote > 0 ? "up" : "down",
                    it->my_opened ? ""
                    : it->my_vote > 0 ? " without opening it first: it counts a quarter until "
                                        "you open the link"
                                      : " without opening it first: it counts only once you "
                                        "open the link",
                    rq->user->trust < 0.1 && !rq->user->seed
                        ? " Your vote is recorded, but it carries little weight until more "
                          "members you are connected to vouch for you."
                        : "");
    }
    if (blog && it->feed_url[0]) {
        HTML_LIT(b, "<p class=\"meta\">Feed: ");
        html_text(b, it->feed_url);
        HTML_LIT(b, "</p>");
    }
    if (it->body[0]) {
        HTML_LIT(b, "<div class=\"text\">");
        if (text_markdown_html(b, str_z(it->body)) != 0) {
            html_text(b, it->body);
        }
        HTML_LIT(b, "</div>");
    }
    if (rq->user != NULL && it->user_id != rq->user->id && strcmp(it->status, "ok") == 0) {
        if (web_member_is_new(rq)) {
            html_new_member_note(rq);
        } else {
            html_flag_form(rq, "i", it->id);
        }
    }
    HTML_LIT(b, "</div></article>\n");
}

static void render_comment_form(struct http_request *rq, const struct store_item *it,
                                int64_t parent, const char *draft, const char *error)
{
    struct buf *b = &rq->out;
    if (rq->user == NULL) {
        HTML_LIT(b, "<p><a href=\"/login\">Sign in</a> to comment.</p>\n");
        return;
    }
    if (it->locked || strcmp(it->status, "removed") == 0) {
        HTML_LIT(b, "<p class=\"note\">This thread is closed to new comments; the "
                    "<a href=\"/moderations\">moderation log</a> says why.</p>\n");
        return;
    }
    buf_appendf(b, "<form class=\"comment-form\" id=\"reply\" method=\"post\" "
                   "action=\"/i/%lld/comment\">",
                (long long)it->id);
    html_csrf(rq);
    html_error_box(b, error);
    if (parent > 0) {
        buf_appendf(b, "<p>Replying to <a href=\"#c%lld\">this comment</a> · <a "
                       "href=\"/i/%lld#reply\">cancel</a></p><input type=\"hidden\" "
                       "name=\"parent\" value=\"%lld\">",
                    (long long)parent, (long long)it->id, (long long)parent);
    }
    HTML_LIT(b, "<label for=\"body\">Your comment (Markdown)</label>"
                "<textarea id=\"body\" name=\"body\" rows=\"5\" maxlength=\"10000\" required>");
    html_text(b, draft ? draft : "");
    HTML_LIT(b, "</textarea><button>Post comment</button></form>\n");
}

static void comment_vote_form(struct http_request *rq, const struct store_comment *c)
{
    struct buf *b = &rq->out;
    bool up = c->my_vote == 1, down = c->my_vote == -1;
    buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/c/%lld/vote\">",
                (long long)c->id);
    html_csrf(rq);
    buf_appendf(b, "<input type=\"hidden\" name=\"value\" value=\"%d\"><button class=\"%s\" "
                   "title=\"%s\" aria-label=\"%s\">▲</button></form>",
                up ? 0 : 1, up ? "up on" : "up", up ? "Withdraw upvote" : "Upvote comment",
                up ? "Withdraw upvote" : "Upvote comment");
    if (down) {
        buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/c/%lld/vote\">",
                    (long long)c->id);
        html_csrf(rq);
        HTML_LIT(b, "<input type=\"hidden\" name=\"value\" value=\"0\"><button class=\"down on\" "
                    "title=\"Withdraw downvote\" aria-label=\"Withdraw downvote\">▼</button>"
                    "</form>");
        return;
    }
    if (web_member_is_new(rq)) {
        return; /* new members cannot downvote: not offered (the item says when they can) */
    }
    buf_appendf(b, "<details class=\"inline\"><summary title=\"Downvote (needs a reason)\">▼"
                   "</summary><form method=\"post\" action=\"/c/%lld/vote\">",
                (long long)c->id);
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"value\" value=\"-1\">");
    html_reason_select(b);
    HTML_LIT(b, "<button>Downvote</button></form></details>");
}

/* The placeholder or the mark of a comment the moderators removed or hold. */
static void comment_status_text(struct buf *b, const struct store_comment *c, bool withheld)
{
    bool removed = strcmp(c->status, "removed") == 0;
    if (withheld) {
        if (removed) {
            HTML_LIT(b, "[removed by the moderators: see the <a href=\"/moderations\">log</a>]</p>");
        } else {
            HTML_LIT(b, "[hidden while a moderator looks at it]</p>");
        }
    } else {
        buf_appendz(b, removed ? " · <strong>removed by the moderators</strong> (only its author "
                                 "and the moderators see it)"
                               : " · <strong>held for a moderator</strong> (only its author and "
                                 "the moderators see it)");
    }
}

static void render_comment(struct http_request *rq, const struct store_comment *c)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<article class=\"comment d%d\" id=\"c%lld\"><p class=\"cmeta\">",
                c->depth > 8 ? 8 : c->depth, (long long)c->id);
    enum rules_view view = rules_view(rq->user, c->user_id, c->status, true);
    bool hidden = view == RULES_VIEW_WITHHELD;
    if (c->deleted) {
        HTML_LIT(b, "[deleted]</p>");
    } else if (hidden) {
        comment_status_text(b, c, true);
    } else {
        html_member_link(b, c->handle);
        HTML_LIT(b, " · ");
        html_age(b, c->created_at, rq->now);
        buf_appendf(b, " · %d point%s%s", c->ups - c->downs, c->ups - c->downs == 1 ? "" : "s",
                    c->edited_at ? " · edited" : "");
        if (view == RULES_VIEW_MARKED) {
            comment_status_text(b, c, false);
        }
        HTML_LIT(b, "</p><div class=\"cbody\">");
        if (text_markdown_html(b, str_z(c->body)) != 0) {
            html_text(b, c->body);
        }
        HTML_LIT(b, "</div>");
    }
    if (rq->user == NULL || c->deleted || hidden) {
        HTML_LIT(b, "</article>\n"); /* no actions: no empty box (200 of them on a long thread) */
        return;
    }
    HTML_LIT(b, "<div class=\"cactions\">");
    {
        bool mine = c->user_id == rq->user->id;
        if (!mine && strcmp(c->status, "ok") == 0) { /* nothing to vote on while removed */
            comment_vote_form(rq, c);
            if (!web_member_is_new(rq)) {
                html_flag_form(rq, "c", c->id);
            }
        }
        buf_appendf(b, " <a href=\"/i/%lld?reply=%lld#reply\">reply</a>", (long long)c->item_id,
                    (long long)c->id);
        if (mine && rq->now - c->created_at <= RULES_EDIT_WINDOW) {
            buf_appendf(b, " <a href=\"/c/%lld/edit\">edit</a>", (long long)c->id);
        }
        if (mine || strcmp(rq->user->role, "admin") == 0) {
            /* a second step before an act that cannot be undone (no script: a disclosure) */
            buf_appendf(b, " <details class=\"inline confirm\"><summary>delete</summary>"
                           "<form method=\"post\" action=\"/c/%lld/delete\">",
                        (long long)c->id);
            html_csrf(rq);
            HTML_LIT(b, "<button class=\"link\">Yes, delete this comment</button></form>"
                        "</details>");
        }
    }
    HTML_LIT(b, "</div></article>\n");
}

/* The whole item page; error and draft re-show a failed comment. */
static int render_item(struct http_request *rq, int64_t id, const char *error, const char *draft)
{
    struct store_item it;
    struct store_comment *list;
    size_t n;
    int64_t viewer = rq->user ? rq->user->id : 0;
    int rc = store_item_get(http_db(rq), &rq->arena, id, viewer, &it);
    if (rc == 0) {
        rc = store_comment_tree(http_db(rq), &rq->arena, id, viewer, &list, &n);
    }
    if (rc != 0) {
        return rc;
    }
    if (strcmp(it.status, "merged") == 0 && it.merged_into != 0) {
        return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld", (long long)it.merged_into));
    }
    if ((rc = app_item_visible(rq, &it)) != 0) {
        return rc;
    }
    int64_t reply_to = 0;
    const char *r = error ? http_form(rq, "parent") : http_query(rq, "reply");
    if (r != NULL && !parse_id(r, &reply_to)) {
        reply_to = 0;
    }
    page_begin(rq, it.title);
    render_item_head(rq, &it);
    html_item_social(rq, &it);
    if (strcmp(it.kind, "blog") == 0) {
        html_blog_entries(rq, &it);
    }
    if (strcmp(it.kind, "question") == 0 && (rc = html_question_answers(rq, &it)) != 0) {
        return rc;
    }
    if (strcmp(it.kind, "idea") == 0 && (rc = html_idea_status(rq, &it)) != 0) {
        return rc;
    }
    struct store_competition comp;
    if (it.competition_id > 0 &&
        store_competition_get(http_db(rq), &rq->arena, it.competition_id, &comp) == 0) {
        buf_appendf(&rq->out, "<p class=\"meta\">An entry of <a href=\"/competitions/%lld\">",
                    (long long)it.competition_id);
        html_text(&rq->out, comp.title);
        HTML_LIT(&rq->out, "</a>.</p>\n");
    }
    struct buf *b = &rq->out;
    buf_appendf(b, "<section class=\"comments\" id=\"comments\"><h2>%d comment%s</h2>\n",
                it.ncomments, it.ncomments == 1 ? "" : "s");
    render_comment_form(rq, &it, reply_to, draft, error);
    for (size_t i = 0; i < n; i++) {
        render_comment(rq, &list[i]);
    }
    HTML_LIT(b, "</section>\n");
    page_end(rq);
    return 0;
}

static void maybe_record_open(struct http_request *rq, const struct store_item *it);

/* A question's or an idea's page is the thing itself: a member reading it has read it (the
 * read-before-vote factor of its votes and of its answers' votes). */
static void record_page_read(struct http_request *rq, int64_t id)
{
    struct store_item it;
    if (rq->user == NULL ||
        store_item_get(http_db(rq), &rq->arena, id, rq->user->id, &it) != 0 ||
        (strcmp(it.kind, "question") != 0 && strcmp(it.kind, "idea") != 0)) {
        return;
    }
    maybe_record_open(rq, &it);
}

int web_item(struct http_request *rq)
{
    int64_t id;
    id = rq->id; /* validated by the route table */
    record_page_read(rq, id);
    int rc = render_item(rq, id, NULL, NULL);
    if (rc == 0 && (rq->status == 0 || rq->status == 200)) { /* 0: the default, 200 */
        app_record_signal(rq, id, 0, "read", -1);
    }
    return rc;
}

void web_item_observe(struct http_request *rq)
{
    app_record_signal(rq, rq->id, 0, "read", -1);
}

int web_entry_go(struct http_request *rq)
{
    int64_t blog;
    const char *url;
    int rc = store_entry_target(http_db(rq), &rq->arena, rq->id, &blog, &url);
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "id", "No such post: the blog may have removed it.");
    }
    if (rc != 0) {
        return rc;
    }
    app_record_signal(rq, 0, rq->id, "open", -1);
    return http_redirect(rq, url[0] != '\0' ? url : arena_printf(&rq->arena, "/i/%lld",
                                                                 (long long)blog));
}

/* Did the click come from one of our own pages? (The Referer names this host.) Members who
 * arrive through an outside link count as outside traffic in the ranking. */
static bool web_from_inside(struct http_request *rq)
{
    const char *ref = http_header(rq, "Referer"), *host = http_header(rq, "Host");
    if (ref == NULL || host == NULL) {
        return false;
    }
    const char *p = strstr(ref, "://");
    size_t n = strlen(host);
    return p != NULL && strncasecmp(p + 3, host, n) == 0 && (p[3 + n] == '/' || p[3 + n] == '\0');
}

/* The item named by the path (with the viewer's vote and open), unless it is withheld from
 * this viewer. */
static int web_path_item(struct http_request *rq, int64_t *id, struct store_item *it)
{
    *id = rq->id; /* validated by the route table */
    int64_t viewer = rq->user ? rq->user->id : 0;
    int rc = store_item_get(http_db(rq), &rq->arena, *id, viewer, it);
    return rc != 0 ? rc : app_item_visible(rq, it);
}

/* Records the member's first open of the item and re-ranks it, in one commit. */
static int record_open(struct http_request *rq, int64_t id)
{
    struct store *db = http_db(rq);
    int rc = store_tx_begin(db);
    if (rc != 0) {
        return rc;
    }
    bool recorded;
    if ((rc = store_open_record(db, rq->user->id, id, web_from_inside(rq), &recorded)) != 0) {
        store_tx_rollback(db);
        return rc;
    }
    if (recorded) {
        app_item_changed(rq->app, db, id, rq->now);
    }
    return store_tx_commit(db);
}

int web_go(struct http_request *rq)
{
    int64_t id;
    struct store_item it;
    int rc = web_path_item(rq, &id, &it);
    if (rc != 0) {
        return rc;
    }
    maybe_record_open(rq, &it);
    if (strcmp(it.status, "ok") == 0) {
        app_record_signal(rq, it.id, 0, "open", -1);
    }
    return http_redirect(rq, it.url);
}

/* A member's first open is recorded (within the rate limit, and not for suspended members,
 * whose actions do not count); later ones write nothing. What the member asked for happens
 * whatever happens to the record. */
static void maybe_record_open(struct http_request *rq, const struct store_item *it)
{
    struct rules_error e = {0};
    if (rq->user != NULL && !it->my_opened && strcmp(it->status, "ok") == 0 &&
        rules_can_act(rq->user, rq->now, &e) == 0 && app_rate_allow(rq->app, rq, APP_OPEN) &&
        record_open(rq, it->id) != 0) {
        log_warn("could not record member %lld's open of item %lld", (long long)rq->user->id,
                 (long long)it->id);
    }
}

/* The explanation in one sentence a member understands; the figures follow it. */
static void why_in_words(struct buf *b, json_t *ex)
{
    long long ups = (long long)json_integer_value(json_object_get(ex, "ups"));
    long long downs = (long long)json_integer_value(json_object_get(ex, "downs"));
    double openers = json_number_value(json_object_get(ex, "trusted_openers"));
    double estimate = json_number_value(json_object_get(ex, "estimate"));
    double age = json_number_value(json_object_get(ex, "age_hours"));
    long long unread = (long long)json_integer_value(json_object_get(ex, "unread_ups")) +
                       (long long)json_integer_value(json_object_get(ex, "unread_downs"));
    const char *camps = json_string_value(json_object_get(ex, "camps"));
    HTML_LIT(b, "<p class=\"lead\">");
    if (camps != NULL && strcmp(camps, "one") == 0) {
        HTML_LIT(b, "Liked mostly within one camp (its votes count as one group): members who "
                    "usually vote with its voters like it, the rest of the guild less, so that "
                    "side's lean is taken out of their votes. ");
    } else if (camps != NULL && strcmp(camps, "across") == 0) {
        HTML_LIT(b, "Liked by members across camps: members who usually disagree both vote it "
                    "up. ");
    }
    buf_appendf(b, "%lld member%s voted it up and %lld down; of the trusted "
                   "members who opened it, about %.0f in 10 would recommend it",
                ups, ups == 1 ? "" : "s", downs, estimate * 10.0);
    if (openers < 5) {
        HTML_LIT(b, " (few have read it yet, so that is still a guess)");
    }
    if (unread > 0) {
        buf_appendf(b, "; %lld vote%s without opening it count%s for little", unread,
                    unread == 1 ? "" : "s", unread == 1 ? "s" : "");
    }
    buf_appendf(b, ". %s</p>\n", age > 72 ? "It is older than three days, so it gives way to "
                                            "newer posts on the front page."
                                          : "Newer posts rank higher until they have been read.");
}

int web_why(struct http_request *rq)
{
    int64_t id;
    struct store_item it;
    int rc = web_path_item(rq, &id, &it);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Why it ranks here");
    HTML_LIT(b, "<h1>Why it ranks here</h1>\n<p>");
    buf_appendf(b, "<a href=\"/i/%lld\">", (long long)id);
    html_text(b, it.title);
    HTML_LIT(b, "</a></p>\n");
    json_t *ex = it.explain[0] ? json_loads(it.explain, 0, NULL) : NULL;
    if (ex == NULL) {
        HTML_LIT(b, "<p>Not ranked yet: the ranker recomputes within a minute of a vote.</p>\n");
    } else {
        why_in_words(b, ex);
        HTML_LIT(b, "<h2>The figures</h2>\n<ol class=\"steps\">");
        size_t i;
        json_t *step;
        json_array_foreach(json_object_get(ex, "steps"), i, step)
        {
            HTML_LIT(b, "<li>");
            html_text(b, json_string_value(step));
            HTML_LIT(b, "</li>");
        }
        HTML_LIT(b, "</ol>\n<p class=\"meta\">Algorithm: ");
        html_text(b, json_string_value(json_object_get(ex, "algorithm")));
        HTML_LIT(b, " · formula: <code>");
        html_text(b, json_string_value(json_object_get(ex, "formula")));
        buf_appendf(b, "</code> · score %.4g · hot %.4g · computed ", it.score, it.hot);
        html_age(b, it.ranked_at, rq->now);
        HTML_LIT(b, "</p>\n");
        json_decref(ex);
    }
    page_end(rq);
    return 0;
}

int web_vote_value(struct http_request *rq, int *value)
{
    const char *v = http_form(rq, "value");
    if (v == NULL || (strcmp(v, "1") != 0 && strcmp(v, "-1") != 0 && strcmp(v, "0") != 0)) {
        return http_fail(rq, ERR_INVAL, "value", "A vote is 1, -1 or 0.");
    }
    *value = v[0] == '-' ? -1 : v[0] - '0';
    return 0;
}

int web_item_vote(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t id;
    int value = 0;
    struct rules_error e = {0};
    id = rq->id; /* validated by the route table */
    int rc = web_vote_value(rq, &value);
    if (rc != 0) {
        return rc;
    }
    rc = app_vote_item(rq->app, rq, id, value, http_form(rq, "reason"), &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    return http_redirect(rq, web_back(rq, arena_printf(&rq->arena, "/i/%lld#vote", (long long)id)));
}

int web_comment_post(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_COMMENT);
    if (limited != 0) {
        return limited;
    }
    int64_t id, parent = 0, cid;
    struct rules_error e = {0};
    id = rq->id; /* validated by the route table */
    const char *p = http_form(rq, "parent");
    if (p != NULL && p[0] != '\0' && !parse_id(p, &parent)) {
        return http_fail(rq, ERR_INVAL, "parent", "Bad reply target.");
    }
    const char *body = http_form(rq, "body");
    int rc = rules_comment_add(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, id, parent, body, &cid, &e);
    if (rc == ERR_INVAL) {
        web_form_status(rq, rc);
        return render_item(rq, id, web_rules_message(&e), body);
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#c%lld", (long long)id,
                                          (long long)cid));
}
