/* Relationship rules: following (members and blogs, capped), connecting (request, accept,
 * decline, remove), endorsing a connection for a topic, and the notifications each sends. */
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../text/text.h"
#include "rules.h"

/* Tells `to` what u did. A notice is not repeated within RULES_RENOTIFY (unfollowing and
 * following again, withdrawing and asking again, would otherwise ring each time), and a
 * failure to tell is logged, not returned: what u did is stored. */
static void tell(struct store *db, int64_t to, const char *kind, const struct store_user *u,
                 int64_t now, const char *text)
{
    bool told = false;
    int rc = store_notified(db, to, kind, u->id, now - RULES_RENOTIFY, &told);
    if (rc == 0 && !told) {
        rc = store_notify_kind(db, to, kind, u->id, 0, now, text);
    }
    if (rc != 0) {
        log_warn("%s notice from member %lld not sent (%s)", kind, (long long)u->id,
                 err_code(rc));
    }
}

/* A member may follow at most max(RULES_FOLLOW_FLOOR, 1.1 x their followers): follow-back
 * schemes that follow thousands to be followed back hit it; a genuine reader rarely does. */
int rules_follow_cap(int followers)
{
    int by_followers = followers + followers / 10;
    return by_followers > RULES_FOLLOW_FLOOR ? by_followers : RULES_FOLLOW_FLOOR;
}

int rules_follow(struct store *db, struct arena *a, const struct store_user *u,
                 const struct store_user *target, bool on, int64_t now, struct rules_error *e)
{
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (u->id == target->id) {
        return rules_fail(e, ERR_INVAL, "handle", "You cannot follow yourself.");
    }
    if (on) {
        struct store_ties t;
        if ((rc = store_ties(db, u->id, &t)) != 0) {
            return rc;
        }
        if (t.following >= rules_follow_cap(t.followers)) {
            return rules_fail(e, ERR_LIMIT, "handle",
                              "You follow as many members as you may: at most 1,000, or 1.1 "
                              "times your followers if that is more. Unfollow someone first.");
        }
    }
    bool changed;
    rc = store_follow_set(db, u->id, target->id, on, now, &changed);
    if (rc == 0 && changed && on) {
        tell(db, target->id, "follow", u, now, arena_printf(a, "%s followed you.", u->handle));
    }
    return rc;
}

int rules_follow_blog(struct store *db, const struct store_user *u, int64_t item_id, bool on,
                      int64_t now, struct rules_error *e)
{
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    bool changed;
    rc = store_blog_follow_set(db, u->id, item_id, on, now, &changed);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, rc, "id", "No such blog in the directory.");
    }
    return rc;
}

/* The state of the pair as seen from u: "", accepted, pending_out, pending_in, declined_out,
 * declined_in (static strings); *since: when the state began. */
static int pair_state(struct store *db, struct arena *a, int64_t u, int64_t other,
                      const char **state, int64_t *since)
{
    struct store_connection c;
    int rc = store_connection_get(db, a, u, other, &c);
    *state = "";
    *since = 0;
    if (rc == ERR_NOTFOUND) {
        return 0;
    }
    if (rc != 0) {
        return rc;
    }
    bool mine = c.requester_id == u;
    *since = c.decided_at ? c.decided_at : c.created_at;
    if (strcmp(c.state, "accepted") == 0) {
        *state = "accepted";
    } else if (strcmp(c.state, "pending") == 0) {
        *state = mine ? "pending_out" : "pending_in";
    } else {
        *state = mine ? "declined_out" : "declined_in";
    }
    return 0;
}

static int connection_request(struct store *db, struct arena *a, const struct store_user *u,
                              const struct store_user *t, const char *state, int64_t since,
                              int64_t now, struct rules_error *e)
{
    if (strcmp(state, "accepted") == 0) {
        return rules_fail(e, ERR_EXISTS, "action", "You are already connected.");
    }
    if (strcmp(state, "pending_out") == 0) {
        return rules_fail(e, ERR_EXISTS, "action", "You have already asked; they have not answered yet.");
    }
    if (strcmp(state, "declined_out") == 0 && now - since < RULES_DECLINED_WAIT) {
        e->retry_after = (int)(RULES_DECLINED_WAIT - (now - since));
        return rules_fail(e, ERR_LIMIT, "action",
                          "They declined your last request; you may ask again 30 days after.");
    }
    struct store_connection c = {u->id, t->id, "pending", now, 0};
    const char *kind = "connect_request", *what = "asked to connect with you";
    if (strcmp(state, "pending_in") == 0) { /* both asked: that is an acceptance */
        c = (struct store_connection){t->id, u->id, "accepted", since, now};
        kind = "connect_accept";
        what = "accepted your request to connect";
    }
    int rc = store_connection_put(db, &c);
    if (rc == 0) {
        tell(db, t->id, kind, u, now, arena_printf(a, "%s %s.", u->handle, what));
    }
    return rc;
}

