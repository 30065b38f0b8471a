/* Direct messages: who may write to whom, and form messages, the canned outreach that fills
 * inboxes (one text sent to many within a day, or a message sent on the heels of a follow):
 * they are delivered marked as such, without a notification, and the sender is told. */
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../text/text.h"
#include "rules.h"

/* Earlier copies of this text within the day: *form when they went to enough distinct
 * recipients to show a template; then *mark lists those not marked yet (arena, *nmark). */
static int count_copies(struct store *db, struct arena *a, const struct store_user *u,
                        int64_t to_id, const char *fp, int64_t now, bool *form, int64_t **mark,
                        size_t *nmark)
{
    struct store_sent *sent;
    size_t n;
    int rc = store_messages_sent_since(db, a, u->id, now - 86400, &sent, &n);
    if (rc != 0) {
        return rc;
    }
    int64_t *recipients = arena_alloc(a, (n + 1) * sizeof(*recipients));
    bool *similar = arena_alloc(a, (n + 1) * sizeof(*similar));
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        similar[i] = text_form_similarity(fp, sent[i].fingerprint) >= TEXT_FORM_SIMILAR;
        bool seen = sent[i].to_id == to_id;
        for (size_t k = 0; k < nr && !seen && similar[i]; k++) {
            seen = recipients[k] == sent[i].to_id;
        }
        if (similar[i] && !seen) {
            recipients[nr++] = sent[i].to_id;
        }
    }
    *form = nr + 1 >= RULES_FORM_RECIPIENTS;
    *mark = arena_alloc(a, (n + 1) * sizeof(**mark));
    *nmark = 0;
    for (size_t i = 0; i < n && *form; i++) {
        if (similar[i] && !sent[i].form) {
            (*mark)[(*nmark)++] = sent[i].id;
        }
    }
    return 0;
}

static size_t word_count(const char *s)
{
    size_t n = s[0] != '\0';
    for (; *s; s++) {
        n += *s == ' ';
    }
    return n;
}

const char *rules_form_reason(enum rules_form why)
{
    switch (why) {
    case RULES_FORM_AFTER_FOLLOW:
        return "It was sent within two minutes of a follow between you, the way automatic "
               "messages are.";
    case RULES_FORM_COPIES:
        return "You sent nearly the same text to 5 or more members today.";
    default:
        return NULL;
    }
}

/* Whether the message is a form message, and why. */
static int form_check(struct store *db, struct arena *a, const struct store_user *u,
                      const struct store_user *to, const struct store_msg_rights *r,
                      const char *fp, int64_t now, enum rules_form *why, int64_t **mark,
                      size_t *nmark)
{
    *why = RULES_FORM_NONE;
    *nmark = 0;
    if (r->last_follow > 0 && now - r->last_follow <= RULES_AFTER_FOLLOW) {
        *why = RULES_FORM_AFTER_FOLLOW;
        return 0;
    }
    bool form = false;
    int rc = word_count(fp) >= RULES_FORM_MIN_WORDS
                 ? count_copies(db, a, u, to->id, fp, now, &form, mark, nmark) : 0;
    if (rc == 0 && form) {
        *why = RULES_FORM_COPIES;
    }
    return rc;
}

int rules_message(struct store *db, struct arena *a, const struct store_user *u,
                  const struct store_user *to, const char *body, int64_t now,
                  struct rules_message_sent *out, struct rules_error *e)
{
    memset(out, 0, sizeof(*out));
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (u->id == to->id) {
        return rules_fail(e, ERR_INVAL, "to", "You cannot write to yourself.");
    }
    if (!rules_text_ok(body, RULES_MESSAGE_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "body", "Write a message (at most 5,000 characters).");
    }
    struct store_msg_rights r;
    if ((rc = store_message_rights(db, u->id, to->id, &r)) != 0) {
        return rc;
    }
    if (!r.connected && !r.open_inbox) {
        return rules_fail(e, ERR_DENIED, "to",
                          "You can write to your connections, and to members who accept "
                          "messages from anyone.");
    }
    struct buf fp;
    buf_init(&fp, 0);
    const char *names[] = {to->name, to->handle, u->name, u->handle};
    text_form_normalise(&fp, body, names, 4);
    const char *fingerprint = arena_strdup(a, buf_cstr(&fp));
    buf_fini(&fp);
    int64_t *copies = NULL;
    size_t ncopies = 0;
    rc = form_check(db, a, u, to, &r, fingerprint, now, &out->why, &copies, &ncopies);
    if (rc != 0) {
        return rc;
    }
    out->form = out->why != RULES_FORM_NONE;
    out->form_reason = rules_form_reason(out->why);
    struct store_message_new m = {u->id, to->id, body, fingerprint, out->form, now};
    if ((rc = store_message_create(db, &m, &out->id)) != 0) {
        return rc;
    }
    for (size_t i = 0; i < ncopies && rc == 0; i++) {
        rc = store_message_mark_form(db, copies[i]); /* the earlier copies, now known */
    }
    if (rc != 0) {
        log_warn("message %lld: earlier copies not marked (%s)", (long long)out->id,
                 err_code(rc));
    }
    if (out->form || r.muted) { /* a form message waits in the inbox; it does not ring */
        return 0;
    }
    rc = store_notify_kind(db, to->id, "message", u->id, out->id, now,
                           arena_printf(a, "%s wrote to you.", u->handle));
    if (rc != 0) {
        log_warn("message %lld: notice not sent (%s)", (long long)out->id, err_code(rc));
    }
    return 0;
}

int rules_mute(struct store *db, const struct store_user *u, const struct store_user *t, bool on,
               int64_t now, struct rules_error *e)
{
    if (u->id == t->id) {
        return rules_fail(e, ERR_INVAL, "handle", "You cannot mute yourself.");
    }
    return store_mute_set(db, u->id, t->id, on, now);
}
