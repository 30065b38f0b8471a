/* A member's monitoring: saved searches shown as columns side by side, each with its Atom
 * feed and alert (mail now, mail daily, or a webhook); OPML export of the directory and of
 * one's subscriptions, OPML import; the digest-by-mail switch. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/url.h"
#include "../feed/feed.h"
#include "../monitor/monitor.h"
#include "web_int.h"

#define MAX_SAVED_SEARCHES 20

int web_search_save(struct http_request *rq)
{
    const char *q = http_form(rq, "q");
    char *match = q && strlen(q) <= 500 ? monitor_search_match(&rq->arena, q) : NULL;
    if (match == NULL) {
        return http_fail(rq, ERR_INVAL, "q", "A saved search needs words to look for "
                                             "(500 characters at most).");
    }
    struct store_saved_search *list;
    size_t n;
    int rc = store_saved_searches(http_db(rq), &rq->arena, rq->user->id, &list, &n);
    if (rc != 0) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].match, match) == 0) { /* the same words: the column already exists */
            return http_redirect(rq, arena_printf(&rq->arena, "/columns?saved=exists#s%lld",
                                                  (long long)list[i].id));
        }
    }
    if (n >= MAX_SAVED_SEARCHES) {
        /* a full list is a conflict with what is stored, not a rate: waiting does not help */
        return http_fail(rq, ERR_EXISTS, "q", "You have 20 saved searches; delete one first.");
    }
    int64_t id;
    if ((rc = store_saved_search_add(http_db(rq), rq->user->id, q, match, &id)) != 0 ||
        (rc = store_saved_search_backfill(http_db(rq), id, match, rq->now)) != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/columns?saved=new#s%lld", (long long)id));
}

