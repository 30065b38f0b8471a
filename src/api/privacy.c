/* The member's own data and what leaves Guild: the JSON export, account deletion, the
 * organisation's consenting contacts as CSV, webhooks with their delivery log, and
 * subscriptions by mail. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../monitor/monitor.h"
#include "api_int.h"

int api_me_export(struct http_request *rq)
{
    json_t *data;
    int rc = store_member_export(http_db(rq), rq->user->id, &data);
    if (rc != 0) {
        return rc;
    }
    json_object_set_new(data, "exported_at", json_integer(rq->now));
    char *text = json_dumps(data, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(data);
    if (text == NULL) {
        return ERR_NOMEM;
    }
    rq->status = 200;
    rq->content_type = "application/json";
    http_add_header(rq, "Content-Disposition",
                    arena_printf(&rq->arena, "attachment; filename=\"guild-%s.json\"",
                                 rq->user->handle));
    buf_append(&rq->out, text, strlen(text));
    free(text);
    return 0;
}

/* {"password": P, "comments": "keep"|"remove"} */
int api_me_delete(struct http_request *rq)
{
    const char *pw = NULL, *comments = NULL;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "password", &pw);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "comments", &comments);
    }
    if (rc == 0 && comments != NULL && strcmp(comments, "keep") != 0 &&
        strcmp(comments, "remove") != 0) {
        rc = http_fail(rq, ERR_INVAL, "comments", "comments is keep or remove.");
    }
    if (rc != 0) {
        return rc;
    }
    bool pending;
    bool remove = comments != NULL && strcmp(comments, "remove") == 0;
    rc = app_account_delete(rq, pw, remove, &pending);
    if (pending || rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kbool(&w, "deleted", true);
    json_w_kstr(&w, "comments", remove ? "removed" : "kept as [deleted member]");
    json_w_end(&w, '}');
    return 0;
}

/* A CSV field, quoted, with a leading = + - @ made inert for spreadsheets (formula
 * injection from a member's own name). */
static void csv_field(struct buf *b, const char *s, bool last)
{
    buf_appendc(b, '"');
    const char *lead = s + strspn(s, " \t\r\n"); /* spreadsheets skip leading blanks too */
    if (strchr("=+-@", lead[0]) != NULL && lead[0] != '\0') {
        buf_appendc(b, '\'');
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            buf_appendc(b, '"');
        }
        buf_appendc(b, *p);
    }
    buf_appendz(b, last ? "\"\r\n" : "\",");
}

