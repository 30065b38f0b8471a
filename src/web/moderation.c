/* Moderation pages: flag forms, the public log (/moderations), the queue (/mod) and the
 * moderators' action form. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../mod/mod.h"
#include "web_int.h"

void html_flag_form(struct http_request *rq, const char *kind, int64_t id)
{
    struct buf *b = &rq->out;
    bool item = kind[0] == 'i';
    const char *const *reasons = item ? rules_item_flag_reasons : rules_comment_flag_reasons;
    buf_appendf(b, "<details class=\"inline flag\"><summary>flag</summary><form method=\"post\" "
                   "action=\"/%s/%lld/flag\">", kind, (long long)id);
    html_csrf(rq);
    HTML_LIT(b, "<select name=\"reason\" aria-label=\"Reason for the flag\" required>"
                "<option value=\"\">reason…</option>");
    for (size_t i = 0; reasons[i] != NULL; i++) {
        HTML_LIT(b, "<option value=\"");
        html_attr(b, reasons[i]);
        HTML_LIT(b, "\">");
        html_text(b, reasons[i]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select><button>Flag for the moderators</button></form></details>");
}

void html_item_mod_notice(struct http_request *rq, const struct store_item *it)
{
    struct buf *b = &rq->out;
    if (strcmp(it->status, "queued") == 0) {
        /* neutral, and in words: it is not a success, nor yet a refusal */
        bool topic = strncmp(it->queue_reason, "off-topic check", 15) == 0;
        HTML_LIT(b, "<p class=\"held\" role=\"status\">Waiting for a moderator: ");
        if (topic) {
            HTML_LIT(b, "the off-topic check could not tell that this fits the guild");
        } else {
            html_text(b, it->queue_reason);
        }
        HTML_LIT(b, ". It stays off the lists until a moderator lists it or removes it; this "
                    "page keeps working, and the decision and its reason go to the "
                    "<a href=\"/moderations\">moderation log</a>.</p>");
    } else if (strcmp(it->status, "removed") == 0) {
        /* only its submitter and the moderators get this far (rules_view) */
        HTML_LIT(b, "<p class=\"note\">Removed by the moderators: only its submitter and the "
                    "moderators see it. The <a href=\"/moderations\">moderation log</a> gives "
                    "the reason.</p>");
    }
    if (it->locked) {
        HTML_LIT(b, "<p class=\"note\">A moderator locked this thread.</p>");
    }
}

static int flag(struct http_request *rq, const char *target)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t id;
    id = rq->id; /* validated by the route table */
    bool queued;
    struct rules_error e = {0};
    int rc = rules_flag(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, target, id,
                        http_form(rq, "reason"), rq->now, &queued, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    int64_t item = id;
    struct store_comment c;
    if (target[0] == 'c' && store_comment_get(http_db(rq), &rq->arena, id, &c) == 0) {
        item = c.item_id;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld?flagged=%s", (long long)item,
                                          queued ? "queued" : target[0] == 'c' ? "comment"
                                                                               : "item"));
}

int web_item_flag(struct http_request *rq)
{
    return flag(rq, "item");
}

int web_comment_flag(struct http_request *rq)
{
    return flag(rq, "comment");
}

static void target_link(struct buf *b, const struct store_modlog *m)
{
    if (strcmp(m->target, "user") == 0) {
        HTML_LIT(b, "member <a ");
        html_href(b, "/u/", m->target_label);
        HTML_LIT(b, ">");
        html_text(b, m->target_label);
        HTML_LIT(b, "</a>");
        return;
    }
    bool item = strcmp(m->target, "item") == 0;
    buf_appendf(b, "%s #%lld ", m->target, (long long)m->target_id);
    if (m->target_label[0] == '\0') { /* removed content is not repeated in the log */
        HTML_LIT(b, "(its text is withheld while removed)");
    } else if (item) {
        buf_appendf(b, "<a href=\"/i/%lld\">", (long long)m->target_id);
        html_text(b, m->target_label);
        HTML_LIT(b, "</a>");
    } else {
        HTML_LIT(b, "“");
        html_text(b, m->target_label);
        HTML_LIT(b, "”");
    }
    if (m->group_slug[0] != '\0') { /* a group's moderators act in their group */
        HTML_LIT(b, " in <a ");
        html_href(b, "/g/", m->group_slug);
        HTML_LIT(b, ">");
        html_text(b, m->group_slug);
        HTML_LIT(b, "</a>");
    }
}