static void alert_form(struct http_request *rq, const struct store_saved_search *x)
{
    struct buf *b = &rq->out;
    static const char *const alerts[][2] = {{"none", "no alert"},
                                            {"email", "mail me as they arrive"},
                                            {"email-daily", "mail me once a day"},
                                            {"webhook", "POST JSON to a webhook"}};
    const char *now_set = "off";
    for (size_t i = 1; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
        now_set = strcmp(x->alert, alerts[i][0]) == 0 ? alerts[i][1] : now_set;
    }
    buf_appendf(b, "<details><summary>Alert: %s</summary><form method=\"post\" "
                   "action=\"/searches/%lld/alert\">", now_set, (long long)x->id);
    html_csrf(rq);
    buf_appendf(b, "<select name=\"alert\" aria-label=\"Alert for this column\">");
    for (size_t i = 0; i < 4; i++) {
        HTML_LIT(b, "<option value=\"");
        html_attr(b, alerts[i][0]);
        HTML_LIT(b, "\"");
        if (strcmp(x->alert, alerts[i][0]) == 0) {
            HTML_LIT(b, " selected");
        }
        HTML_LIT(b, ">");
        html_text(b, alerts[i][1]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select><input type=\"url\" name=\"webhook_url\" maxlength=\"2048\" "
                "aria-label=\"Webhook address\" placeholder=\"https://… (webhooks only)\" value=\"");
    html_attr(b, x->webhook_url);
    HTML_LIT(b, "\"><button>Save</button></form></details>");
    if (x->last_alert_error[0]) {
        HTML_LIT(b, "<p class=\"note\">Last alert failed: ");
        html_text(b, x->last_alert_error);
        HTML_LIT(b, "</p>");
    }
}

/* What saving an alert did, and what it still waits for (a confirmed address, a relay). */
static void alert_saved_notice(struct http_request *rq)
{
    const char *saved = http_query(rq, "saved");
    if (saved == NULL) {
        return;
    }
    struct buf *b = &rq->out;
    bool mail = strncmp(saved, "email", 5) == 0;
    HTML_LIT(b, "<p class=\"notice\" role=\"status\">");
    if (strcmp(saved, "exists") == 0) {
        HTML_LIT(b, "You already have that search as a column; here it is.</p>\n");
        return;
    }
    if (strcmp(saved, "new") == 0) {
        HTML_LIT(b, "Saved as a column. It shows the blog posts that match, newest first, and "
                    "collects new ones as the blogs publish them; set an alert to hear of "
                    "them.</p>\n");
        return;
    }
    if (strcmp(saved, "none") == 0) {
        HTML_LIT(b, "Alert turned off.");
    } else {
        HTML_LIT(b, "Alert saved.");
    }
    if (mail && !store_email_confirmed(http_db(rq), rq->user->id)) {
        HTML_LIT(b, " It starts once you confirm your address: see <a href=\"/settings\">"
                    "Settings</a>.");
    } else if (mail && !rq->app->mail_relay) {
        HTML_LIT(b, " This server has no mail relay set, so no mail leaves it yet: ask an "
                    "admin.");
    }
    HTML_LIT(b, "</p>\n");
}

int web_columns(struct http_request *rq)
{
    struct store_saved_search *list;
    size_t n;
    int rc = store_saved_searches(http_db(rq), &rq->arena, rq->user->id, &list, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Columns");
    HTML_LIT(b, "<h1>Columns</h1>\n<p>Your saved searches side by side, newest matches first. "
                "New posts are matched as they arrive; an alert sums up a search's new "
                "matches in one message, best first. Add one from <a href=\"/search\">search"
                "</a>.</p>\n");
    alert_saved_notice(rq);
    HTML_LIT(b, "<div class=\"columns\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_saved_search *x = &list[i];
        struct store_entry *e = NULL;
        size_t ne = 0;
        if ((rc = store_search_hits(http_db(rq), &rq->arena, x->id, false, 10, &e, &ne)) != 0) {
            return rc;
        }
        buf_appendf(b, "<section class=\"column\" id=\"s%lld\"><h2><a href=\"/search?q=",
                    (long long)x->id);
        esc_url_component(b, str_z(x->query));
        HTML_LIT(b, "\">");
        html_text(b, x->query);
        HTML_LIT(b, "</a></h2><div class=\"meta\"><a href=\"/s/");
        html_attr(b, x->token);
        HTML_LIT(b, ".atom\">Atom feed</a> · ");
        buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/searches/%lld/delete\">",
                    (long long)x->id);
        html_csrf(rq);
        HTML_LIT(b, "<button class=\"link\">delete</button></form></div>");
        alert_form(rq, x);
        HTML_LIT(b, "<ol>");
        for (size_t k = 0; k < ne; k++) {
            HTML_LIT(b, "<li><a rel=\"nofollow\" href=\"");
            html_attr(b, e[k].url);
            HTML_LIT(b, "\">");
            html_text(b, e[k].title[0] ? e[k].title : "(untitled)");
            HTML_LIT(b, "</a> <span class=\"meta\">");
            html_text(b, e[k].blog_title);
            HTML_LIT(b, " · ");
            html_age(b, e[k].published_at, rq->now);
            HTML_LIT(b, "</span></li>");
        }
        if (ne == 0) {
            HTML_LIT(b, "<li class=\"note\">No posts match yet; new ones are added as they "
                        "arrive.</li>");
        }
        HTML_LIT(b, "</ol></section>\n");
    }
    HTML_LIT(b, "</div>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"note\">No saved searches yet.</p>\n");
    }
    page_end(rq);
    return 0;
}

int web_search_alert(struct http_request *rq)
{
    int64_t id;
    id = rq->id; /* validated by the route table */
    const char *alert = http_form(rq, "alert"), *hook = http_form(rq, "webhook_url");
    static const char *const ok[] = {"none", "email", "email-daily", "webhook"};
    bool known = false;
    for (size_t i = 0; alert && i < 4; i++) {
        known |= strcmp(alert, ok[i]) == 0;
    }
    if (!known) {
        return http_fail(rq, ERR_INVAL, "alert", "Choose an alert from the list.");
    }
    if (strcmp(alert, "webhook") == 0) {
        const char *why = monitor_webhook_refusal(&rq->arena, hook);
        if (why != NULL) {
            return http_fail(rq, ERR_INVAL, "webhook_url", why);
        }
    } else {
        hook = "";
    }
    int rc = store_saved_search_alert(http_db(rq), rq->user->id, id, alert, hook);
    if (rc != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/columns?saved=%s#s%lld", alert,
                                          (long long)id));
}

