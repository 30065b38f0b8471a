/* Group rules: who may create a group, join it (open, on request, by invitation), what its
 * moderators may do to members and roles, the customer role, and the 5:1 rule inside a
 * group. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/url.h"
#include "../core/util.h"
#include "rules_int.h"

static const char *const memberships[] = {"open", "request", "invite", NULL};
static const char *const group_roles[] = {"member", "customer", "moderator", NULL};

/* One line of a customer list names an organisation (its affiliation, any case) or a domain. */
static bool customer_line_matches(const char *line, size_t len, const struct store_user *u)
{
    while (len > 0 && isspace((unsigned char)*line)) {
        line++, len--;
    }
    while (len > 0 && isspace((unsigned char)line[len - 1])) {
        len--;
    }
    if (len == 0) {
        return false;
    }
    if (u->affiliation && strlen(u->affiliation) == len &&
        strncasecmp(u->affiliation, line, len) == 0) {
        return true;
    }
    return u->domain && strlen(u->domain) == len && strncasecmp(u->domain, line, len) == 0;
}

static bool on_customer_list(const struct store_group *g, const struct store_user *u)
{
    for (const char *p = g->customers; p != NULL && *p;) {
        size_t len = strcspn(p, ",\n");
        if (customer_line_matches(p, len, u)) {
            return true;
        }
        p += len + (p[len] != '\0');
    }
    return false;
}

int rules_group_role(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_group *g, struct rules_group_role *out)
{
    memset(out, 0, sizeof(*out));
    if (u == NULL) {
        return 0;
    }
    struct store_group_member m;
    int rc = store_group_membership(db, a, g->id, u->id, &m);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    bool active = rc == 0 && strcmp(m.state, "active") == 0;
    out->member = active;
    out->pending = rc == 0 && strcmp(m.state, "pending") == 0;
    out->invited = rc == 0 && strcmp(m.state, "invited") == 0;
    out->moderator = rules_is_moderator(u) || (active && strcmp(m.role, "moderator") == 0);
    out->customer = (active && strcmp(m.role, "customer") == 0) || (active && on_customer_list(g, u));
    return 0;
}

static bool slug_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 2 || n > RULES_SLUG_MAX || s[0] == '-' || s[n - 1] == '-' || strcmp(s, "new") == 0) {
        return false;
    }
    for (size_t k = 0; k < n; k++) {
        if (!(islower((unsigned char)s[k]) || isdigit((unsigned char)s[k]) || s[k] == '-')) {
            return false;
        }
    }
    return true;
}

static int group_fields_ok(struct arena *a, const struct store_group *in, struct store_group *g,
                           struct rules_error *e)
{
    if (!slug_ok(in->slug)) {
        return rules_fail(e, ERR_INVAL, "slug", "The address name takes 2 to 40 lower-case "
                                                "letters, digits and hyphens, like b2b-pricing.");
    }
    if (!rules_text_ok(in->name, RULES_NAME_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "name", "Give the group a name of at most 80 characters.");
    }
    if (!rules_text_ok(in->description, RULES_GROUP_DESC_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "description", "The description is too long (2,000 "
                                                       "characters at most).");
    }
    if (in->membership == NULL || !rules_in_list(memberships, in->membership)) {
        return rules_fail(e, ERR_INVAL, "membership", "Membership is open, request or invite.");
    }
    if (!rules_text_ok(in->customers, RULES_GROUP_DESC_MAX, false) ||
        !rules_text_ok(in->org_domain, RULES_ORG_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "customers", "The organisation or customer list is too long.");
    }
    if (in->vote_budget < 0 || in->vote_budget > 100) {
        return rules_fail(e, ERR_INVAL, "vote_budget", "A vote budget is 1 to 100 votes.");
    }
    *g = *in;
    g->description = in->description ? in->description : "";
    g->customers = in->customers ? in->customers : "";
    g->org_domain = in->org_domain ? arena_strdup(a, in->org_domain) : "";
    g->vote_budget = in->vote_budget ? in->vote_budget : RULES_VOTE_BUDGET;
    return 0;
}

int rules_group_create(struct store *db, struct arena *a, const struct rules_policy *pol,
                       const struct store_user *u, const struct store_group *in, int64_t *id,
                       struct rules_error *e)
{
    int64_t now = now_unix();
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (rules_is_new(pol, u, now)) {
        return rules_fail(e, ERR_DENIED, "slug", "New members cannot create groups yet: take "
                                                 "part for a few days first.");
    }
    struct store_group g;
    if ((rc = group_fields_ok(a, in, &g, e)) != 0) {
        return rc;
    }
    g.created_by = u->id;
    g.created_at = now;
    rc = store_group_create(db, &g, id);
    if (rc == ERR_EXISTS) {
        return rules_fail(e, ERR_EXISTS, "slug", "A group already has this address name.");
    }
    return rc;
}

/* Tells the group's moderators (failures logged: the request is stored). */
static void tell_moderators(struct store *db, struct arena *a, const struct store_group *g,
                            const struct store_user *u, int64_t now)
{
    int64_t *ids;
    size_t n;
    int rc = store_group_moderator_ids(db, a, g->id, &ids, &n);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        rc = store_notify_kind(db, ids[k], "group", u->id, g->id, now,
                               arena_printf(a, "%s asks to join %s.", u->handle, g->name));
    }
    if (rc != 0) {
        log_warn("join request notice for group %lld not sent (%s)", (long long)g->id,
                 err_code(rc));
    }
}

