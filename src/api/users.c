/* /api/v1/users/HANDLE: the public profile (email and vote details stay private). */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

/* {"seo": ["ana", "bo"], ...}: who vouches for the member on which topic (rows by topic). */
static void write_endorsements(struct json_w *w, const struct store_endorsement *e, size_t n)
{
    json_w_key(w, "endorsements");
    json_w_begin_object(w);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(e[i].topic, e[i - 1].topic) != 0) {
            if (i > 0) {
                json_w_end(w, ']');
            }
            json_w_key(w, e[i].topic);
            json_w_begin_array(w);
        }
        json_w_str(w, e[i].from_handle);
    }
    if (n > 0) {
        json_w_end(w, ']');
    }
    json_w_end(w, '}');
}

static void write_ties(struct json_w *w, const struct store_ties *t,
                       const struct store_endorsement *ends, size_t nends)
{
    json_w_ki64(w, "followers", t->followers);
    json_w_ki64(w, "following", t->following);
    json_w_ki64(w, "blogs_followed", t->blogs);
    json_w_ki64(w, "connections", t->connections);
    json_w_kf64(w, "influence", t->influence);
    write_endorsements(w, ends, nends);
}

int api_user_get(struct http_request *rq)
{
    struct store_user u;
    struct store_user_stats st;
    char **invitees;
    size_t ninv;
    struct store *db = http_db(rq);
    int rc = app_member(rq, rq->params[0], "handle", &u);
    if (rc == 0) {
        rc = store_user_stats(db, u.id, &st);
    }
    if (rc == 0) {
        rc = store_user_invitees(db, &rq->arena, u.id, &invitees, &ninv);
    }
    struct store_ties ties;
    struct store_endorsement *ends = NULL;
    size_t nends = 0;
    if (rc == 0) {
        rc = store_ties(db, u.id, &ties);
    }
    if (rc == 0) {
        rc = store_endorsements_of(db, &rq->arena, u.id, &ends, &nends);
    }
    if (rc != 0) {
        return rc;
    }
    int total = st.links + st.blogs;
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", u.handle);
    json_w_kstr(&w, "name", u.name);
    json_w_kstr(&w, "affiliation", u.affiliation);
    json_w_kstr(&w, "domain", u.domain);
    json_w_kstr(&w, "role", u.role);
    json_w_kstr(&w, "invited_by", u.inviter_handle[0] ? u.inviter_handle : NULL);
    json_w_key(&w, "invitees");
    json_w_begin_array(&w);
    for (size_t i = 0; i < ninv; i++) {
        json_w_str(&w, invitees[i]);
    }
    json_w_end(&w, ']');
    json_w_ki64(&w, "joined_at", u.created_at);
    json_w_ki64(&w, "links", st.links);
    json_w_ki64(&w, "blogs", st.blogs);
    json_w_ki64(&w, "comments", st.comments);
    json_w_ki64(&w, "own_org_submissions", st.own_org);
    json_w_kf64(&w, "own_org_ratio", total ? (double)st.own_org / total : 0.0);
    write_ties(&w, &ties, ends, nends);
    if (rq->user != NULL && strcmp(rq->user->role, "admin") == 0) {
        json_w_kf64(&w, "trust", u.trust); /* admins only */
        json_w_kbool(&w, "seed", u.seed);
    }
    json_w_end(&w, '}');
    return 0;
}