int web_search_delete(struct http_request *rq)
{
    int64_t id;
    id = rq->id; /* validated by the route table */
    int rc = store_saved_search_delete(http_db(rq), rq->user->id, id);
    return rc != 0 ? rc : http_redirect(rq, "/columns");
}

int web_search_atom(struct http_request *rq)
{
    const char *token = rq->params[0];
    size_t n = strlen(token);
    if (n > 5 && strcmp(token + n - 5, ".atom") == 0) {
        token = arena_strndup(&rq->arena, token, n - 5);
    }
    struct store_saved_search x;
    int rc = store_saved_search_get(http_db(rq), &rq->arena, 0, token, &x);
    if (rc != 0) {
        return rc;
    }
    struct store_entry *e;
    size_t ne;
    if ((rc = store_search_hits(http_db(rq), &rq->arena, x.id, false, 30, &e, &ne)) != 0) {
        return rc;
    }
    const char *base = web_base_url(rq);
    atom_begin(rq, arena_printf(&rq->arena, "search \"%s\"", x.query),
               arena_printf(&rq->arena, "/s/%s.atom", x.token), ne ? e[0].published_at : 0);
    for (size_t i = 0; i < ne; i++) {
        atom_entry(rq, arena_printf(&rq->arena, "%s/entry/%lld", base, (long long)e[i].id),
                   e[i].title, e[i].url,
                   arena_printf(&rq->arena, "%s/i/%lld", base, (long long)e[i].item_id),
                   e[i].author[0] ? e[i].author : e[i].blog_title, e[i].published_at,
                   e[i].text);
    }
    atom_end(rq);
    return 0;
}

static void opml(struct http_request *rq, const char *title, const struct store_feed *f,
                 size_t n)
{
    struct buf *b = &rq->out;
    rq->content_type = "text/x-opml; charset=utf-8";
    HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n<head>"
                "<title>");
    esc_xml_text(b, str_z(title));
    HTML_LIT(b, "</title></head>\n<body>\n");
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(b, "<outline type=\"rss\" text=\"");
        esc_xml_text(b, str_z(f[i].blog_title));
        HTML_LIT(b, "\" title=\"");
        esc_xml_text(b, str_z(f[i].blog_title));
        HTML_LIT(b, "\" xmlUrl=\"");
        esc_xml_text(b, str_z(f[i].url));
        HTML_LIT(b, "\" htmlUrl=\"");
        esc_xml_text(b, str_z(f[i].blog_url));
        HTML_LIT(b, "\"/>\n");
    }
    HTML_LIT(b, "</body>\n</opml>\n");
}

int web_opml_directory(struct http_request *rq)
{
    struct store_feed *f;
    size_t n;
    int rc = store_feeds_all(http_db(rq), &rq->arena, &f, &n);
    if (rc != 0) {
        return rc;
    }
    opml(rq, arena_printf(&rq->arena, "%s: the blog directory", rq->app->cfg.site_name), f, n);
    return 0;
}

int web_opml_mine(struct http_request *rq)
{
    struct store_feed *f;
    size_t n;
    int rc = store_subscriptions(http_db(rq), &rq->arena, rq->user->id, &f, &n);
    if (rc != 0) {
        return rc;
    }
    opml(rq, arena_printf(&rq->arena, "%s's subscriptions", rq->user->handle), f, n);
    return 0;
}

