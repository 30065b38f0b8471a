/* The member's privacy pages (/settings/privacy, /settings/export, /settings/delete) and
 * sign-up in one field (/subscribe, its confirmation and the one-click unsubscribe). */
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

static void html_date(struct buf *b, int64_t t)
{
    char day[16];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    html_text(b, day);
}

static void org_kind_form(struct http_request *rq, const char *kind)
{
    static const char *const kinds[][2] = {{"", "I'd rather not say"},
                                           {"vendor", "A vendor (we sell)"},
                                           {"buyer", "A buyer (we buy)"},
                                           {"independent", "Independent"}};
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>Your organisation</h2><p>Authors see how many of their readers "
                "work for vendors, buyers or on their own, never who.</p>"
                "<form class=\"stack narrow\" method=\"post\" action=\"/settings/privacy\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"action\" value=\"org-kind\">"
                "<label for=\"org-kind\">My organisation is</label>"
                "<select id=\"org-kind\" name=\"org_kind\">");
    for (size_t i = 0; i < 4; i++) {
        HTML_LIT(b, "<option value=\"");
        html_attr(b, kinds[i][0]);
        buf_appendf(b, "\"%s>", strcmp(kind, kinds[i][0]) == 0 ? " selected" : "");
        html_text(b, kinds[i][1]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select><button>Save</button></form></section>\n");
}

static int consents_section(struct http_request *rq)
{
    struct store_consent *c;
    struct store_lead_export *x;
    size_t nc, nx;
    struct store *db = http_db(rq);
    int rc = store_consents(db, &rq->arena, rq->user->id, true, &c, &nc);
    if (rc == 0) {
        rc = store_lead_exports(db, &rq->arena, rq->user->id, &x, &nx);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>Who may contact you</h2><p>An organisation you allow may export "
                "your name, handle, email and affiliation to contact you. You can withdraw at "
                "any time; every export is listed below.</p>\n");
    if (nc == 0) {
        HTML_LIT(b, "<p>You have allowed no organisation.</p>\n");
    }
    HTML_LIT(b, "<ul>");
    for (size_t i = 0; i < nc; i++) {
        HTML_LIT(b, "<li>");
        html_text(b, c[i].org);
        HTML_LIT(b, ", since ");
        html_date(b, c[i].granted_at);
        HTML_LIT(b, " <form class=\"inline\" method=\"post\" action=\"/settings/privacy\">");
        html_csrf(rq);
        HTML_LIT(b, "<input type=\"hidden\" name=\"action\" value=\"withdraw\">"
                    "<input type=\"hidden\" name=\"org\" value=\"");
        html_attr(b, c[i].org);
        HTML_LIT(b, "\"><button>Withdraw</button></form></li>");
    }
    HTML_LIT(b, "</ul><form class=\"stack narrow\" method=\"post\" action=\"/settings/privacy\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"action\" value=\"allow\">");
    html_field(b, "org", "Organisation's domain", "text", NULL, "off", true, "like acme.example");
    HTML_LIT(b, "<button>Allow it to contact me</button></form>\n<h3>Exports of your contact</h3>");
    if (nx == 0) {
        HTML_LIT(b, "<p>No organisation has exported your contact.</p>");
    }
    HTML_LIT(b, "<ul class=\"export-log\">");
    for (size_t i = 0; i < nx; i++) {
        HTML_LIT(b, "<li>");
        html_text(b, x[i].org);
        HTML_LIT(b, " exported your contact on ");
        html_date(b, x[i].at);
        html_text(b, strcmp(x[i].how, "webhook") == 0 ? " (pushed to its system)" : "");
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul></section>\n");
    return 0;
}

static int render_privacy(struct http_request *rq, const char *error, const char *notice)
{
    const char *kind;
    bool org_admin;
    int rc = store_user_org_get(http_db(rq), &rq->arena, rq->user->id, &kind, &org_admin);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Privacy");
    HTML_LIT(b, "<h1>Privacy</h1>\n");
    html_error_box(b, error);
    if (notice != NULL) {
        HTML_LIT(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        HTML_LIT(b, "</p>\n");
    }
    org_kind_form(rq, kind);
    rc = consents_section(rq);
    if (rc == 0 && org_admin) {
        HTML_LIT(b, "<section><h2>Your organisation's contacts</h2><p>As an org-admin you may "
                    "<a href=\"/api/v1/leads.csv\">download the members who allowed your "
                    "organisation to contact them</a> (CSV). Each of them sees the export.</p>"
                    "</section>\n");
    }
    page_end(rq);
    return rc;
}

int web_settings_privacy(struct http_request *rq)
{
    const char *saved = http_query(rq, "saved");
    return render_privacy(rq, NULL, saved != NULL ? "Saved." : NULL);
}

int web_settings_privacy_post(struct http_request *rq)
{
    const char *action = http_form(rq, "action");
    struct rules_error e = {0};
    const char *org;
    int rc;
    if (action != NULL && strcmp(action, "org-kind") == 0) {
        rc = rules_org_kind(http_db(rq), rq->user, http_form(rq, "org_kind"), &e);
    } else if (action != NULL && (strcmp(action, "allow") == 0 || strcmp(action, "withdraw") == 0)) {
        if ((rc = app_rate_limit(rq->app, rq, APP_CONNECT)) != 0) {
            return rc;
        }
        rc = rules_consent(http_db(rq), &rq->arena, rq->user, http_form(rq, "org"),
                           strcmp(action, "allow") == 0, rq->now, &org, &e);
    } else {
        rc = rules_fail(&e, ERR_INVAL, "action", "Choose what to change.");
    }
    if (rc == ERR_INVAL) {
        web_form_status(rq, rc);
        return render_privacy(rq, e.message, NULL);
    }
    return rc != 0 ? app_rules_fail(rq, rc, &e) : http_redirect(rq, "/settings/privacy?saved=1");
}

int web_settings_export(struct http_request *rq)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Export your data");
    HTML_LIT(b, "<h1>Export your data</h1>\n<p>One JSON file with everything Guild stores about "
                "you: your profile, invitations, items, comments, answers, votes, opens and "
                "reads, saves, follows, connections, messages, saved searches, groups, consents "
                "and every export of your contact.</p>\n<p><a class=\"button\" "
                "href=\"/api/v1/me/export\" download>Download my data (JSON)</a></p>\n");
    page_end(rq);
    return 0;
}

static void render_delete(struct http_request *rq, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Delete your account");
    HTML_LIT(b, "<h1>Delete your account</h1>\n");
    html_error_box(b, error);
    HTML_LIT(b, "<p>Your email, password, name and organisation are erased; your sessions and "
                "API tokens end; your votes stop counting from the next ranking run; your "
                "follows, messages, saves and consents go. This cannot be undone. "
                "<a href=\"/settings/export\">Export your data</a> first if you want a copy."
                "</p>\n<form class=\"stack narrow\" method=\"post\" action=\"/settings/delete\">");
    html_csrf(rq);
    HTML_LIT(b, "<fieldset><legend>Your comments</legend>"
                "<label><input type=\"radio\" name=\"comments\" value=\"keep\" checked> Keep "
                "them, signed \"[deleted member]\", so threads stay readable</label>"
                "<label><input type=\"radio\" name=\"comments\" value=\"remove\"> Remove them"
                "</label></fieldset>");
    html_field(b, "password", "Your password", "password", NULL, "current-password", true, NULL);
    HTML_LIT(b, "<button class=\"danger\">Delete my account</button></form>\n");
    page_end(rq);
}

int web_settings_delete_form(struct http_request *rq)
{
    render_delete(rq, NULL);
    return 0;
}

int web_settings_delete(struct http_request *rq)
{
    const char *comments = http_form(rq, "comments");
    bool pending;
    int rc = app_account_delete(rq, http_form(rq, "password"),
                                comments != NULL && strcmp(comments, "remove") == 0, &pending);
    if (pending) {
        return rc;
    }
    if (rc == ERR_INVAL || rc == ERR_DENIED || rc == ERR_LIMIT) {
        web_form_status(rq, rc);
        render_delete(rq, rq->err_message);
        return 0;
    }
    if (rc != 0) {
        return rc;
    }
    http_set_cookie(rq, HTTP_SESSION_COOKIE, "", -1);
    rq->user = NULL;
    struct buf *b = &rq->out;
    page_begin(rq, "Account deleted");
    HTML_LIT(b, "<h1>Your account is deleted</h1>\n<p role=\"status\">Thank you for what you "
                "gave the guild. You are signed out.</p>\n");
    page_end(rq);
    return 0;
}