/* A moderator's one-click undo (a reason is still required: it goes in the log). */
static void undo_form(struct http_request *rq, const struct store_modlog *m)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/mod/act\">");
    html_csrf(rq);
    buf_appendf(b, "<input type=\"hidden\" name=\"action\" value=\"undo\"><input type=\"hidden\" "
                   "name=\"target_id\" value=\"%lld\"><input name=\"reason\" required "
                   "maxlength=\"500\" aria-label=\"Reason for undoing #%lld\" "
                   "placeholder=\"reason to undo\"><button>Undo</button></form>",
                (long long)m->id, (long long)m->id);
}

int web_moderations(struct http_request *rq)
{
    int page = web_page_number(rq);
    struct store_modlog *l;
    size_t n;
    int rc = store_modlog_list(http_db(rq), &rq->arena, 50, (page - 1) * 50, &l, &n);
    if (rc != 0) {
        return rc;
    }
    bool mod = mod_is_moderator(rq->user);
    struct buf *b = &rq->out;
    page_begin(rq, "Moderation log");
    HTML_LIT(b, "<h1>Moderation log</h1>\n<p>Every moderator action, newest first, with the "
                "moderator and the reason. Any action can be undone; the undo is logged too.</p>\n"
                "<ol class=\"modlog\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_modlog *m = &l[i];
        buf_appendf(b, "<li id=\"m%lld\"><a href=\"#m%lld\">#%lld</a> <strong>", (long long)m->id,
                    (long long)m->id, (long long)m->id);
        html_text(b, m->action);
        HTML_LIT(b, "</strong> ");
        target_link(b, m);
        HTML_LIT(b, " by <a ");
        html_href(b, "/u/", m->moderator);
        HTML_LIT(b, ">");
        html_text(b, m->moderator);
        HTML_LIT(b, "</a> ");
        html_age(b, m->at, rq->now);
        HTML_LIT(b, ": ");
        html_text(b, m->reason);
        if (m->undoes) {
            buf_appendf(b, " (reverses <a href=\"#m%lld\">#%lld</a>)", (long long)m->undoes,
                        (long long)m->undoes);
        }
        if (m->undone_by) {
            buf_appendf(b, " <span class=\"badge\">undone by <a href=\"#m%lld\">#%lld</a></span>",
                        (long long)m->undone_by, (long long)m->undone_by);
        } else if (mod) {
            HTML_LIT(b, " ");
            undo_form(rq, m);
        }
        HTML_LIT(b, "</li>\n");
    }
    HTML_LIT(b, "</ol>\n");
    if (n == 50) {
        buf_appendf(b, "<p><a href=\"/moderations?p=%d\">Older</a></p>\n", page + 1);
    }
    page_end(rq);
    return 0;
}

/* keep / remove buttons for one queued thing, with a shared reason field. */
static void queue_actions(struct http_request *rq, const struct store_queue_entry *q)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form method=\"post\" action=\"/mod/act\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"target\" value=\"");
    html_attr(b, q->target);
    buf_appendf(b, "\"><input type=\"hidden\" name=\"target_id\" value=\"%lld\">"
                   "<input name=\"reason\" required maxlength=\"500\" placeholder=\"reason\" "
                   "aria-label=\"Reason\"> <button name=\"action\" value=\"keep\">Keep</button> "
                   "<button name=\"action\" value=\"remove\">Remove</button></form>",
                (long long)q->id);
}

