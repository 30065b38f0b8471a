/* "Forgot your password?": a member gives their handle or address and gets a link, valid for
 * an hour, to choose a new password. The answer never says whether the account exists, at
 * most three links a hour go to one address, and setting the password ends every session,
 * token and other link of the account. */
#include <string.h>

#include "../app/app.h"
#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/log.h"
#include "web_int.h"

#define RESET_SUBJECT "Choose a new password"
#define RESET_SECONDS 3600
#define RESET_PER_HOUR 3

static int render_forgot(struct http_request *rq, const char *error, const char *notice)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Forgot your password?");
    HTML_LIT(b, "<h1>Forgot your password?</h1>\n");
    if (notice != NULL) {
        HTML_LIT(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        HTML_LIT(b, "</p>\n");
    }
    HTML_LIT(b, "<form class=\"stack narrow\" method=\"post\" action=\"/forgot\">");
    html_csrf(rq);
    html_error_box(b, error);
    html_field(b, "who", "Your handle or e-mail address", "text", NULL, "username", true,
               "We mail a link to the account's address to choose a new password.");
    HTML_LIT(b, "<button>Mail me a link</button></form>\n");
    page_end(rq);
    return 0;
}

int web_forgot_form(struct http_request *rq)
{
    return render_forgot(rq, NULL, NULL);
}

/* Creates a link for u and queues the mail, unless three went to that address this hour. */
static int mail_reset_link(struct http_request *rq, const struct store_user *u)
{
    int sent = 0;
    int rc = store_mail_count_recent(http_db(rq), u->email, RESET_SUBJECT, rq->now - 3600, &sent);
    if (rc != 0 || sent >= RESET_PER_HOUR || u->banned) {
        return rc; /* said the same way: the answer must not tell who exists */
    }
    char token[AUTH_SECRET_HEX], hash[AUTH_SECRET_HEX];
    auth_secret_new(token);
    auth_secret_hash(token, hash);
    if ((rc = store_reset_create(http_db(rq), u->id, hash, rq->now + RESET_SECONDS)) != 0) {
        return rc;
    }
    const char *body = arena_printf(&rq->arena,
                                    "Someone (we hope you) asked to choose a new password for "
                                    "%s on %s. This link works for an hour:\r\n\r\n%s/reset/%s"
                                    "\r\n\r\nIf it was not you, ignore this mail: nothing "
                                    "changes.\r\n",
                                    u->handle, rq->app->cfg.site_name, web_base_url(rq), token);
    return store_mail_queue(http_db(rq), u->email, RESET_SUBJECT, body, rq->now);
}

int web_forgot(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_CONFIRM);
    if (limited != 0) {
        return limited;
    }
    const char *who = http_form(rq, "who");
    if (who == NULL || who[0] == '\0' || strlen(who) > 254) {
        web_form_status(rq, ERR_INVAL);
        return render_forgot(rq, "Give your handle or your e-mail address.", NULL);
    }
    /* a write whatever the input: the page cache's write counter must not tell who exists */
    int rc = store_reset_prune(http_db(rq), rq->now);
    if (rc != 0) {
        return rc;
    }
    struct store_user u;
    rc = strchr(who, '@') ? store_user_by_email(http_db(rq), &rq->arena, who, &u)
                          : store_user_by_handle(http_db(rq), &rq->arena, who, &u);
    if (rc == 0) {
        rc = mail_reset_link(rq, &u);
    }
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    return render_forgot(rq, NULL,
                         rq->app->mail_relay
                             ? "If that is a member's handle or address, a link to choose a new "
                               "password is on its way to their address (it works for an hour)."
                             : "If that is a member's handle or address, a link was written for "
                               "them, but this server has no mail relay set, so no mail leaves "
                               "it: ask an admin.");
}

/* The member whose unexpired link this is, or 0 (the page then says the link is unknown);
 * hash gets the token's hash. */