int web_opml_import(struct http_request *rq)
{
    if (http_form_not_text(rq, "opml_file")) {
        return http_fail(rq, ERR_INVAL, "opml_file",
                         "That file is not text. An OPML file is the XML text a feed reader "
                         "exports (often named .opml or .xml).");
    }
    const char *text = http_form(rq, "opml_file"); /* an uploaded file wins over pasted text */
    if (text == NULL || text[0] == '\0') {
        text = http_form(rq, "opml");
    }
    if (text == NULL || text[0] == '\0') {
        return http_fail(rq, ERR_INVAL, "opml",
                         "Choose an OPML file (your feed reader exports one) or paste its text.");
    }
    struct feed_outline *o = NULL;
    size_t n = 0;
    const char *why = NULL;
    if (feed_opml_parse(&rq->arena, text, strlen(text), &o, &n, &why) != 0) {
        return http_fail(rq, ERR_INVAL, "opml", arena_printf(&rq->arena,
                                                             "That is not an OPML file: %s.", why));
    }
    struct buf *b = &rq->out;
    page_begin(rq, "OPML import");
    HTML_LIT(b, "<h1>OPML import</h1>\n<ul class=\"opml\">\n");
    int subscribed = 0;
    for (size_t i = 0; i < n; i++) {
        struct store_feed f;
        bool found = (o[i].xml_url && store_feed_by_url(http_db(rq), &rq->arena, o[i].xml_url,
                                                         &f) == 0) ||
                     (o[i].html_url && store_feed_by_url(http_db(rq), &rq->arena, o[i].html_url,
                                                          &f) == 0);
        HTML_LIT(b, "<li>");
        html_text(b, o[i].title ? o[i].title : o[i].xml_url);
        bool added = false;
        if (found && store_subscribe(http_db(rq), rq->user->id, f.id, rq->now, &added) == 0) {
            subscribed++;
            buf_appendf(b, ": %s (<a href=\"/i/%lld\">in the directory</a>)",
                        added ? "subscribed" : "already subscribed", (long long)f.item_id);
        } else {
            HTML_LIT(b, ": not in the directory — <a href=\"/submit?kind=blog&amp;url=");
            esc_url_component(b, str_z(o[i].html_url ? o[i].html_url : o[i].xml_url));
            HTML_LIT(b, "&amp;feed_url=");
            esc_url_component(b, str_z(o[i].xml_url));
            HTML_LIT(b, "&amp;title=");
            esc_url_component(b, str_z(o[i].title));
            HTML_LIT(b, "\">nominate it</a>");
        }
        HTML_LIT(b, "</li>\n");
    }
    HTML_LIT(b, "</ul>\n");
    buf_appendf(b, "<p>%d of %zu subscribed. <a href=\"/settings\">Back to settings</a></p>\n",
                subscribed, n);
    page_end(rq);
    return 0;
}

int web_settings_digest(struct http_request *rq)
{
    bool on = http_form(rq, "digest") != NULL;
    int rc = store_digest_optin(http_db(rq), rq->user->id, on);
    return rc != 0 ? rc : http_redirect(rq, "/settings?saved=digest");
}

void web_send_confirmation(struct http_request *rq, int64_t user_id, const char *email)
{
    char token[33];
    if (store_email_token_new(http_db(rq), user_id, token) != 0) {
        return;
    }
    const char *body = arena_printf(&rq->arena,
                                    "Confirm that this is your address for %s:\r\n\r\n"
                                    "%s/verify/%s\r\n\r\nAlerts and the digest are mailed "
                                    "only to confirmed addresses.\r\n",
                                    rq->app->cfg.site_name, web_base_url(rq), token);
    if (store_mail_queue(http_db(rq), email, WEB_CONFIRM_SUBJECT, body, rq->now) != 0) {
        log_warn("could not queue the confirmation mail for member %lld", (long long)user_id);
    }
}

int web_verify_email(struct http_request *rq)
{
    int64_t uid;
    int rc = store_email_confirm(http_db(rq), rq->params[0], &uid);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    struct buf *b = &rq->out;
    if (rc == ERR_NOTFOUND) {
        rq->status = 404;
    }
    page_begin(rq, "Email address");
    if (rc == 0) {
        HTML_LIT(b, "<h1>Address confirmed</h1>\n<p>Alerts and the digest can now be mailed "
                    "to you. <a href=\"/settings\">Settings</a></p>\n");
    } else {
        HTML_LIT(b, "<h1>Link not valid</h1>\n<p>This confirmation link is unknown or was "
                    "used already; Settings can send a new one.</p>\n");
    }
    page_end(rq);
    return 0;
}

