/* The store's reader signals and the member's own data (included by store.h, same ownership
 * rules): saves, what readers did (reader_events), the counts behind authors' statistics,
 * blog owners, consents to be contacted and their export log, subscribers by mail, webhooks
 * and their deliveries, the export of a member's data and the deletion of an account
 * (signals.c, stats.c, privacy.c, subscribers.c, webhooks.c, account.c). Strings in results
 * live in the caller's arena. Functions return 0 or a negative enum err. */
#ifndef GUILD_STORE_SIGNALS_H
#define GUILD_STORE_SIGNALS_H

/* ---- site keys (settings.c) ---- */
/* Adds key with value unless it is there (another node's stays: read it back). */
int store_setting_add(struct store *s, const char *key, const char *value) WUR;
/* Deletes the settings whose keys sort in [prefix, keep_from) (old daily keys). */
int store_settings_prune(struct store *s, const char *prefix, const char *keep_from) WUR;

/* ---- saves ---- */
/* on: the member saves a listed item for later; off: no longer. *changed: whether anything
 * changed. ERR_NOTFOUND when the item is not listed (and on is true). */
int store_save_set(struct store *s, int64_t user_id, int64_t item_id, bool on, int64_t now,
                   bool *changed) WUR;
int store_save_is(struct store *s, int64_t user_id, int64_t item_id, bool *yes) WUR;
/* The member's saved items still listed, the latest saved first (items in a). */
int store_item_list_saved(struct store *s, struct arena *a, int64_t user_id, int limit,
                          int offset, struct store_item **items, size_t *n) WUR;

/* ---- what readers did ---- */
/* One open (through /go or a tracked redirect) or read (a page here) of an item, or of a
 * monitored blog's entry (item_id 0). reader: "u<id>" for a member, "v<hash>" for a visitor,
 * NULL when the reader asked not to be told apart (Sec-GPC). Kept once per reader, target,
 * kind, source and day; strings are copied. */
struct store_reader_event {
    int64_t item_id, entry_id;
    const char *kind;   /* open, read */
    const char *source; /* front, new, digest, river, search, outside, mail, site */
    const char *reader;
    int64_t user_id; /* 0: not a member */
    int64_t at;
};
int store_reader_event(struct store *s, const struct store_reader_event *e) WUR;

/* One figure of an author's statistics in one time bucket: its count, the distinct readers
 * and the distinct members behind it (the k-anonymity rules look at both). dim: opens,
 * readers, trusted, saves, votes, comments, reshares, read_through, source, org; key: the
 * vote's "up" or reason, the source, the organisation kind (vendor, buyer, independent,
 * unstated); "" otherwise. */
struct store_stat_cell {
    const char *dim, *key;
    int64_t bucket, count, readers, members;
};
/* What to count: one item (entry_id 0) or one entry (item_id 0), events in [from, to) in
 * buckets of `bucket` seconds from `from`; trusted readers are members with trust >= trusted. */
struct store_stats_query {
    int64_t item_id, entry_id, from, to, bucket;
    double trusted;
};
/* Array in a; figures that count nothing have no row. */
int store_stats_cells(struct store *s, struct arena *a, const struct store_stats_query *q,
                      struct store_stat_cell **out, size_t *n) WUR;
/* A member's own submissions (the newest first), and a blog's entries that at least
 * min_readers distinct readers opened (the newest first): ids and titles in a. */
struct store_stat_target {
    int64_t id;
    const char *title;
    int64_t created_at;
};
int store_stats_own_items(struct store *s, struct arena *a, int64_t user_id, int limit,
                          struct store_stat_target **out, size_t *n) WUR;
int store_stats_blog_entries(struct store *s, struct arena *a, int64_t blog_item_id,
                             int min_readers, int limit, struct store_stat_target **out,
                             size_t *n) WUR;
/* The blog item a monitored entry belongs to (ERR_NOTFOUND); its address in a. */
int store_entry_target(struct store *s, struct arena *a, int64_t entry_id, int64_t *blog_item_id,
                       const char **url) WUR;

/* ---- blog owners ---- */
int store_blog_owner_add(struct store *s, int64_t user_id, int64_t item_id, int64_t now) WUR;
int store_blog_owner_is(struct store *s, int64_t user_id, int64_t item_id, bool *yes) WUR;
/* The member's token for /.well-known/guild-verify.txt: made (from fresh, 32+ characters)
 * the first time, the same afterwards. *token in a. */
int store_verify_token(struct store *s, struct arena *a, int64_t user_id, const char *fresh,
                       const char **token) WUR;

/* ---- organisations, consents and the export log ---- */
/* kind: vendor, buyer, independent or "" (not said), NULL to keep; org_admin 0 or 1, -1 to
 * keep. ERR_NOTFOUND for no such member. */
int store_user_org_set(struct store *s, int64_t user_id, const char *kind, int org_admin) WUR;
int store_user_org_get(struct store *s, struct arena *a, int64_t user_id, const char **kind,
                       bool *org_admin) WUR;
/* on: the member allows the organisation (a domain) to contact them (twice changes nothing);
 * off: withdraws it. *changed says whether anything changed. */
int store_consent_set(struct store *s, int64_t user_id, const char *org, bool on, int64_t now,
                      bool *changed) WUR;