int api_leads_csv(struct http_request *rq)
{
    struct rules_error e = {0};
    const char *kind, *org;
    bool org_admin;
    struct store *db = http_db(rq);
    int rc = store_user_org_get(db, &rq->arena, rq->user->id, &kind, &org_admin);
    if (rc == 0 && (rc = rules_leads_org(rq->user, org_admin, &org, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_lead *leads;
    size_t n;
    if (rc != 0 || (rc = store_leads(db, &rq->arena, org, &leads, &n)) != 0) {
        return rc;
    }
    /* every row leaves with a record the member sees ("ORG exported your contact") */
    if ((rc = rules_leads_exported(db, leads, n, org, rq->user, rq->now)) != 0) {
        return rc;
    }
    rq->status = 200;
    rq->content_type = "text/csv; charset=utf-8";
    http_add_header(rq, "Content-Disposition",
                    arena_printf(&rq->arena, "attachment; filename=\"leads-%s.csv\"", org));
    buf_appendz(&rq->out, "handle,name,email,affiliation,consented_at\r\n");
    for (size_t i = 0; i < n; i++) {
        char when[32];
        time_t t = (time_t)leads[i].granted_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        csv_field(&rq->out, leads[i].handle, false);
        csv_field(&rq->out, leads[i].name, false);
        csv_field(&rq->out, leads[i].email, false);
        csv_field(&rq->out, leads[i].affiliation, false);
        csv_field(&rq->out, when, true);
    }
    return 0;
}

/* {"url": U, "events": [NAME...], "secret": S} */
int api_webhook_create(struct http_request *rq)
{
    const char *url = NULL, *secret = NULL, *csv;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "url", &url);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "secret", &secret);
    }
    json_t *ev = rc == 0 ? json_object_get(rq->json, "events") : NULL;
    size_t n = json_is_array(ev) ? json_array_size(ev) : 0;
    const char **names = arena_alloc(&rq->arena, (n + 1) * sizeof(*names));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        names[i] = json_string_value(json_array_get(ev, i));
        if (names[i] == NULL) {
            rc = http_fail(rq, ERR_INVAL, "events", "events is a list of event names.");
        }
    }
    if (rc == 0 && !json_is_array(ev)) {
        rc = http_fail(rq, ERR_INVAL, "events", "events is a list of event names.");
    }
    if (rc != 0) {
        return rc;
    }
    struct rules_error e = {0};
    const char *kind;
    bool org_admin;
    struct store *db = http_db(rq);
    if ((rc = rules_webhook_events(&rq->arena, names, n, &csv, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    if ((rc = store_user_org_get(db, &rq->arena, rq->user->id, &kind, &org_admin)) != 0) {
        return rc;
    }
    struct store_webhook hook = {.url = url, .events = csv, .secret = secret,
                                 .created_at = rq->now};
    int64_t id;
    rc = rules_webhook_new(db, rq->user, org_admin, &hook,
                           monitor_webhook_refusal(&rq->arena, url), &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", id);
    json_w_kstr(&w, "url", url);
    json_w_key(&w, "events");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_str(&w, names[i]);
    }
    json_w_end(&w, ']');
    json_w_kstr(&w, "org", hook.org);
    json_w_ki64(&w, "created_at", rq->now);
    json_w_end(&w, '}');
    return 0;
}

int api_webhook_deliveries(struct http_request *rq)
{
    struct rules_error e = {0};
    struct store_webhook hook;
    int rc = rules_webhook_mine(http_db(rq), &rq->arena, rq->user, rq->id, &hook, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_delivery *d;
    size_t n;
    if ((rc = store_deliveries_of(http_db(rq), &rq->arena, hook.id, 100, &d, &n)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "webhook_id", hook.id);
    json_w_key(&w, "deliveries");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_begin_object(&w);
        json_w_ki64(&w, "id", d[i].id);
        json_w_kstr(&w, "event", d[i].event);
        json_w_kstr(&w, "status", d[i].status);
        json_w_ki64(&w, "attempts", d[i].attempts);
        json_w_ki64(&w, "last_status", d[i].last_status);
        json_w_kstr(&w, "last_error", d[i].last_error);
        json_w_ki64(&w, "created_at", d[i].created_at);
        json_w_ki64(&w, "delivered_at", d[i].delivered_at);
        json_w_ki64(&w, "next_attempt_at", d[i].next_attempt_at);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* {"email": E, "name": N, "what": "digest"|"blog"|"search", "target": T}: 202, a mail. */
int api_subscribe(struct http_request *rq)
{
    const char *email = NULL, *name = NULL, *what = NULL, *target = NULL;
    int rc = api_need_json(rq);
    const char *keys[] = {"email", "name", "what", "target"};
    const char **vals[] = {&email, &name, &what, &target};
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        rc = api_json_str(rq, keys[i], vals[i]);
    }
    bool already = false;
    if (rc == 0) {
        rc = app_subscribe(rq, email, name, what != NULL ? what : "digest", target, &already);
    }
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 202);
    json_w_begin_object(&w);
    json_w_kstr(&w, "email", email);
    /* the same answer whether the address was subscribed already or not */
    (void)already;
    json_w_kstr(&w, "status", "check your mail");
    json_w_end(&w, '}');
    return 0;
}
