/* Alerts and mail: one message per saved search summarising its new matches ranked by
 * quality (a webhook POST of JSON, or a mail now or once a day), the daily digest mail for
 * members who asked for it, and the SMTP sender that drains the outbox with retries. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/err.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../feed/feed.h"
#include "../fetch/fetch.h"
#include "monitor.h"

#define ALERT_MAX_MATCHES 20

static const char *site(const struct monitor_options *o)
{
    return o->base_url ? o->base_url : "http://127.0.0.1:8080";
}

static void webhook_body(struct buf *b, const struct monitor_options *o,
                         const struct store_saved_search *x, const struct store_entry *e,
                         size_t n)
{
    struct json_w w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_key(&w, "search");
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", x->id);
    json_w_kstr(&w, "query", x->query);
    json_w_end(&w, '}');
    json_w_ki64(&w, "count", (int64_t)n);
    json_w_key(&w, "matches");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        char when[32];
        feed_format_date(e[i].published_at, when, sizeof(when));
        json_w_begin_object(&w);
        json_w_kstr(&w, "title", e[i].title);
        json_w_kstr(&w, "url", e[i].url);
        json_w_kstr(&w, "blog", e[i].blog_title);
        json_w_kstr(&w, "published", when);
        json_w_kf64(&w, "quality", e[i].quality);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    char column[512];
    snprintf(column, sizeof(column), "%s/columns", site(o));
    json_w_kstr(&w, "column", column);
    json_w_end(&w, '}');
}

static void mail_body(struct buf *b, const struct monitor_options *o,
                      const struct store_saved_search *x, const struct store_entry *e, size_t n)
{
    buf_appendf(b, "%zu new match%s for your saved search \"%s\", best first:\r\n\r\n", n,
                n == 1 ? "" : "es", x->query);
    for (size_t i = 0; i < n; i++) {
        buf_appendf(b, "%zu. %s\r\n   %s (%s)\r\n\r\n", i + 1, e[i].title, e[i].url,
                    e[i].blog_title);
    }
    buf_appendf(b, "All your columns: %s/columns\r\n", site(o));
}

static int alert_one(struct store *s, struct arena *a, const struct monitor_options *o,
                     const struct store_saved_search *x, int64_t now, struct monitor_stats *st)
{
    bool daily = strcmp(x->alert, "email-daily") == 0;
    if (daily && x->last_alert_at > now - 86400) {
        return 0; /* once a day */
    }
    struct store_entry *e = NULL;
    size_t n = 0;
    int rc = store_search_hits(s, a, x->id, true, ALERT_MAX_MATCHES, &e, &n);
    if (rc != 0 || n == 0) {
        return rc;
    }
    struct buf b;
    buf_init(&b, 0);
    const char *error = NULL;
    if (strcmp(x->alert, "webhook") == 0) {
        webhook_body(&b, o, x, e, n);
        struct fetch_options fo;
        fetch_options_default(&fo);
        fo.post_body = buf_cstr(&b);
        fo.post_type = "application/json";
        fo.allow_loopback = o->allow_loopback;
        fo.max_bytes = 64 * 1024;
        fo.timeout_ms = 10000;
        struct fetch_result r;
        int frc = fetch_url(x->webhook_url, &fo, &r);
        if (frc != 0) {
            error = arena_printf(a, "webhook not delivered: %s",
                                 r.refused ? r.refused : err_code(frc));
        } else if (r.status < 200 || r.status >= 300) {
            error = arena_printf(a, "webhook answered HTTP %ld", r.status);
        }
        fetch_result_fini(&r);
    } else if (!x->email_confirmed) {
        error = "your email address is not confirmed yet (see Settings)";
    } else {
        mail_body(&b, o, x, e, n);
        const char *subject = arena_printf(a, "%zu new for \"%s\"", n, x->query);
        if (store_mail_queue(s, x->email, subject, buf_cstr(&b), now) != 0) {
            error = "could not queue the mail";
        }
    }
    buf_fini(&b);
    if (error != NULL) {
        st->alerts_failed++;
        log_warn("saved search %lld: %s", (long long)x->id, error);
    } else {
        st->alerts_sent++;
    }
    return store_search_alerted(s, x->id, now, error);
}

/* The member's unread notifications of the last day, under the guild's best. */
static int digest_notifications(struct store *s, struct arena *a, const struct monitor_options *o,
                                int64_t user_id, int64_t now, struct buf *out)
{
    struct store_notification *list;
    size_t n, shown = 0;
    int rc = store_notification_list(s, a, user_id, 0, 20, &list, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (list[i].seen || list[i].at < now - 86400) {
            continue;
        }
        if (shown++ == 0) {
            buf_appendf(out, "\r\nFor you since yesterday:\r\n\r\n");
        }
        buf_appendf(out, "- %s\r\n", list[i].text);
    }
    if (shown > 0) {
        buf_appendf(out, "\r\nAll your notifications: %s/notifications\r\n", site(o));
    }
    return rc;
}