int rules_group_join(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_group *g, int64_t now, const char **state,
                     struct rules_error *e)
{
    struct rules_group_role r;
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = rules_group_role(db, a, u, g, &r);
    }
    if (rc != 0) {
        return rc;
    }
    *state = r.pending ? "pending" : "active";
    if (r.member || r.pending) {
        return 0; /* joining twice is not an error */
    }
    if (strcmp(g->membership, "invite") == 0 && !r.invited) {
        return rules_fail(e, ERR_DENIED, "slug", "This group is by invitation only: ask one of "
                                                 "its moderators to invite you.");
    }
    bool ask = strcmp(g->membership, "request") == 0 && !r.invited;
    *state = ask ? "pending" : "active";
    rc = store_group_member_set(db, g->id, u->id, "member", *state, now);
    if (rc == 0 && ask) {
        tell_moderators(db, a, g, u, now);
    }
    return rc;
}

int rules_group_member(struct store *db, struct arena *a, const struct store_user *u,
                       const struct store_group *g, const struct store_user *t,
                       const char *action, const char *role, int64_t now, struct rules_error *e)
{
    struct rules_group_role mine;
    struct store_group_member m;
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = rules_group_role(db, a, u, g, &mine);
    }
    if (rc != 0) {
        return rc;
    }
    if (!mine.moderator) {
        return rules_fail(e, ERR_DENIED, "handle", "Only the group's moderators manage its members.");
    }
    if (role != NULL && role[0] != '\0' && !rules_in_list(group_roles, role)) {
        return rules_fail(e, ERR_INVAL, "role", "A role is member, moderator or customer.");
    }
    rc = store_group_membership(db, a, g->id, t->id, &m);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    bool known = rc == 0;
    bool removing = action != NULL && strcmp(action, "remove") == 0;
    if (known && strcmp(m.role, "moderator") == 0 &&
        (removing || (role != NULL && role[0] && strcmp(role, "moderator") != 0))) {
        int64_t *mods;
        size_t nmods;
        if ((rc = store_group_moderator_ids(db, a, g->id, &mods, &nmods)) != 0) {
            return rc;
        }
        if (nmods <= 1) {
            return rules_fail(e, ERR_DENIED, "handle", "A group keeps at least one moderator: "
                                                       "make someone else a moderator first.");
        }
    }
    if (removing) {
        return known ? store_group_member_remove(db, g->id, t->id) : 0;
    }
    if (action == NULL || strcmp(action, "approve") != 0) {
        return rules_fail(e, ERR_INVAL, "action", "The action is approve or remove.");
    }
    const char *r = role && role[0] ? role : known ? m.role : "member";
    /* someone not in an invite group is invited, not added: they accept by joining */
    const char *state = known ? (strcmp(m.state, "invited") == 0 ? "invited" : "active")
                              : (strcmp(g->membership, "invite") == 0 ? "invited" : "active");
    rc = store_group_member_set(db, g->id, t->id, r, state, now);
    if (rc == 0 && t->id != u->id) {
        const char *text = strcmp(state, "invited") == 0
                               ? arena_printf(a, "%s invited you to join %s.", u->handle, g->name)
                               : arena_printf(a, "You are a %s of %s.", r, g->name);
        if (store_notify_kind(db, t->id, "group", u->id, g->id, now, text) != 0) {
            log_warn("group notice to member %lld not sent", (long long)t->id);
        }
    }
    return rc;
}

int rules_group_promoter(struct store *db, const struct rules_policy *pol,
                         const struct store_user *u, const struct store_group *g, bool *above)
{
    int own = 0, total = 0;
    int rc = store_group_own_posts(db, g->id, u->id, RULES_OWN_SHARE_WINDOW, &own, &total);
    *above = rc == 0 && total > 0 && (double)own > pol->own_share * (double)total + 1e-9;
    return rc;
}

bool rules_own_post(const struct store_user *u, const char *url, const char *text)
{
    if (u->domain == NULL || u->domain[0] == '\0') {
        return false;
    }
    const char *hay[2] = {url, text};
    for (int k = 0; k < 2; k++) {
        for (const char *p = hay[k]; p != NULL && (p = strstr(p, "://")) != NULL; p += 3) {
            char host[256];
            size_t n = strcspn(p + 3, "/?#:) \t\r\n\"'<>");
            if (n > 0 && n < sizeof(host)) {
                memcpy(host, p + 3, n);
                host[n] = '\0';
                if (url_domain_matches(host, u->domain)) {
                    return true;
                }
            }
        }
    }
    return false;
}

int rules_group_post_ok(struct store *db, struct arena *a, const struct store_user *u,
                        const struct store_group *g, int64_t competition_id, int64_t now,
                        struct rules_error *e)
{
    struct rules_group_role r;
    int rc = rules_group_role(db, a, u, g, &r);
    if (rc != 0) {
        return rc;
    }
    if (!r.member) {
        return rules_fail(e, ERR_DENIED, "group", "Join the group to post in it.");
    }
    if (competition_id <= 0) {
        return 0;
    }
    struct store_competition c;
    rc = store_competition_get(db, a, competition_id, &c);
    if (rc == ERR_NOTFOUND || (rc == 0 && c.group_id != g->id)) {
        return rules_fail(e, ERR_NOTFOUND, "competition", "No such competition in this group.");
    }
    if (rc == 0 && (now < c.entry_start || now >= c.entry_end)) {
        return rules_fail(e, ERR_DENIED, "competition",
                          now < c.entry_start ? "Entries are not open yet: see the competition's "
                                                "entry window."
                                              : "The entry window has closed.");
    }
    bool entered = false;
    if (rc == 0 && (rc = store_competition_entered(db, competition_id, u->id, &entered)) == 0 &&
        entered) {
        return rules_fail(e, ERR_DENIED, "competition", "You have entered this competition "
                                                        "already: one entry each.");
    }
    return rc;
}
