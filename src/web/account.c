/* Signing in and out, joining by invitation, and settings (password, invitations). */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "../app/app.h"
#include "../auth/auth.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "web_int.h"

#define SESSION_DAYS 30

/* Creates a session for user and sets its cookie. */
static int start_session(struct http_request *rq, int64_t user_id)
{
    char token[AUTH_SECRET_HEX], hash[AUTH_SECRET_HEX], csrf[AUTH_SECRET_HEX];
    auth_secret_new(token);
    auth_secret_new(csrf);
    auth_secret_hash(token, hash);
    int rc = store_session_create(http_db(rq), hash, user_id, csrf,
                                  rq->now + SESSION_DAYS * 86400);
    if (rc == 0) {
        http_set_cookie(rq, HTTP_SESSION_COOKIE, arena_strdup(&rq->arena, token),
                        SESSION_DAYS * 86400);
        rq->session_csrf = arena_strdup(&rq->arena, csrf); /* forms on this response */
    }
    return rc;
}

/* An input that re-shows what the member typed (never for passwords). */
static void field(struct http_request *rq, const char *id, const char *label, const char *type,
                  const char *autocomplete, bool keep_value)
{
    html_field(&rq->out, id, label, type, keep_value ? http_form(rq, id) : NULL, autocomplete,
               false, NULL);
}

static int render_login(struct http_request *rq, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Sign in");
    HTML_LIT(b, "<h1>Sign in</h1>\n<form class=\"stack narrow\" method=\"post\" action=\"/login\">");
    html_csrf(rq);
    const char *back = web_back(rq, NULL);
    if (back != NULL) { /* where the member was: the sign-in returns there */
        HTML_LIT(b, "<input type=\"hidden\" name=\"back\" value=\"");
        html_attr(b, back);
        HTML_LIT(b, "\">");
    }
    html_error_box(b, error);
    field(rq, "handle", "Handle", "text", "username", true);
    field(rq, "password", "Password", "password", "current-password", false);
    HTML_LIT(b, "<button>Sign in</button></form>\n<p><a href=\"/forgot\">Forgot your "
                "password?</a></p>\n<p>New here? Guild is by invitation: ask a member for a "
                "link.</p>\n");
    page_end(rq);
    return 0;
}

int web_login_form(struct http_request *rq)
{
    if (rq->user != NULL) {
        return http_redirect(rq, "/");
    }
    return render_login(rq, NULL);
}

/* A sign-in's password check, run off the request workers (http_defer). */
struct login_job {
    const char *pw;
    const char *hash; /* NULL for an unknown handle: a dummy hash costs the same time */
    int64_t id;
    bool banned, ok, nomem;
    const char *ipkey, *account_key;
};

static void login_check(void *arg)
{
    struct login_job *j = arg;
    if (j->hash != NULL) {
        j->ok = auth_password_verify(j->hash, j->pw);
    } else {
        char dummy[AUTH_HASH_MAX]; /* no timing hint of which handles exist */
        j->nomem = auth_password_hash(j->pw, dummy) != 0;
    }
}

/* The answer once the password was checked. */
static int login_finish(struct http_request *rq, struct login_job *j)
{
    struct auth_limiter *lim = rq->app->login_limiter;
    if (j->nomem) {
        return ERR_NOMEM;
    }
    if (!j->ok) { /* the address and the account were charged before the check */
        web_form_status(rq, ERR_AUTH);
        return render_login(rq, "That handle and password do not match.");
    }
    app_limit_reset(rq, lim, j->account_key);
    app_limit_unfail(rq, lim, j->ipkey); /* a success costs the address nothing */
    if (j->banned) {
        web_form_status(rq, ERR_DENIED);
        return render_login(rq, "This account is banned; see the public moderation log.");
    }
    int rc = start_session(rq, j->id);
    return rc != 0 ? rc : http_redirect(rq, web_back(rq, "/"));
}