static void action_form(struct http_request *rq)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>Act on anything</h2><form method=\"post\" action=\"/mod/act\" "
                "class=\"mod-act\">");
    html_csrf(rq);
    HTML_LIT(b, "<label for=\"action\">Action</label><select id=\"action\" name=\"action\">");
    for (size_t i = 0; mod_actions[i] != NULL; i++) {
        HTML_LIT(b, "<option>");
        html_text(b, mod_actions[i]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select><label for=\"target\">On</label><select id=\"target\" name=\"target\">"
                "<option>item</option><option>comment</option><option>answer</option>"
                "<option value=\"user\">member</option></select>");
    html_field(b, "target_id", "Which: an item, comment or log entry id, or a member's handle",
               "text", NULL, NULL, true, NULL);
    html_field(b, "reason", "Reason (public)", "text", NULL, NULL, true, NULL);
    html_field(b, "into", "Merge into item id", "number", NULL, NULL, false, NULL);
    html_field(b, "title", "New title", "text", NULL, NULL, false, NULL);
    html_field(b, "tags", "New tags", "text", NULL, NULL, false, NULL);
    html_field(b, "days", "Suspend for days", "number", NULL, NULL, false, NULL);
    HTML_LIT(b, "<button>Do it and log it</button></form>\n");
}