static int digest_mails(struct store *s, struct arena *a, const struct monitor_options *o,
                        int64_t now, struct monitor_stats *st)
{
    struct store_digest_row *rows = NULL;
    size_t n = 0;
    char today[16];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    struct store_user *users = NULL;
    size_t nu = 0;
    int rc = store_digest_subscribers(s, a, today, &users, &nu);
    if (rc != 0 || nu == 0) {
        return rc;
    }
    if ((rc = store_digest(s, a, now - 86400, o->digest_size, &rows, &n)) != 0) {
        return rc;
    }
    struct buf b;
    buf_init(&b, 0);
    buf_appendf(&b, "The guild's best of the last day (%s):\r\n\r\n", today);
    for (size_t i = 0; i < n; i++) {
        /* first-party links, so that the blog's owner sees the mail's readers */
        buf_appendf(&b, "%zu. %s\r\n   %s/%s/%lld?from=mail (%s)\r\n\r\n", i + 1, rows[i].title,
                    site(o), rows[i].kind == 'e' ? "e" : "i",
                    (long long)(rows[i].kind == 'e' ? rows[i].id : rows[i].item_id),
                    rows[i].source);
    }
    buf_appendf(&b, "That's all for today.\r\n%s/digest\r\n", site(o));
    struct buf mine;
    buf_init(&mine, 0);
    for (size_t i = 0; i < nu && rc == 0; i++) {
        buf_reset(&mine);
        buf_append(&mine, buf_cstr(&b), b.len);
        rc = digest_notifications(s, a, o, users[i].id, now, &mine);
        if (rc == 0) {
            rc = store_mail_queue(s, users[i].email, arena_printf(a, "Guild digest, %s", today),
                                  buf_cstr(&mine), now);
        }
        if (rc == 0) {
            rc = store_digest_sent(s, users[i].id, today);
        }
    }
    buf_fini(&mine);
    buf_fini(&b);
    (void)st;
    return rc;
}

int monitor_alerts(struct store *s, const struct monitor_options *o, int64_t now,
                   struct monitor_stats *st)
{
    struct arena a;
    arena_init(&a);
    struct store_saved_search *list = NULL;
    size_t n = 0;
    int rc = store_saved_searches(s, &a, 0, &list, &n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (strcmp(list[i].alert, "none") != 0) {
            rc = alert_one(s, &a, o, &list[i], now, st);
        }
    }
    if (rc == 0) {
        rc = digest_mails(s, &a, o, now, st);
    }
    if (rc == 0) {
        rc = monitor_subscriber_mails(s, o, now);
    }
    arena_fini(&a);
    return rc;
}

struct upload {
    const char *p;
    size_t left;
};

static size_t read_mail(char *out, size_t size, size_t nitems, void *ud)
{
    struct upload *u = ud;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(out, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* Header lines cannot carry CR or LF from data (no header injection). */
static void header_value(struct buf *b, const char *v)
{
    for (const char *p = v; *p; p++) {
        buf_appendc(b, *p == '\r' || *p == '\n' ? ' ' : *p);
    }
}

static int smtp_send(const struct monitor_options *o, const struct store_mail *m,
                     const char **why)
{
    struct buf msg;
    buf_init(&msg, 0);
    buf_appendz(&msg, "From: ");
    header_value(&msg, o->mail_from);
    buf_appendz(&msg, "\r\nTo: ");
    header_value(&msg, m->to);
    buf_appendz(&msg, "\r\nSubject: ");
    header_value(&msg, m->subject);
    if (m->unsubscribe != NULL && m->unsubscribe[0] != '\0') {
        /* RFC 8058: mail clients show an unsubscribe button that POSTs to the address */
        buf_appendz(&msg, "\r\nList-Unsubscribe: <");
        header_value(&msg, m->unsubscribe);
        buf_appendz(&msg, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click");
    }
    buf_appendz(&msg, "\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n");
    buf_appendz(&msg, m->body);
    struct upload u = {msg.data, msg.len};
    CURL *c = curl_easy_init();
    struct curl_slist *rcpt = curl_slist_append(NULL, m->to);
    curl_easy_setopt(c, CURLOPT_URL, o->smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, o->mail_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_mail);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    CURLcode cc = curl_easy_perform(c);
    *why = cc == CURLE_OK ? NULL : curl_easy_strerror(cc);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    buf_fini(&msg);
    return cc == CURLE_OK ? 0 : ERR_IO;
}

int monitor_send_mail(struct store *s, const struct monitor_options *o, int64_t now,
                      struct monitor_stats *st)
{
    if (o->smtp_url == NULL) {
        return 0;
    }
    struct arena a;
    arena_init(&a);
    struct store_mail *list = NULL;
    size_t n = 0;
    int rc = store_mail_due(s, &a, now, 100, &list, &n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *why = NULL;
        bool sent = smtp_send(o, &list[i], &why) == 0;
        /* retries after 1, 2, 4 ... 32 minutes, then given up and shown as failed */
        int64_t next = sent || list[i].attempts >= 5 ? 0 : now + (60LL << list[i].attempts);
        st->mails_sent += sent;
        st->mails_failed += !sent;
        rc = store_mail_result(s, list[i].id, sent, why, next);
    }
    arena_fini(&a);
    return rc;
}
