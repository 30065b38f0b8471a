/* Reader signals and the member's own data: saves, who may see an item's or a blog's
 * statistics, consents to be contacted and who may export them, webhooks, subscriptions by
 * mail, and the events webhooks hear. */
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../core/url.h"
#include "../core/util.h"
#include "rules_int.h"

int rules_save(struct store *db, const struct store_user *u, int64_t item_id, bool on,
               int64_t now, struct rules_error *e)
{
    bool changed;
    int rc = store_save_set(db, u->id, item_id, on, now, &changed);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, rc, "id", "No such item to save (it may have been removed).");
    }
    return rc;
}

/* The blog's host is the declared domain itself, or its www. (not any subdomain: a declared
 * "github.io" owns no one's blog on it). */
static bool host_is_domain(const char *host, const char *domain)
{
    if (strncasecmp(host, "www.", 4) == 0) {
        host += 4;
    }
    return strcasecmp(host, domain) == 0;
}

int rules_blog_owner(struct store *db, const struct store_user *u, const struct store_item *blog,
                     bool *yes)
{
    *yes = false;
    if (u == NULL || strcmp(blog->kind, "blog") != 0) {
        return 0;
    }
    /* a declared domain proves nothing by itself (anyone may type one at sign-up): it counts
     * when the member's confirmed email address is at that domain too */
    size_t el = strlen(u->email), dl = u->domain != NULL ? strlen(u->domain) : 0;
    if (dl > 0 && blog->domain != NULL && host_is_domain(blog->domain, u->domain) && el > dl &&
        u->email[el - dl - 1] == '@' && strcasecmp(u->email + el - dl, u->domain) == 0 &&
        store_email_confirmed(db, u->id)) {
        *yes = true;
        return 0;
    }
    return store_blog_owner_is(db, u->id, blog->id, yes);
}

int rules_stats_access(struct store *db, const struct store_user *u, const struct store_item *it,
                       struct rules_error *e)
{
    bool owner = false;
    if (u == NULL) {
        return rules_fail(e, ERR_AUTH, NULL, "Sign in to see statistics.");
    }
    if (u->id == it->user_id || strcmp(u->role, "admin") == 0) {
        return 0;
    }
    int rc = rules_blog_owner(db, u, it, &owner);
    if (rc == 0 && !owner) {
        rc = rules_fail(e, ERR_DENIED, NULL,
                        "Only the member who submitted it, the blog's owner and admins see "
                        "what readers did with it.");
    }
    return rc;
}

int rules_org_kind(struct store *db, const struct store_user *u, const char *kind,
                   struct rules_error *e)
{
    static const char *const kinds[] = {"", "vendor", "buyer", "independent"};
    for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kind, kinds[i]) == 0) {
            return store_user_org_set(db, u->id, kind, -1);
        }
    }
    return rules_fail(e, ERR_INVAL, "org_kind",
                      "Say whether your organisation is a vendor, a buyer or independent.");
}

int rules_consent(struct store *db, struct arena *a, const struct store_user *u, const char *org,
                  bool on, int64_t now, const char **org_out, struct rules_error *e)
{
    char *domain;
    if (org == NULL || url_normalize_domain(a, org, &domain) != 0) {
        return rules_fail(e, ERR_INVAL, "org",
                          "Name the organisation by its domain, like acme.example.");
    }
    bool changed;
    /* the consent, its push to the organisation and the push's record: all or nothing */
    int rc = store_tx_begin(db);
    if (rc == 0) {
        rc = store_consent_set(db, u->id, domain, on, now, &changed);
    }
    if (rc == 0 && on && changed) {
        rc = rules_emit_lead(db, a, u, domain, now);
    }
    rc = rc == 0 ? store_tx_commit(db) : (store_tx_rollback(db), rc);
    *org_out = domain;
    return rc;
}

int rules_leads_org(const struct store_user *u, bool org_admin, const char **org,
                    struct rules_error *e)
{
    if (u->domain == NULL || u->domain[0] == '\0') {
        return rules_fail(e, ERR_DENIED, NULL,
                          "Contacts are exported for an organisation: declare your "
                          "organisation's domain first.");
    }
    if (!org_admin && strcmp(u->role, "admin") != 0) {
        return rules_fail(e, ERR_DENIED, NULL,
                          "Only your organisation's admins (the org-admin role) export the "
                          "contacts of members who allowed it.");
    }
    *org = u->domain;
    return 0;
}

/* The names webhooks may listen to. */
static const char *const hook_events[] = {"item.created", "item.status_changed",
                                          "comment.created", "lead.consented",
                                          "idea.status_changed"};