int web_login(struct http_request *rq)
{
    struct login_job *j = http_deferred(rq);
    if (j != NULL) {
        return login_finish(rq, j);
    }
    const char *handle = http_form(rq, "handle"), *pw = http_form(rq, "password");
    if (handle == NULL || pw == NULL || handle[0] == '\0' || strlen(handle) > 64 ||
        strlen(pw) > AUTH_PASSWORD_MAX) {
        web_form_status(rq, ERR_INVAL);
        return render_login(rq, "Give your handle and password.");
    }
    j = arena_alloc(&rq->arena, sizeof(*j));
    *j = (struct login_job){.pw = pw};
    char *hash = NULL;
    int rc = store_user_pw_hash(http_db(rq), &rq->arena, handle, &j->id, &hash, &j->banned);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    j->hash = hash;
    /* the budget belongs to the account, however its handle is typed */
    char *lower = arena_strdup(&rq->arena, handle);
    ascii_lower(lower);
    j->account_key = rc == 0 ? arena_printf(&rq->arena, "u:%lld", (long long)j->id)
                             : arena_printf(&rq->arena, "h:%s", lower);
    j->ipkey = arena_printf(&rq->arena, "ip:%s", http_client_key(rq));
    struct auth_limiter *lim = rq->app->login_limiter;
    int wait = app_limit_wait(rq, lim, j->ipkey);
    int wait_account = app_limit_wait(rq, lim, j->account_key);
    wait = wait > wait_account ? wait : wait_account;
    if (wait > 0) {
        http_add_header(rq, MHD_HTTP_HEADER_RETRY_AFTER, arena_printf(&rq->arena, "%d", wait));
        web_form_status(rq, ERR_LIMIT);
        return render_login(rq, "Too many failed attempts. Wait a few minutes and try again.");
    }
    /* charged before the check, so that attempts in flight together cannot overrun it */
    app_limit_fail(rq, lim, j->account_key);
    app_limit_fail(rq, lim, j->ipkey);
    rc = http_defer(rq, login_check, j);
    if (rc == ERR_LIMIT) { /* the queue was full: nothing was checked, nothing is charged */
        app_limit_unfail(rq, lim, j->account_key);
        app_limit_unfail(rq, lim, j->ipkey);
    }
    return rc;
}

int web_logout(struct http_request *rq)
{
    if (rq->session_hash != NULL) {
        int rc = store_session_delete(http_db(rq), rq->session_hash);
        if (rc != 0) {
            return rc;
        }
    }
    http_set_cookie(rq, HTTP_SESSION_COOKIE, "", -1);
    return http_redirect(rq, "/");
}

static int render_join(struct http_request *rq, const char *inviter, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Join the guild");
    HTML_LIT(b, "<h1>Join the guild</h1>\n<p class=\"intro\">");
    html_text(b, inviter);
    HTML_LIT(b, " invited you. Your profile will say so: the invitation tree is public.</p>\n"
                "<form class=\"stack narrow\" method=\"post\" action=\"");
    html_attr(b, rq->path);
    HTML_LIT(b, "\">");
    html_csrf(rq);
    html_error_box(b, error);
    field(rq, "handle", "Handle (how others see you)", "text", "username", true);
    field(rq, "name", "Your name", "text", "name", true);
    field(rq, "email", "Email", "email", "email", true);
    field(rq, "password", "Password (10 characters or more)", "password", "new-password", false);
    field(rq, "affiliation", "Organisation (or \"independent\")", "text", "organization", true);
    field(rq, "domain", "Its web domain, e.g. example.com", "text", "off", true);
    HTML_LIT(b, "<p class=\"hint\">Your affiliation decides what you may not vote on or nominate: "
                "your own organisation's links and blogs.</p><button>Join</button></form>\n");
    page_end(rq);
    return 0;
}

