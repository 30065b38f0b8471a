/* Competition pages: the moderators' form that opens one, its page (rules, windows, the
 * results with every place explained, the entry form and the judges' score forms) and the
 * form actions behind them. Times on forms are UTC. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

void html_competition_form(struct http_request *rq, const char *slug)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<details class=\"compete\"><summary>Open a competition</summary><form "
                "method=\"post\" class=\"stack\" action=\"/g/");
    esc_url_component(b, str_z(slug));
    HTML_LIT(b, "/competitions\">");
    html_csrf(rq);
    html_field_max(b, "ctitle", "Title", "text", NULL, "off", true, NULL, RULES_TITLE_MAX);
    HTML_LIT(b, "<label for=\"rules\">Rules</label><textarea id=\"rules\" name=\"rules\" rows=\"3\" "
                "maxlength=\"10000\"></textarea>");
    html_field(b, "entry_start", "Entries open (UTC)", "datetime-local", NULL, "off", true, NULL);
    html_field(b, "entry_end", "Entries close (UTC)", "datetime-local", NULL, "off", true, NULL);
    html_field(b, "vote_start", "Voting opens (UTC)", "datetime-local", NULL, "off", true, NULL);
    html_field(b, "vote_end", "Voting closes (UTC)", "datetime-local", NULL, "off", true, NULL);
    HTML_LIT(b, "<label for=\"voters\">Who votes</label><select id=\"voters\" name=\"voters\">"
                "<option value=\"members\">Members of the group</option><option "
                "value=\"customers\">Customers only</option></select>");
    html_field(b, "judges", "Judges (handles, separated by spaces)", "text", NULL, "off", false, NULL);
    HTML_LIT(b, "<label for=\"judge_weight\">Judges' weight, 0 to 1</label><input "
                "id=\"judge_weight\" name=\"judge_weight\" type=\"number\" min=\"0\" max=\"1\" "
                "step=\"0.05\" value=\"0\" aria-describedby=\"judge_weight-hint\"><p "
                "class=\"hint\" id=\"judge_weight-hint\">0.3 means the judges' mean score makes "
                "30% of an entry's score.</p>");
    HTML_LIT(b, "<button>Open the competition</button></form></details>\n");
}

/* "2026-12-03T16:05" (UTC) -> Unix seconds; -1 when malformed. */
static int64_t form_time(struct http_request *rq, const char *name)
{
    const char *s = http_form(rq, name);
    struct tm tm = {0};
    int n = 0;
    if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &n) != 5 ||
        (s[n] != '\0' && !(s[n] == ':' && strspn(s + n + 1, "0123456789") == strlen(s + n + 1))) ||
        tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_hour < 0 || tm.tm_min < 0) {
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

/* Handles separated by spaces or commas. OUT: an array in rq's arena. */
static size_t split_handles(struct http_request *rq, const char *s, const char ***out)
{
    size_t n = 0, cap = RULES_JUDGE_MAX + 1;
    *out = arena_alloc(&rq->arena, cap * sizeof(**out));
    while (s != NULL && *s && n < cap) {
        s += strspn(s, " ,");
        size_t len = strcspn(s, " ,");
        if (len > 0) {
            (*out)[n++] = arena_strndup(&rq->arena, s, len);
        }
        s += len;
    }
    return n;
}

int web_competition_create(struct http_request *rq)
{
    struct store_group g;
    struct rules_error e = {0};
    const char **judges;
    int64_t id;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc != 0) {
        return rc;
    }
    const char *w = http_form(rq, "judge_weight");
    char *end = NULL;
    struct store_competition in = {.title = http_form(rq, "ctitle"), .rules = http_form(rq, "rules"),
                                   .voters = http_form(rq, "voters"),
                                   .entry_start = form_time(rq, "entry_start"),
                                   .entry_end = form_time(rq, "entry_end"),
                                   .vote_start = form_time(rq, "vote_start"),
                                   .vote_end = form_time(rq, "vote_end"),
                                   .judge_weight = w && w[0] ? strtod(w, &end) : 0.0};
    if (end != NULL && *end != '\0') {
        return http_fail(rq, ERR_INVAL, "judge_weight", "The judges' weight is a number from 0 to 1.");
    }
    size_t nj = split_handles(rq, http_form(rq, "judges"), &judges);
    rc = rules_competition_create(http_db(rq), &rq->arena, rq->user, &g, &in,
                                  (const char *const *)judges, nj, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/competitions/%lld", (long long)id));
}

/* "Entries 3 Dec 16:05 to 10 Dec 16:05 UTC". */
static void window(struct buf *b, const char *what, int64_t from, int64_t to)
{
    char f[32], t[32];
    time_t x = (time_t)from, y = (time_t)to;
    struct tm tf, tt;
    strftime(f, sizeof(f), "%d %b %Y %H:%M", gmtime_r(&x, &tf));
    strftime(t, sizeof(t), "%d %b %Y %H:%M", gmtime_r(&y, &tt));
    buf_appendf(b, "%s %s to %s UTC", what, f, t);
}

static void entry_row(struct http_request *rq, const struct app_competition_page *p,
                      const struct app_entry *e)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<li class=\"entry item\" id=\"e%lld\">", (long long)e->it.id);
    html_item_vote_box(rq, &e->it, false);
    buf_appendf(b, "<div class=\"body\"><h3>%d. ", e->place);
    HTML_LIT(b, "<a href=\"/i/");
    html_num(b, e->it.id);
    HTML_LIT(b, "\">");
    html_text(b, e->it.title);
    HTML_LIT(b, "</a></h3><p class=\"meta\">by ");
    html_text(b, e->it.user_handle);
    buf_appendf(b, " · score %.3f</p><ul class=\"why\">", e->score);
    for (size_t k = 0; k < e->nwhy; k++) {
        HTML_LIT(b, "<li>");
        html_text(b, e->why[k]);
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><p><a href=\"/why/");
    html_num(b, e->it.id);
    HTML_LIT(b, "\">How its votes were weighed</a></p>");
    if (p->judge) {
        buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/competitions/%lld/score\">",
                    (long long)p->c.id);
        html_csrf(rq);
        buf_appendf(b, "<input type=\"hidden\" name=\"item\" value=\"%lld\"><label for=\"s%lld\">"
                       "Your score (0-10)</label> <input id=\"s%lld\" name=\"score\" "
                       "type=\"number\" min=\"0\" max=\"10\" step=\"0.5\" required> "
                       "<button>Score</button></form>",
                    (long long)e->it.id, (long long)e->it.id, (long long)e->it.id);
    }
    HTML_LIT(b, "</div></li>\n");
}