static bool hook_event_known(const char *name)
{
    for (size_t i = 0; i < sizeof(hook_events) / sizeof(hook_events[0]); i++) {
        if (strcmp(name, hook_events[i]) == 0) {
            return true;
        }
    }
    return false;
}

int rules_webhook_events(struct arena *a, const char *const *names, size_t n, const char **csv,
                         struct rules_error *e)
{
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (!hook_event_known(names[i])) {
            buf_fini(&b);
            return rules_fail(e, ERR_INVAL, "events",
                              "events are item.created, item.status_changed, comment.created, "
                              "lead.consented and idea.status_changed.");
        }
        bool twice = false; /* a name given twice is one subscription */
        for (size_t k = 0; k < i; k++) {
            twice |= strcmp(names[k], names[i]) == 0;
        }
        if (!twice) {
            buf_appendf(&b, "%s%s", b.len ? "," : "", names[i]);
        }
    }
    if (n == 0) {
        buf_fini(&b);
        return rules_fail(e, ERR_INVAL, "events", "Name at least one event.");
    }
    *csv = arena_strdup(a, buf_cstr(&b));
    buf_fini(&b);
    return 0;
}

int rules_webhook_new(struct store *db, const struct store_user *u, bool org_admin,
                      struct store_webhook *w, const char *refusal, int64_t *id,
                      struct rules_error *e)
{
    bool admin = strcmp(u->role, "admin") == 0;
    if (!admin && !org_admin) {
        return rules_fail(e, ERR_DENIED, NULL,
                          "Webhooks are for admins and organisations' admins (org-admin).");
    }
    if (refusal != NULL) {
        return rules_fail(e, ERR_INVAL, "url", refusal);
    }
    if (!admin && strcmp(w->events, "lead.consented") != 0) {
        return rules_fail(e, ERR_INVAL, "events",
                          "An organisation's webhook hears its own new leads: lead.consented. "
                          "The site's events are for the site's admins.");
    }
    struct store_webhook *mine;
    size_t n;
    struct arena a;
    arena_init(&a);
    int rc = store_webhooks_of(db, &a, u->id, &mine, &n);
    arena_fini(&a);
    if (rc != 0) {
        return rc;
    }
    if (n >= RULES_WEBHOOKS_MAX) {
        return rules_fail(e, ERR_DENIED, NULL, "You have 20 webhooks already: that is the most.");
    }
    if (w->secret == NULL || strlen(w->secret) < 16 || strlen(w->secret) > 200) {
        return rules_fail(e, ERR_INVAL, "secret",
                          "secret is 16 to 200 characters: the receiver checks signatures with it.");
    }
    /* an organisation's hook hears its own leads; a site admin's hears the site */
    w->org = admin ? "" : u->domain;
    w->owner_id = u->id;
    return store_webhook_create(db, w, id);
}

int rules_webhook_mine(struct store *db, struct arena *a, const struct store_user *u, int64_t id,
                       struct store_webhook *out, struct rules_error *e)
{
    int rc = store_webhook_get(db, a, id, out);
    if (rc == ERR_NOTFOUND || (rc == 0 && out->owner_id != u->id)) {
        return rules_fail(e, ERR_NOTFOUND, "id", "No such webhook of yours.");
    }
    return rc;
}

/* Queues event for every webhook listening (org: only that organisation's; NULL: all). */
int rules_emit(struct store *db, struct arena *a, const char *event, const char *org,
               const char *data_json, int64_t now)
{
    struct store_webhook *hooks;
    size_t n;
    int rc = store_webhooks_for(db, a, event, org, &hooks, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *body = arena_printf(a, "{\"event\":\"%s\",\"at\":%lld,\"data\":%s}", event,
                                        (long long)now, data_json);
        rc = store_delivery_queue(db, hooks[i].id, event, body, now);
    }
    return rc;
}

void rules_emit_item(struct store *db, struct arena *a, const char *event, int64_t item_id,
                     const char *status, int64_t now)
{
    struct store_item it;
    if (store_item_get(db, a, item_id, 0, &it) != 0) {
        return;
    }
    struct buf b;
    buf_init(&b, 0);
    struct json_w w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", it.id);
    json_w_kstr(&w, "kind", it.kind);
    json_w_kstr(&w, "title", it.title);
    json_w_kstr(&w, "url", it.url);
    json_w_kstr(&w, "by", it.user_handle);
    json_w_kstr(&w, "page", arena_printf(a, "/i/%lld", (long long)it.id));
    json_w_kstr(&w, "status", status != NULL ? status : it.status);
    if (it.idea_status[0] != '\0') {
        json_w_kstr(&w, "idea_status", it.idea_status);
    }
    json_w_end(&w, '}');
    if (rules_emit(db, a, event, NULL, buf_cstr(&b), now) != 0) {
        log_warn("webhooks: could not queue %s for item %lld", event, (long long)item_id);
    }
    buf_fini(&b);
}

