/* The member's own data and sign-up in one field: deleting an account after the password is
 * checked (off the request workers), and subscriptions by mail with double opt-in. */
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "app.h"

struct delete_job {
    const char *password, *hash, *account_key;
    bool ok;
};

static void delete_check(void *arg)
{
    struct delete_job *j = arg;
    j->ok = auth_password_verify(j->hash, j->password);
}

/* First call: checks the password's shape and defers its verification. */
static int delete_start(struct http_request *rq, const char *password, bool *pending)
{
    if (password == NULL || password[0] == '\0' || strlen(password) > AUTH_PASSWORD_MAX) {
        return http_fail(rq, ERR_INVAL, "password",
                         "Give your password to delete your account.");
    }
    struct delete_job *j = arena_alloc(&rq->arena, sizeof(*j));
    *j = (struct delete_job){.password = password};
    int64_t id;
    char *hash;
    bool banned;
    int rc = store_user_pw_hash(http_db(rq), &rq->arena, rq->user->handle, &id, &hash, &banned);
    if (rc != 0) {
        return rc;
    }
    j->hash = hash;
    /* guessing the password here is a login attempt on the account */
    struct auth_limiter *lim = rq->app->login_limiter;
    j->account_key = arena_printf(&rq->arena, "u:%lld", (long long)id);
    int wait = app_limit_wait(rq, lim, j->account_key);
    if (wait > 0) {
        http_add_header(rq, "Retry-After", arena_printf(&rq->arena, "%d", wait));
        return http_fail(rq, ERR_LIMIT, "password",
                         "Too many wrong passwords. Wait a few minutes and try again.");
    }
    app_limit_fail(rq, lim, j->account_key);
    *pending = true;
    rc = http_defer(rq, delete_check, j);
    if (rc == ERR_LIMIT) {
        app_limit_unfail(rq, lim, j->account_key);
        *pending = false;
    }
    return rc;
}

int app_account_delete(struct http_request *rq, const char *password, bool remove_comments,
                       bool *pending)
{
    *pending = false;
    struct delete_job *j = http_deferred(rq);
    if (j == NULL) {
        return delete_start(rq, password, pending);
    }
    if (!j->ok) {
        return http_fail(rq, ERR_DENIED, "password",
                         "That password is not right: your account is unchanged.");
    }
    app_limit_reset(rq, rq->app->login_limiter, j->account_key);
    char pseudonym[AUTH_SECRET_HEX];
    auth_secret_new(pseudonym);
    pseudonym[0] = 'x'; /* neither a member's "u" nor a visitor's "v" */
    pseudonym[25] = '\0';
    int rc = store_member_delete(http_db(rq), rq->user->id, remove_comments, pseudonym, rq->now);
    if (rc == 0) {
        log_info("member %lld deleted their account", (long long)rq->user->id);
    }
    return rc;
}

/* The confirmation mail: what the subscription is, the link that confirms it, and the
 * one-click unsubscribe address (which also ends an unconfirmed one). */
static int mail_confirmation(struct http_request *rq, const char *email, const char *what,
                             const char *target, const char *token)
{
    const char *base = app_base_url(rq);
    const char *about = strcmp(what, "digest") == 0
                            ? "the guild's daily digest"
                            : strcmp(what, "blog") == 0
                                  ? arena_printf(&rq->arena, "new posts of blog %s", target)
                                  : arena_printf(&rq->arena, "new matches for \"%s\"", target);
    const char *body = arena_printf(
        &rq->arena,
        "Someone (we hope you) asked to receive %s by mail from %s.\r\n\r\n"
        "To confirm, open:\r\n%s/subscribe/confirm/%s\r\n\r\n"
        "If it was not you, ignore this mail: nothing more will be sent.\r\n"
        "Unsubscribe at any time: %s/unsubscribe/%s\r\n",
        about, rq->app->cfg.site_name, base, token, base, token);
    return store_mail_queue_unsub(http_db(rq), email, "Confirm your subscription", body,
                                  arena_printf(&rq->arena, "%s/unsubscribe/%s", base, token),
                                  rq->now);
}

int app_subscribe(struct http_request *rq, const char *email, const char *name,
                  const char *what, const char *target, bool *already)
{
    struct rules_error e = {0};
    int rc = rules_subscribe_check(email, name, what, target, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store *db = http_db(rq);
    char *lower = arena_strdup(&rq->arena, email); /* one spelling: the mail cap counts it */
    for (char *p = lower; *p; p++) {
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    }
    email = lower;
    if (strcmp(what, "blog") == 0) {
        struct store_item blog;
        int64_t id = strtoll(target, NULL, 10);
        if (id <= 0 || store_item_get(db, &rq->arena, id, 0, &blog) != 0 ||
            strcmp(blog.kind, "blog") != 0 || strcmp(blog.status, "ok") != 0) {
            return http_fail(rq, ERR_INVAL, "target", "No such blog in the directory.");
        }
        target = arena_printf(&rq->arena, "%lld", (long long)id);
    }
    if ((rc = app_rate_limit(rq->app, rq, APP_CONFIRM)) != 0) {
        return rc;
    }
    char fresh[AUTH_SECRET_HEX];
    auth_secret_new(fresh);
    fresh[32] = '\0'; /* 128 bits */
    const char *token;
    rc = store_subscriber_add(db, &rq->arena, email, name != NULL ? name : "", what,
                              strcmp(what, "digest") == 0 ? "" : target, fresh, rq->now, &token,
                              already);
    /* at most three confirmations a day to one address, however many ask (no mail bombing
     * through someone else's address; the answer is the same either way) */
    int sent = 0;
    if (rc == 0 && !*already) {
        rc = store_mail_count_recent(db, email, "Confirm your subscription", rq->now - 86400,
                                     &sent);
    }
    if (rc == 0 && !*already && sent < 3) {
        rc = mail_confirmation(rq, email, what, target, token);
    }
    return rc;
}