int web_mod_queue(struct http_request *rq)
{
    struct store_queue_entry *q;
    size_t n;
    struct rules_error e = {0};
    int rc = mod_queue(http_db(rq), &rq->arena, rq->user, &q, &n, &e);
    if (rc != 0) {
        return e.message ? http_fail(rq, rc, e.field, e.message) : rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Moderation queue");
    buf_appendf(b, "<h1>Moderation queue</h1>\n<p>%zu waiting. Decisions go to the public "
                   "<a href=\"/moderations\">moderation log</a>.</p>\n<ol class=\"queue\">\n", n);
    for (size_t i = 0; i < n; i++) {
        int removed_items = 0, removed_comments = 0;
        struct store_user author;
        if ((rc = store_user_removed(http_db(rq), q[i].author_id, &removed_items,
                                     &removed_comments)) != 0 ||
            (rc = store_user_by_id(http_db(rq), &rq->arena, q[i].author_id, &author)) != 0) {
            return rc;
        }
        buf_appendf(b, "<li><p><strong>%s</strong> <a href=\"/i/%lld%s%lld\">",
                    strcmp(q[i].target, "item") == 0 ? "Item" : "Comment", (long long)q[i].item_id,
                    strcmp(q[i].target, "item") == 0 ? "#i" : "#c", (long long)q[i].id);
        html_text(b, q[i].label);
        HTML_LIT(b, "</a></p><p class=\"meta\">");
        html_text(b, q[i].queue_reason);
        if (q[i].group_slug[0] != '\0') {
            HTML_LIT(b, " · in ");
            html_text(b, q[i].group_slug);
        }
        buf_appendf(b, " · flag weight %.2f · by <a ", q[i].flag_weight);
        html_href(b, "/u/", q[i].author);
        HTML_LIT(b, ">");
        html_text(b, q[i].author);
        buf_appendf(b, "</a> (%d removed items, %d removed comments; invited by ", removed_items,
                    removed_comments);
        html_text(b, author.inviter_handle[0] ? author.inviter_handle : "an admin");
        HTML_LIT(b, ")</p>");
        queue_actions(rq, &q[i]);
        HTML_LIT(b, "</li>\n");
    }
    HTML_LIT(b, "</ol>\n");
    if (mod_is_moderator(rq->user)) { /* a group's moderators act from their queue only */
        action_form(rq);
    }
    page_end(rq);
    return 0;
}

static bool form_id(struct http_request *rq, const char *name, int64_t *out)
{
    const char *v = http_form(rq, name);
    *out = 0;
    return v == NULL || v[0] == '\0' || parse_id(v, out);
}

int web_mod_act(struct http_request *rq)
{
    struct mod_request m = {.action = http_form(rq, "action"), .target = http_form(rq, "target"),
                            .reason = http_form(rq, "reason"), .title = http_form(rq, "title"),
                            .tags = http_form(rq, "tags")};
    int64_t days;
    const char *which = http_form(rq, "target_id");
    struct store_user named;
    if (m.target != NULL && strcmp(m.target, "user") == 0 && which != NULL &&
        !parse_id(which, &m.target_id)) { /* a member by handle: no page shows their id */
        int urc = store_user_by_handle(http_db(rq), &rq->arena, which, &named);
        if (urc == ERR_NOTFOUND) {
            return http_fail(rq, ERR_INVAL, "target_id", "No member has that handle.");
        }
        if (urc != 0) {
            return urc;
        }
        which = arena_printf(&rq->arena, "%lld", (long long)named.id);
    }
    m.target_id = 0;
    if ((which != NULL && which[0] != '\0' && !parse_id(which, &m.target_id)) ||
        !form_id(rq, "into", &m.into) ||
        !form_id(rq, "days", &days) || days > 365) {
        return http_fail(rq, ERR_INVAL, "target_id",
                         "Which one? An item, comment or log entry is named by its number; a "
                         "member by their handle, with \"member\" chosen under On. Days are "
                         "a whole number up to 365. Go back to correct it.");
    }
    m.days = (int)days;
    if (m.title != NULL && m.title[0] == '\0') {
        m.title = NULL;
    }
    if (m.tags != NULL && m.tags[0] == '\0') {
        m.tags = NULL;
    }
    int64_t log_id;
    struct rules_error e = {0};
    int rc = mod_act(http_db(rq), &rq->arena, rq->user, &m, rq->now, &log_id, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/moderations#m%lld", (long long)log_id));
}

/* One dashboard table: columns named by heads (3 or 4), rows from the store. */
static int dash_table(struct http_request *rq, enum store_dash which, const char *title,
                      const char *const heads[4], const char *empty)
{
    struct store_dash_row *rows;
    size_t n;
    int rc = store_dashboard(http_db(rq), &rq->arena, which, &rows, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>");
    html_text(b, title);
    HTML_LIT(b, "</h2>");
    if (n == 0) {
        HTML_LIT(b, "<p>");
        html_text(b, empty);
        HTML_LIT(b, "</p></section>\n");
        return 0;
    }
    HTML_LIT(b, "<table><thead><tr>");
    for (int k = 0; k < 4; k++) {
        if (heads[k] != NULL) {
            HTML_LIT(b, "<th>");
            html_text(b, heads[k]);
            HTML_LIT(b, "</th>");
        }
    }
    HTML_LIT(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(b, "<tr><td>");
        html_text(b, rows[i].a);
        if (heads[1] != NULL) {
            HTML_LIT(b, "</td><td>");
            html_text(b, rows[i].b);
        }
        buf_appendf(b, "</td><td>%lld</td><td>%lld</td></tr>", (long long)rows[i].x,
                    (long long)rows[i].y);
    }
    HTML_LIT(b, "</tbody></table></section>\n");
    return 0;
}

/* Listed posts the off-topic check doubted: a moderator may look, nothing is hidden. */
static int dash_topic_doubts(struct http_request *rq)
{
    struct store_dash_row *rows;
    size_t n;
    int rc = store_dashboard(http_db(rq), &rq->arena, STORE_DASH_TOPIC_DOUBTS, &rows, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>Posts the off-topic check doubts</h2>\n<p>Listed as usual: the "
                "check holds an established member's post only after learning from enough "
                "off-topic removals. Remove one as off-topic if it is, and the check learns "
                "from it.</p>\n");
    if (n == 0) {
        HTML_LIT(b, "<p>The check doubts no listed post.</p></section>\n");
        return 0;
    }
    HTML_LIT(b, "<ul>");
    for (size_t i = 0; i < n; i++) {
        buf_appendf(b, "<li><a href=\"/i/%lld\">", (long long)rows[i].x);
        html_text(b, rows[i].a);
        HTML_LIT(b, "</a> by ");
        html_text(b, rows[i].b);
        buf_appendf(b, " (looks %lld%% like this guild's posts)</li>", (long long)rows[i].y);
    }
    HTML_LIT(b, "</ul></section>\n");
    return 0;
}

/* The guild's description, as visitors see it on the front page and in the feeds. */
static int about_form(struct http_request *rq)
{
    char *about;
    int rc = store_setting_get(http_db(rq), &rq->arena, "about", &about);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>About this guild</h2>\n");
    const char *saved = http_query(rq, "saved");
    if (saved != NULL && strcmp(saved, "about") == 0) {
        HTML_LIT(b, "<p class=\"notice\" role=\"status\">Description saved: visitors see it on "
                    "the front page.</p>\n");
    }
    HTML_LIT(b, "<form class=\"stack\" method=\"post\" action=\"/admin/about\">");
    html_csrf(rq);
    buf_appendf(b, "<label for=\"about\">What the guild is for, in two or three sentences "
                   "(shown to visitors on the front page and in the Atom feeds)</label>"
                   "<textarea id=\"about\" name=\"about\" rows=\"3\" maxlength=\"%d\">",
                RULES_ABOUT_MAX);
    html_text(b, about);
    HTML_LIT(b, "</textarea><button>Save the description</button></form></section>\n");
    return 0;
}

int web_admin_about(struct http_request *rq)
{
    struct rules_error e = {0};
    int rc = rules_site_about(http_db(rq), rq->user, http_form(rq, "about"), &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    app_note_write(rq->app); /* the cached front page shows the old description */
    return http_redirect(rq, "/admin?saved=about");
}

int web_admin(struct http_request *rq)
{
    if (!mod_is_moderator(rq->user)) {
        return http_fail(rq, ERR_DENIED, NULL, "Only moderators see the dashboard.");
    }
    static const char *const pairs[4] = {"flagger", "author flagged", "flags on the author",
                                         "all flags by the flagger"};
    static const char *const unread[4] = {"member", NULL, "votes", "on things they opened"};
    static const char *const branch[4] = {"inviter", NULL, "invitees", "invitees moderated"};
    static const char *const doms[4] = {"domain", NULL, "items", "removed"};
    static const char *const spam[4] = {"member", NULL, "follows", "followers"};
    page_begin(rq, "Moderator dashboard");
    HTML_LIT(&rq->out, "<h1>Moderator dashboard</h1>\n<p>Patterns worth a look; none of them "
                       "is proof of anything.</p>\n");
    int rc = strcmp(rq->user->role, "admin") == 0 ? about_form(rq) : 0;
    rc = rc != 0 ? rc : dash_table(rq, STORE_DASH_FLAG_PAIRS, "One member flagging another's things", pairs,
                        "No member has flagged another's things three times or more.");
    if (rc == 0) {
        rc = dash_table(rq, STORE_DASH_UNREAD_VOTERS, "Many votes, few reads", unread,
                        "Nobody votes much without opening what they vote on.");
    }
    if (rc == 0) {
        rc = dash_table(rq, STORE_DASH_BRANCHES, "Invitation branches with moderated members",
                        branch, "No inviter has two or more moderated invitees.");
    }
    if (rc == 0) {
        rc = dash_table(rq, STORE_DASH_DOMAINS, "Domains with many removals", doms,
                        "No domain has had two or more items removed.");
    }
    if (rc == 0) {
        rc = dash_table(rq, STORE_DASH_FOLLOW_SPAM, "Mass following: bursts of follows, few "
                        "followers back", spam, "Nobody follows in bursts while few follow back.");
    }
    if (rc == 0) {
        rc = dash_topic_doubts(rq);
    }
    if (rc != 0) {
        return rc;
    }
    page_end(rq);
    return 0;
}