int web_settings_confirm(struct http_request *rq)
{
    if (store_email_confirmed(http_db(rq), rq->user->id)) {
        return web_settings_notice(rq, NULL, "Your address is already confirmed.");
    }
    /* at most WEB_CONFIRM_PER_HOUR to one address (stored, so a restart forgets nothing) and
     * as many per account (the "confirm" rate limit): the link cannot be used to flood a
     * stranger's inbox */
    int sent = 0;
    int rc = store_mail_count_recent(http_db(rq), rq->user->email, WEB_CONFIRM_SUBJECT,
                                     rq->now - 3600, &sent);
    if (rc != 0) {
        return rc;
    }
    if (sent >= WEB_CONFIRM_PER_HOUR || !app_rate_allow(rq->app, rq, APP_CONFIRM)) {
        http_add_header(rq, "Retry-After", "3600");
        web_form_status(rq, ERR_LIMIT);
        return web_settings_notice(rq, "Confirmation links were already sent three times in the "
                                       "last hour, the most we send. Look for one in your mail "
                                       "(and its spam folder), or try again in an hour.", NULL);
    }
    web_send_confirmation(rq, rq->user->id, rq->user->email);
    if (!rq->app->mail_relay) {
        return web_settings_notice(rq, NULL, "A new confirmation link is written, but this "
                                             "server has no mail relay set, so no mail leaves "
                                             "it: ask an admin to set one (guild serve --smtp).");
    }
    return web_settings_notice(rq, NULL, "We sent a new confirmation link. At most three are "
                                         "sent in an hour.");
}

/* The blogs the member follows (an OPML import adds to them), shown where they manage them. */
static void subscriptions_line(struct http_request *rq)
{
    struct store_feed *f;
    size_t n;
    struct buf *b = &rq->out;
    if (store_subscriptions(http_db(rq), &rq->arena, rq->user->id, &f, &n) != 0 || n == 0) {
        HTML_LIT(b, "<p>You follow no blogs yet: import a reading list below, or follow blogs "
                    "from the <a href=\"/directory\">directory</a>.</p>\n");
        return;
    }
    buf_appendf(b, "<p>You follow %zu blog%s: ", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        buf_appendf(b, "%s<a href=\"/i/%lld\">", i ? ", " : "", (long long)f[i].item_id);
        html_text(b, f[i].blog_title[0] ? f[i].blog_title : f[i].url);
        HTML_LIT(b, "</a>");
    }
    HTML_LIT(b, ".</p>\n");
}

void html_settings_monitoring(struct http_request *rq)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>Digest and reading list</h2>\n<div class=\"email-status\">Email ");
    html_text(b, rq->user->email);
    if (store_email_confirmed(http_db(rq), rq->user->id)) {
        HTML_LIT(b, ": confirmed.</div>\n");
    } else {
        HTML_LIT(b, ": not confirmed yet; alerts and the digest wait for it. "
                    "<form class=\"inline\" method=\"post\" action=\"/settings/confirm\">");
        html_csrf(rq);
        HTML_LIT(b, "<button class=\"link\">Send the link again</button></form></div>\n");
    }
    HTML_LIT(b, "<form method=\"post\" action=\"/settings/digest\">");
    html_csrf(rq);
    HTML_LIT(b, "<label class=\"tag\"><input type=\"checkbox\" name=\"digest\" value=\"1\"");
    if (store_digest_opted_in(http_db(rq), rq->user->id)) {
        HTML_LIT(b, " checked");
    }
    HTML_LIT(b, "> Mail me the daily digest (at most 10 posts and links, then it ends)</label> "
                "<button>Save</button></form>\n");
    subscriptions_line(rq);
    HTML_LIT(b, "<form method=\"post\" action=\"/settings/opml\" "
                "enctype=\"multipart/form-data\">");
    html_csrf(rq);
    HTML_LIT(b, "<fieldset><legend>Import your reading list (OPML, up to 1 MB)</legend>"
                "<p class=\"hint\">Blogs in the directory become your subscriptions; the others "
                "can be nominated.</p><label for=\"opml_file\">An OPML file from your feed "
                "reader</label><input type=\"file\" id=\"opml_file\" name=\"opml_file\" "
                "accept=\".opml,.xml,text/x-opml,text/xml,application/xml\">"
                "<label for=\"opml\">or paste its text</label>"
                "<textarea id=\"opml\" name=\"opml\" rows=\"4\"></textarea>"
                "<button>Import</button></fieldset></form>\n<p><a href=\"/settings/subscriptions.opml\">"
                "Export your subscriptions</a> · <a href=\"/directory.opml\">Export the "
                "directory</a> (OPML)</p>\n");
}