int web_join_form(struct http_request *rq)
{
    int64_t by;
    char *by_handle;
    int rc = store_invite_get(http_db(rq), &rq->arena, rq->params[0], &by, &by_handle);
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "code", "This invitation link is not valid.");
    }
    if (rc == ERR_EXISTS) {
        return http_fail(rq, ERR_DENIED, "code", "This invitation has already been used.");
    }
    if (rc != 0) {
        return rc;
    }
    return render_join(rq, by_handle, NULL);
}

int web_join(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_JOIN);
    if (limited != 0) {
        return limited;
    }
    struct rules_signup in = {.handle = http_form(rq, "handle"),
                              .name = http_form(rq, "name"),
                              .email = http_form(rq, "email"),
                              .password = http_form(rq, "password"),
                              .affiliation = http_form(rq, "affiliation"),
                              .domain = http_form(rq, "domain")};
    int64_t id, by;
    char *by_handle;
    struct rules_error e = {0};
    int rc = rules_join(http_db(rq), &rq->arena, rq->params[0], &in, &id, &e);
    if (rc == ERR_INVAL || (rc == ERR_EXISTS && (e.field == NULL || strcmp(e.field, "code") != 0))) {
        if (store_invite_get(http_db(rq), &rq->arena, rq->params[0], &by, &by_handle) == 0) {
            web_form_status(rq, rc);
            return render_join(rq, by_handle, web_rules_message(&e));
        }
    }
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    if ((rc = start_session(rq, id)) != 0) {
        return rc;
    }
    web_send_confirmation(rq, id, in.email); /* a failure here is shown in Settings */
    return http_redirect(rq, arena_printf(&rq->arena, "/u/%s", in.handle));
}

/* Moderation news for the member: actions concerning them or people they invited. */
static int render_notifications(struct http_request *rq)
{
    struct buf *b = &rq->out;
    struct store_notification *list;
    size_t n;
    int rc = store_notifications(http_db(rq), &rq->arena, rq->user->id, 20, &list, &n);
    if (rc != 0 || n == 0) {
        return rc;
    }
    HTML_LIT(b, "<section><h2>Notifications</h2>\n<ul class=\"notifications\">");
    for (size_t i = 0; i < n; i++) {
        if (list[i].seen) {
            HTML_LIT(b, "<li>");
        } else {
            HTML_LIT(b, "<li class=\"new\">");
        }
        html_text(b, list[i].text);
        HTML_LIT(b, " · ");
        html_age(b, list[i].at, rq->now);
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul><p><a href=\"/moderations\">The moderation log</a></p></section>\n");
    return 0;
}