static void entry_form(struct http_request *rq, const struct app_competition_page *p)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<form method=\"post\" action=\"/competitions/%lld/enter\" class=\"stack\">"
                   "<fieldset><legend>Enter</legend>", (long long)p->c.id);
    html_csrf(rq);
    html_field_max(b, "title", "Title", "text", NULL, "off", true, NULL, RULES_TITLE_MAX);
    html_field(b, "url", "Address of your entry", "url", NULL, "off", true, NULL);
    HTML_LIT(b, "<label for=\"text\">About it</label><textarea id=\"text\" name=\"text\" "
                "rows=\"3\" maxlength=\"10000\"></textarea><button>Submit the entry</button>"
                "</fieldset></form>\n");
}

int web_competition(struct http_request *rq)
{
    struct app_competition_page p;
    int rc = app_competition_page(rq, rq->id, &p);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, p.c.title);
    HTML_LIT(b, "<h1>");
    html_text(b, p.c.title);
    HTML_LIT(b, "</h1>\n<p class=\"meta\">In <a ");
    html_href(b, "/g/", p.c.group_slug);
    HTML_LIT(b, ">");
    html_text(b, p.c.group_slug);
    buf_appendf(b, "</a> · now: %s · voters: %s · judges' weight %.2f</p>\n<p class=\"meta\">",
                p.phase, p.c.voters, p.c.judge_weight);
    window(b, "Entries", p.c.entry_start, p.c.entry_end);
    HTML_LIT(b, " · ");
    window(b, "voting", p.c.vote_start, p.c.vote_end);
    HTML_LIT(b, "</p>\n<p>");
    html_text(b, p.c.rules);
    HTML_LIT(b, "</p>\n");
    if (p.role.member && (strcmp(p.phase, "entries") == 0 ||
                          strcmp(p.phase, "entries and voting") == 0)) {
        entry_form(rq, &p);
    }
    buf_appendf(b, "<h2>%s</h2>\n", strcmp(p.phase, "closed") == 0 ? "Results" : "Results so far");
    if (p.nentries == 0) {
        HTML_LIT(b, "<p class=\"empty\">No entries yet.</p>\n");
    }
    HTML_LIT(b, "<ol class=\"results\">\n");
    for (size_t k = 0; k < p.nentries; k++) {
        entry_row(rq, &p, &p.entries[k]);
    }
    HTML_LIT(b, "</ol>\n");
    page_end(rq);
    return 0;
}

int web_competition_enter(struct http_request *rq)
{
    struct store_competition c;
    struct store_group g;
    struct rules_error e = {0};
    int64_t id = 0;
    int rc = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (rc == 0) {
        rc = store_competition_get(http_db(rq), &rq->arena, rq->id, &c);
    }
    if (rc == 0) {
        rc = store_group_get_id(http_db(rq), &rq->arena, c.group_id, &g);
    }
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? http_fail(rq, rc, "id", "No such competition.") : rc;
    }
    struct rules_submission in = {.kind = "link", .url = http_form(rq, "url"),
                                  .title = http_form(rq, "title"), .text = http_form(rq, "text"),
                                  .tags = "", .group = &g, .competition_id = c.id};
    rc = rules_submit(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    app_note_write(rq->app);
    return http_redirect(rq, arena_printf(&rq->arena, "/competitions/%lld#e%lld", (long long)c.id,
                                          (long long)id));
}

int web_competition_score(struct http_request *rq)
{
    struct rules_error e = {0};
    int64_t item;
    const char *it = http_form(rq, "item"), *s = http_form(rq, "score");
    char *end = NULL;
    double score = s && s[0] ? strtod(s, &end) : -1.0;
    if (it == NULL || !parse_id(it, &item) || end == NULL || *end != '\0') {
        return http_fail(rq, ERR_INVAL, "score", "Give a score from 0 to 10.");
    }
    struct store_item entry;
    int rc = store_item_get(http_db(rq), &rq->arena, item, 0, &entry);
    if (rc == ERR_NOTFOUND || (rc == 0 && entry.competition_id != rq->id)) {
        return http_fail(rq, ERR_NOTFOUND, "item", "No such entry in this competition.");
    }
    if (rc == 0) {
        rc = rules_judge_score(http_db(rq), &rq->arena, rq->user, item, score, rq->now, &e);
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/competitions/%lld#e%lld",
                                          (long long)rq->id, (long long)item));
}