static int64_t reset_member(struct http_request *rq, char hash[AUTH_SECRET_HEX])
{
    const char *token = rq->params[0];
    if (token == NULL || strlen(token) != AUTH_SECRET_HEX - 1) {
        return 0;
    }
    auth_secret_hash(token, hash);
    int64_t uid = 0;
    return store_reset_find(http_db(rq), hash, rq->now, &uid) == 0 ? uid : 0;
}

static int render_reset(struct http_request *rq, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Choose a new password");
    HTML_LIT(b, "<h1>Choose a new password</h1>\n<form class=\"stack narrow\" method=\"post\" "
                "action=\"");
    html_attr(b, rq->path);
    HTML_LIT(b, "\">");
    html_csrf(rq);
    html_error_box(b, error);
    html_field(b, "password", "New password", "password", NULL, "new-password", true,
               "At least 10 characters. Every device signed in to the account is signed out.");
    HTML_LIT(b, "<button>Set the password</button></form>\n");
    page_end(rq);
    return 0;
}

static int link_unknown(struct http_request *rq)
{
    rq->status = 404;
    page_begin(rq, "Link not valid");
    HTML_LIT(&rq->out, "<h1>Link not valid</h1>\n<p>This link is unknown, was used, or is more "
                       "than an hour old. <a href=\"/forgot\">Ask for a new one</a>.</p>\n");
    page_end(rq);
    return 0;
}

int web_reset_form(struct http_request *rq)
{
    char hash[AUTH_SECRET_HEX];
    return reset_member(rq, hash) == 0 ? link_unknown(rq) : render_reset(rq, NULL);
}

/* The new password's hash, made off the request workers (http_defer). */
struct reset_job {
    const char *pw;
    int64_t id;
    bool nomem;
    char token_hash[AUTH_SECRET_HEX]; /* the link, used up when the password is set */
    char hash[AUTH_HASH_MAX];
};

static void reset_hash(void *arg)
{
    struct reset_job *j = arg;
    j->nomem = auth_password_hash(j->pw, j->hash) != 0;
}

/* The password set, and every session, token and reset link of the account ended: one
 * transaction. */
static int reset_finish(struct http_request *rq, struct reset_job *j)
{
    if (j->nomem) {
        return ERR_NOMEM;
    }
    struct store *db = http_db(rq);
    int rc = store_tx_begin(db);
    /* the link is used up inside the transaction: of two requests with it, one sets the
     * password; and it is checked again (expiry, ban) after the wait for the hash */
    if (rc == 0 && ((rc = store_reset_take(db, j->token_hash, j->id, rq->now)) != 0 ||
                    (rc = store_user_replace_password(db, j->id, j->hash)) != 0)) {
        store_tx_rollback(db);
    } else if (rc == 0) {
        rc = store_tx_commit(db);
    }
    if (rc == ERR_NOTFOUND) {
        return link_unknown(rq);
    }
    if (rc != 0) {
        return rc;
    }
    /* a member locked out by failed sign-ins can sign in with the new password */
    app_limit_reset(rq, rq->app->login_limiter,
                    arena_printf(&rq->arena, "u:%lld", (long long)j->id));
    page_begin(rq, "Password set");
    HTML_LIT(&rq->out, "<h1>Password set</h1>\n<p>Every device was signed out and API tokens "
                       "were revoked. <a href=\"/login\">Sign in</a> with the new password.</p>\n");
    page_end(rq);
    return 0;
}

int web_reset(struct http_request *rq)
{
    struct reset_job *j = http_deferred(rq);
    if (j != NULL) {
        return reset_finish(rq, j);
    }
    char token_hash[AUTH_SECRET_HEX];
    int64_t uid = reset_member(rq, token_hash);
    if (uid == 0) {
        return link_unknown(rq);
    }
    const char *pw = http_form(rq, "password");
    const char *problem = pw ? auth_password_problem(pw) : "Give a new password.";
    if (problem != NULL) {
        web_form_status(rq, ERR_INVAL);
        return render_reset(rq, problem);
    }
    j = arena_alloc(&rq->arena, sizeof(*j));
    *j = (struct reset_job){.pw = pw, .id = uid};
    memcpy(j->token_hash, token_hash, sizeof(j->token_hash));
    return http_defer(rq, reset_hash, j);
}