/* The member's unused invitations: each full link, ready to copy, and a way to take it back. */
static int render_open_invites(struct http_request *rq)
{
    struct store_invite *inv;
    size_t n;
    int rc = store_invites_open(http_db(rq), &rq->arena, rq->user->id, &inv, &n);
    if (rc != 0 || n == 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    buf_appendf(b, "<p>Open invitations (%zu), not used yet:</p><ul class=\"invites\">", n);
    for (size_t i = 0; i < n; i++) {
        const char *link = arena_printf(&rq->arena, "%s/join/%s", web_base_url(rq), inv[i].code);
        buf_appendf(b, "<li><label for=\"inv%zu\">Link created ", i);
        html_age(b, inv[i].created_at, rq->now);
        buf_appendf(b, "</label> <input id=\"inv%zu\" class=\"invite\" readonly value=\"", i);
        html_attr(b, link);
        HTML_LIT(b, "\"> <form class=\"inline\" method=\"post\" action=\"/settings/invite/revoke\">");
        html_csrf(rq);
        HTML_LIT(b, "<input type=\"hidden\" name=\"code\" value=\"");
        html_attr(b, inv[i].code);
        HTML_LIT(b, "\"><button class=\"link\">revoke</button></form></li>");
    }
    HTML_LIT(b, "</ul>\n");
    return 0;
}

static int render_settings(struct http_request *rq, const char *error, const char *notice)
{
    struct buf *b = &rq->out;
    const struct store_user *u = rq->user;
    bool admin = strcmp(u->role, "admin") == 0;
    const char *code = http_query(rq, "invite");
    page_begin(rq, "Settings");
    HTML_LIT(b, "<h1>Settings</h1>\n");
    html_error_box(b, error);
    if (notice != NULL) {
        HTML_LIT(b, "<p class=\"notice\">");
        html_text(b, notice);
        HTML_LIT(b, "</p>\n");
    }
    int rc = render_notifications(rq);
    if (rc != 0) {
        return rc;
    }
    HTML_LIT(b, "<section><h2>Invitations</h2>\n");
    if (code != NULL) {
        HTML_LIT(b, "<p class=\"notice\" role=\"status\">Invitation created: send the link "
                    "below to the person you invite.</p>\n");
    }
    int orc = render_open_invites(rq);
    if (orc != 0) {
        return orc;
    }
    if (admin) {
        HTML_LIT(b, "<p>As an admin you can invite without limit.</p>");
    } else {
        buf_appendf(b, "<p>You have %d invitation%s left. You answer for the people you invite.</p>",
                    u->invites_left, u->invites_left == 1 ? "" : "s");
    }
    if (admin || u->invites_left > 0) {
        HTML_LIT(b, "<form method=\"post\" action=\"/settings/invite\">");
        html_csrf(rq);
        HTML_LIT(b, "<button>Create an invitation link</button></form>");
    }
    HTML_LIT(b, "</section>\n<section><h2>Change password</h2>"
                "<form class=\"stack narrow\" method=\"post\" action=\"/settings/password\">");
    html_csrf(rq);
    field(rq, "current", "Current password", "password", "current-password", false);
    field(rq, "password", "New password (10 characters or more)", "password", "new-password",
          false);
    HTML_LIT(b, "<button>Change password</button></form></section>\n");
    if ((rc = html_settings_tokens(rq)) != 0) {
        return rc;
    }
    HTML_LIT(b, "<section>");
    html_settings_monitoring(rq);
    html_settings_messages(rq);
    HTML_LIT(b, "</section>\n<section><h2>Your data</h2><ul>"
                "<li><a href=\"/settings/privacy\">Privacy</a>: your organisation's kind, "
                "who may contact you, and every export of your contact</li>"
                "<li><a href=\"/saved\">Saved for later</a></li>"
                "<li><a href=\"/stats\">What readers did with your posts</a></li>"
                "<li><a href=\"/settings/export\">Export everything stored about you</a></li>"
                "<li><a href=\"/settings/delete\">Delete your account</a></li>"
                "</ul></section>\n");
    page_end(rq);
    return 0;
}

int web_settings(struct http_request *rq)
{
    const char *saved = http_query(rq, "saved");
    const char *notice = NULL;
    if (saved != NULL && strcmp(saved, "digest") == 0) {
        notice = "Digest settings saved.";
    } else if (saved != NULL && strcmp(saved, "messages") == 0) {
        notice = "Message settings saved.";
    }
    return render_settings(rq, NULL, notice);
}

int web_settings_notice(struct http_request *rq, const char *error, const char *notice)
{
    return render_settings(rq, error, notice);
}

/* A password change's checks, run off the request workers (http_defer): the current
 * password verified, then the new one hashed. */
struct password_job {
    const char *current, *fresh_pw, *hash, *account_key;
    int64_t id;
    bool ok, nomem;
    char fresh[AUTH_HASH_MAX];
};

static void password_check(void *arg)
{
    struct password_job *j = arg;
    j->ok = auth_password_verify(j->hash, j->current);
    if (j->ok) {
        j->nomem = auth_password_hash(j->fresh_pw, j->fresh) != 0;
    }
}

/* The new password, the end of every other session and token, and this device's fresh
 * session: one transaction, so that a failure leaves the old password and access as they
 * were. */
static int password_finish(struct http_request *rq, struct password_job *j)
{
    if (j->nomem) {
        return ERR_NOMEM;
    }
    if (!j->ok) { /* the account was charged before the check */
        web_form_status(rq, ERR_DENIED);
        return render_settings(rq, "Your current password is not right.", NULL);
    }
    app_limit_reset(rq, rq->app->login_limiter, j->account_key);
    struct store *db = http_db(rq);
    int rc = store_tx_begin(db);
    if (rc == 0 && ((rc = store_user_replace_password(db, j->id, j->fresh)) != 0 ||
                    (rc = start_session(rq, j->id)) != 0)) {
        store_tx_rollback(db);
    } else if (rc == 0) {
        rc = store_tx_commit(db);
    }
    if (rc != 0) {
        return rc;
    }
    return render_settings(rq, NULL,
                           "Password changed. Other devices were signed out and your API tokens "
                           "were revoked: create new ones where you need them.");
}

int web_settings_password(struct http_request *rq)
{
    struct password_job *j = http_deferred(rq);
    if (j != NULL) {
        return password_finish(rq, j);
    }
    const char *cur = http_form(rq, "current"), *pw = http_form(rq, "password");
    const char *problem = pw ? auth_password_problem(pw) : "Give a new password.";
    if (cur == NULL || cur[0] == '\0' || strlen(cur) > AUTH_PASSWORD_MAX) {
        problem = "Give your current password.";
    }
    if (problem != NULL) {
        web_form_status(rq, ERR_INVAL);
        return render_settings(rq, problem, NULL);
    }
    j = arena_alloc(&rq->arena, sizeof(*j));
    *j = (struct password_job){.current = cur, .fresh_pw = pw};
    char *hash;
    bool banned;
    int rc = store_user_pw_hash(http_db(rq), &rq->arena, rq->user->handle, &j->id, &hash,
                                &banned);
    if (rc != 0) {
        return rc;
    }
    j->hash = hash;
    /* guessing the current password is a login attempt on the account */
    struct auth_limiter *lim = rq->app->login_limiter;
    j->account_key = arena_printf(&rq->arena, "u:%lld", (long long)j->id);
    int wait = app_limit_wait(rq, lim, j->account_key);
    if (wait > 0) {
        http_add_header(rq, MHD_HTTP_HEADER_RETRY_AFTER, arena_printf(&rq->arena, "%d", wait));
        web_form_status(rq, ERR_LIMIT);
        return render_settings(rq, "Too many wrong passwords. Wait a few minutes and try again.",
                               NULL);
    }
    app_limit_fail(rq, lim, j->account_key);
    rc = http_defer(rq, password_check, j);
    if (rc == ERR_LIMIT) {
        app_limit_unfail(rq, lim, j->account_key);
    }
    return rc;
}

int web_settings_invite_revoke(struct http_request *rq)
{
    struct rules_error e = {0};
    int rc = rules_invite_revoke(http_db(rq), rq->user, http_form(rq, "code"), &e);
    if (rc == ERR_INVAL || rc == ERR_NOTFOUND) {
        web_form_status(rq, rc);
        return render_settings(rq, e.message, NULL);
    }
    if (rc != 0) {
        return rc;
    }
    return render_settings(rq, NULL, "Invitation revoked: its link no longer works.");
}

int web_settings_invite(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_INVITE);
    if (limited != 0) {
        return limited;
    }
    char code[AUTH_SECRET_HEX];
    auth_secret_new(code);
    code[24] = '\0'; /* 96 bits: short enough to paste, far too many to guess */
    struct rules_error e = {0};
    int rc = rules_invite(http_db(rq), &rq->app->cfg.policy, rq->user, code, &e);
    if (rc == ERR_DENIED) {
        web_form_status(rq, rc);
        return render_settings(rq, e.message, NULL);
    }
    if (rc != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/settings?invite=%s", code));
}