int rules_connection(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_user *t, const char *action, int64_t now,
                     struct rules_error *e)
{
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (u->id == t->id) {
        return rules_fail(e, ERR_INVAL, "handle", "You cannot connect with yourself.");
    }
    const char *state;
    int64_t since;
    if ((rc = pair_state(db, a, u->id, t->id, &state, &since)) != 0) {
        return rc;
    }
    if (action != NULL && strcmp(action, "request") == 0) {
        return connection_request(db, a, u, t, state, since, now, e);
    }
    if (action != NULL && (strcmp(action, "accept") == 0 || strcmp(action, "decline") == 0)) {
        if (strcmp(state, "pending_in") != 0) {
            return rules_fail(e, ERR_NOTFOUND, "action", "They have not asked to connect with you.");
        }
        bool accept = action[0] == 'a';
        struct store_connection c = {t->id, u->id, accept ? "accepted" : "declined", since, now};
        rc = store_connection_put(db, &c);
        if (rc == 0 && accept) { /* a declined request is not announced */
            tell(db, t->id, "connect_accept", u, now,
                 arena_printf(a, "%s accepted your request to connect.", u->handle));
        }
        return rc;
    }
    if (action != NULL && strcmp(action, "remove") == 0) {
        if (strcmp(state, "accepted") != 0 && strcmp(state, "pending_out") != 0) {
            return rules_fail(e, ERR_NOTFOUND, "action", "You are not connected.");
        }
        return store_connection_delete(db, u->id, t->id); /* endorsements go with it */
    }
    return rules_fail(e, ERR_INVAL, "action", "action is request, accept, decline or remove.");
}

int rules_endorse(struct store *db, struct arena *a, const struct store_user *u,
                  const struct store_user *t, const char *topic, int64_t now,
                  struct rules_error *e)
{
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (topic == NULL || !rules_in_list(rules_tags, topic)) {
        return rules_fail(e, ERR_INVAL, "topic", "topic is one of the site's tags.");
    }
    const char *state;
    int64_t since;
    if ((rc = pair_state(db, a, u->id, t->id, &state, &since)) != 0) {
        return rc;
    }
    if (strcmp(state, "accepted") != 0) {
        return rules_fail(e, ERR_DENIED, "handle", "You can endorse only your connections.");
    }
    bool added;
    rc = store_endorse(db, u->id, t->id, topic, now, &added);
    if (rc == 0 && added) { /* each topic once: not through tell, which would skip the second */
        int nrc = store_notify_kind(db, t->id, "endorse", u->id, 0, now,
                                    arena_printf(a, "%s vouches for you on %s.", u->handle, topic));
        if (nrc != 0) {
            log_warn("endorse notice not sent (%s)", err_code(nrc));
        }
    }
    return rc;
}

int rules_reshare(struct store *db, const struct store_user *u, int64_t item_id,
                  const char *commentary, int64_t now, int64_t *id, struct rules_error *e)
{
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (commentary == NULL) {
        commentary = "";
    }
    if (!rules_text_ok(commentary, RULES_TEXT_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "commentary",
                          "Commentary is text of at most 10,000 characters.");
    }
    rc = store_reshare_create(db, u->id, item_id, commentary, now, id);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, rc, "id", "No such item, or it is not listed.");
    }
    return rc;
}

void rules_comment_notify(struct store *db, struct arena *a, const struct store_user *u,
                          const struct store_item *it, int64_t parent_id, int64_t cid,
                          const char *body, int64_t now)
{
    int64_t told = 0;
    const char *text = parent_id ? arena_printf(a, "%s replied to your comment on \u201c%s\u201d.",
                                                u->handle, it->title)
                                 : arena_printf(a, "%s commented on \u201c%s\u201d.", u->handle,
                                                it->title);
    int rc = store_notify_reply(db, parent_id, it->user_id, u->id, cid, now, text, &told);
    struct str s = str_z(body);
    size_t from = 0, at, len, k = 0, looked = 0;
    int64_t done[RULES_MENTIONS_MAX];
    /* at most RULES_MENTIONS_MAX members told, and twice that many handles looked up: a
     * comment full of @words costs a bounded number of queries */
    while (rc == 0 && k < RULES_MENTIONS_MAX && looked < 2 * RULES_MENTIONS_MAX &&
           text_mention_next(s, from, &at, &len)) {
        from = at + len;
        looked++;
        struct store_user m;
        char *handle = arena_strndup(a, s.p + at + 1, len - 1);
        int lrc = store_user_by_handle(db, a, handle, &m);
        if (lrc != 0 && lrc != ERR_NOTFOUND) {
            rc = lrc;
            break;
        }
        if (lrc != 0 || m.id == u->id || m.id == told) {
            continue; /* not a member, themselves, or already told of the reply */
        }
        bool again = false;
        for (size_t i = 0; i < k; i++) {
            again |= done[i] == m.id;
        }
        if (!again) {
            done[k++] = m.id;
            rc = store_notify_kind(db, m.id, "mention", u->id, cid, now,
                                   arena_printf(a, "%s mentioned you on \u201c%s\u201d.",
                                                u->handle, it->title));
        }
    }
    if (rc != 0) {
        log_warn("comment %lld: notifications not sent (%s)", (long long)cid, err_code(rc));
    }
}

int rules_dismiss(struct store *db, const struct store_user *u, const struct store_user *t,
                  int64_t now, struct rules_error *e)
{
    if (u->id == t->id) {
        return rules_fail(e, ERR_INVAL, "handle", "You are never suggested to yourself.");
    }
    return store_dismiss(db, u->id, t->id, now);
}