void rules_emit_comment(struct store *db, struct arena *a, const struct store_user *u,
                        int64_t item_id, int64_t comment_id, const char *body, int64_t now)
{
    struct buf b;
    buf_init(&b, 0);
    struct json_w w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", comment_id);
    json_w_ki64(&w, "item_id", item_id);
    json_w_kstr(&w, "by", u->handle);
    json_w_kstr(&w, "body", body);
    json_w_kstr(&w, "page", arena_printf(a, "/i/%lld#c%lld", (long long)item_id,
                                         (long long)comment_id));
    json_w_end(&w, '}');
    if (rules_emit(db, a, "comment.created", NULL, buf_cstr(&b), now) != 0) {
        log_warn("webhooks: could not queue comment.created for comment %lld",
                 (long long)comment_id);
    }
    buf_fini(&b);
}

int rules_emit_lead(struct store *db, struct arena *a, const struct store_user *u,
                    const char *org, int64_t now)
{
    struct store_webhook *hooks;
    size_t n;
    int rc = store_webhooks_for(db, a, "lead.consented", org, &hooks, &n);
    if (rc != 0 || n == 0) {
        return rc;
    }
    struct buf b;
    buf_init(&b, 0);
    struct json_w w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", u->handle);
    json_w_kstr(&w, "name", u->name);
    json_w_kstr(&w, "email", u->email);
    json_w_kstr(&w, "affiliation", u->affiliation);
    json_w_kstr(&w, "org", org);
    json_w_end(&w, '}');
    rc = rules_emit(db, a, "lead.consented", org, buf_cstr(&b), now);
    buf_fini(&b);
    return rc != 0 ? rc : store_lead_export_log(db, u->id, org, 0, "webhook", now);
}

int rules_subscribe_check(const char *email, const char *name, const char *what,
                          const char *target, struct rules_error *e)
{
    if (email == NULL || !rules_email_ok(email)) {
        return rules_fail(e, ERR_INVAL, "email", "Give an email address, like ana@example.org.");
    }
    if (name != NULL && !rules_text_ok(name, RULES_NAME_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "name", "A name is at most 80 characters.");
    }
    if (what == NULL || (strcmp(what, "digest") != 0 && strcmp(what, "blog") != 0 &&
                         strcmp(what, "search") != 0)) {
        return rules_fail(e, ERR_INVAL, "what",
                          "Subscribe to the daily digest, a blog or a search.");
    }
    bool one_line = target != NULL && strcspn(target, "\r\n\t\v\f") == strlen(target);
    if (strcmp(what, "digest") != 0 && (target == NULL || target[0] == '\0' || !one_line ||
                                        !rules_text_ok(target, 200, true))) {
        return rules_fail(e, ERR_INVAL, "target",
                          "Say which blog (its number) or which search (its words).");
    }
    return 0;
}

int rules_leads_exported(struct store *db, const struct store_lead *leads, size_t n,
                         const char *org, const struct store_user *by, int64_t now)
{
    int rc = store_tx_begin(db);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = store_lead_export_log(db, leads[i].user_id, org, by->id, "csv", now);
    }
    return rc == 0 ? store_tx_commit(db) : (store_tx_rollback(db), rc);
}

int rules_blog_claim_token(struct store *db, struct arena *a, const struct store_user *u,
                           const char *fresh, const char **token)
{
    return store_verify_token(db, a, u->id, fresh, token);
}

int rules_blog_verified(struct store *db, const struct store_user *u,
                        const struct store_item *blog, bool found, int64_t now,
                        struct rules_error *e)
{
    if (!found) {
        return rules_fail(e, ERR_INVAL, NULL, "The blog does not publish your token yet.");
    }
    return store_blog_owner_add(db, u->id, blog->id, now);
}

int rules_subscription(struct store *db, const struct store_subscriber *s, bool confirm,
                       int64_t now, struct rules_error *e)
{
    if (confirm && s->unsubscribed_at > 0) {
        return rules_fail(e, ERR_EXISTS, "token",
                          "This subscription was ended: subscribe again to start it anew.");
    }
    return confirm ? store_subscriber_confirm(db, s->id, now) : store_subscriber_end(db, s->id, now);
}