struct store_consent {
    const char *org;
    int64_t granted_at, withdrawn_at;
};
/* current_only: only consents not withdrawn. */
int store_consents(struct store *s, struct arena *a, int64_t user_id, bool current_only,
                   struct store_consent **out, size_t *n) WUR;
struct store_lead {
    int64_t user_id;
    const char *handle, *name, *email, *affiliation;
    int64_t granted_at;
};
/* Members with a current consent for org (and not deleted or banned), oldest consent first. */
int store_leads(struct store *s, struct arena *a, const char *org, struct store_lead **out,
                size_t *n) WUR;
/* Records that org exported the member's contact (by_user 0: a webhook push). */
int store_lead_export_log(struct store *s, int64_t user_id, const char *org, int64_t by_user,
                          const char *how, int64_t now) WUR;
struct store_lead_export {
    const char *org, *how;
    int64_t at;
};
int store_lead_exports(struct store *s, struct arena *a, int64_t user_id,
                       struct store_lead_export **out, size_t *n) WUR;

/* ---- subscribers by mail ---- */
struct store_subscriber {
    int64_t id;
    const char *email, *name, *what, *target, *token;
    int64_t confirmed_at, unsubscribed_at, last_sent_at, created_at;
};
/* A new subscription, or a fresh token for one not confirmed or ended (a second sign-up
 * mails the confirmation again). *token: the subscription's (in a); *confirmed: it was
 * already confirmed and still on (nothing is mailed then). */
int store_subscriber_add(struct store *s, struct arena *a, const char *email, const char *name,
                         const char *what, const char *target, const char *token, int64_t now,
                         const char **token_out, bool *confirmed) WUR;
int store_subscriber_by_token(struct store *s, struct arena *a, const char *token,
                              struct store_subscriber *out) WUR;
/* confirm: sets confirmed_at (once); end: sets unsubscribed_at (once). */
int store_subscriber_confirm(struct store *s, int64_t id, int64_t now) WUR;
int store_subscriber_end(struct store *s, int64_t id, int64_t now) WUR;
/* Confirmed, current subscribers of what, last sent and looked at before `before`, the
 * longest unlooked-at first. */
int store_subscribers_due(struct store *s, struct arena *a, const char *what, int64_t before,
                          struct store_subscriber **out, size_t *n) WUR;
int store_subscriber_sent(struct store *s, int64_t id, int64_t now) WUR;
/* A blog's or search's subscription was looked at for news (due again an hour later). */
int store_subscriber_checked(struct store *s, int64_t id, int64_t now) WUR;
/* A mail with its one-click unsubscribe address (RFC 8058). */
int store_mail_queue_unsub(struct store *s, const char *to, const char *subject,
                           const char *body, const char *unsubscribe, int64_t now) WUR;

/* ---- webhooks ---- */
struct store_webhook {
    int64_t id, owner_id;
    const char *org, *url, *events, *secret;
    int64_t created_at;
};
/* events: comma-separated names; org: the owner's organisation domain ("" for a site admin's). */
int store_webhook_create(struct store *s, const struct store_webhook *w, int64_t *id) WUR;
int store_webhook_get(struct store *s, struct arena *a, int64_t id, struct store_webhook *out) WUR;
/* Every webhook listening to event: the site's (org NULL) or that organisation's. */
int store_webhooks_for(struct store *s, struct arena *a, const char *event, const char *org,
                       struct store_webhook **out, size_t *n) WUR;
int store_webhooks_of(struct store *s, struct arena *a, int64_t owner_id,
                      struct store_webhook **out, size_t *n) WUR;
/* A delivery to make (due now). */
int store_delivery_queue(struct store *s, int64_t webhook_id, const char *event,
                         const char *body, int64_t now) WUR;
struct store_delivery {
    int64_t id, webhook_id;
    const char *event, *body, *status, *last_error;
    int attempts, last_status;
    int64_t next_attempt_at, created_at, delivered_at;
};
int store_deliveries_due(struct store *s, struct arena *a, int64_t now, int limit,
                         struct store_delivery **out, size_t *n) WUR;
/* The outcome of an attempt: delivered, or next > 0 for another try then, or failed. */
int store_delivery_result(struct store *s, int64_t id, bool delivered, int http_status,
                          const char *error, int64_t next, int64_t now) WUR;
int store_deliveries_of(struct store *s, struct arena *a, int64_t webhook_id, int limit,
                        struct store_delivery **out, size_t *n) WUR;

/* ---- the member's own data ---- */
/* Every row stored about the member, as a JSON object (caller json_decref's *out). */
#include <jansson.h>
int store_member_export(struct store *s, int64_t user_id, json_t **out) WUR;
/* Deletes the account in one transaction: email, password, name and affiliation erased,
 * sessions, tokens, votes, opens, saves, follows, messages and webhooks removed, consents
 * withdrawn, reader events kept under pseudonym (random, kept nowhere else) instead of the
 * member; comments kept under "[deleted member]"
 * or removed (remove_comments; answers nobody voted on go too). The handle becomes
 * _deleted_ID, which no sign-up can take (handles start with a letter). */
int store_member_delete(struct store *s, int64_t user_id, bool remove_comments,
                        const char *pseudonym, int64_t now) WUR;

#endif
