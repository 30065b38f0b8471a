/* Store rows -> rank snapshot: ids become indices, domains become affiliation ids. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/util.h"
#include "ranker_int.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

uint32_t ranker_index(const int64_t *ids, size_t n, int64_t id)
{
    const int64_t *p = bsearch(&id, ids, n, sizeof(*ids), cmp_i64);
    return p ? (uint32_t)(p - ids) : RANK_NONE;
}

struct dom {
    const char *name;
    int32_t id;
};

static int cmp_dom(const void *a, const void *b)
{
    return strcasecmp(((const struct dom *)a)->name, ((const struct dom *)b)->name);
}

/* The affiliation id of a published domain: the member domain it equals or sits under. */
static int32_t domain_affiliation(const struct dom *doms, size_t n, const char *host)
{
    if (strncasecmp(host, "www.", 4) == 0) {
        host += 4;
    }
    for (const char *h = host; h != NULL && *h; h = strchr(h, '.') ? strchr(h, '.') + 1 : NULL) {
        struct dom key = {h, 0};
        const struct dom *d = bsearch(&key, doms, n, sizeof(*doms), cmp_dom);
        if (d != NULL) {
            return d->id;
        }
    }
    return -1;
}

/* Trust ties and follows to member indices (rows naming a member newer than the snapshot
 * wait for the next one). */
static void map_edges(struct ranker_snap *rs, const struct store_rank_data *d)
{
    size_t nm = rs->nmember_ids;
    rs->edges = xmalloc((d->nties + 1) * sizeof(*rs->edges));
    rs->follows = xmalloc((d->nfollows + 1) * sizeof(*rs->follows));
    for (size_t k = 0; k < d->nties; k++) {
        uint32_t a = ranker_index(rs->member_ids, nm, d->ties[k].a);
        uint32_t b = ranker_index(rs->member_ids, nm, d->ties[k].b);
        if (a != RANK_NONE && b != RANK_NONE && a != b) {
            rs->edges[rs->nedges++] = (struct rank_edge){a, b};
        }
    }
    for (size_t k = 0; k < d->nfollows; k++) {
        uint32_t a = ranker_index(rs->member_ids, nm, d->follows[k].a);
        uint32_t b = ranker_index(rs->member_ids, nm, d->follows[k].b);
        if (a != RANK_NONE && b != RANK_NONE && a != b) {
            rs->follows[rs->nfollows++] = (struct social_edge){a, b};
        }
    }
}

void ranker_snap_build(struct ranker_snap *rs, const struct store_rank_data *d, int64_t now)
{
    memset(rs, 0, sizeof(*rs));
    size_t nm = d->nmembers, ni = d->nitems;
    rs->member_ids = xmalloc((nm + 1) * sizeof(*rs->member_ids));
    rs->item_ids = xmalloc((ni + 1) * sizeof(*rs->item_ids));
    rs->members = xcalloc(nm + 1, sizeof(*rs->members));
    rs->items = xcalloc(ni + 1, sizeof(*rs->items));
    rs->votes = xmalloc((d->nvotes + 1) * sizeof(*rs->votes));
    rs->opens = xmalloc((d->nopens + 1) * sizeof(*rs->opens));
    for (size_t i = 0; i < nm; i++) {
        rs->member_ids[i] = d->members[i].id;
    }
    for (size_t i = 0; i < ni; i++) {
        rs->item_ids[i] = d->items[i].id;
    }
    rs->nmember_ids = nm;
    rs->nitem_ids = ni;
    struct dom *doms = xmalloc((nm + 1) * sizeof(*doms));
    size_t nd = 0;
    for (size_t i = 0; i < nm; i++) {
        if (d->members[i].domain[0] != '\0') {
            doms[nd++] = (struct dom){d->members[i].domain, 0};
        }
    }
    qsort(doms, nd, sizeof(*doms), cmp_dom);
    for (size_t i = 0, id = 0; i < nd; i++) { /* equal domains share one id */
        id += i > 0 && strcasecmp(doms[i].name, doms[i - 1].name) != 0;
        doms[i].id = (int32_t)id;
    }
    for (size_t i = 0; i < nm; i++) {
        const struct store_rank_member *m = &d->members[i];
        struct dom key = {m->domain, 0};
        const struct dom *dm = m->domain[0] ? bsearch(&key, doms, nd, sizeof(*doms), cmp_dom) : NULL;
        rs->members[i] = (struct rank_member){
            m->invited_by ? ranker_index(rs->member_ids, nm, m->invited_by) : RANK_NONE,
            dm ? dm->id : -1, m->seed};
    }
    for (size_t i = 0; i < ni; i++) {
        const struct store_rank_item *it = &d->items[i];
        enum rank_kind kind = it->is_blog       ? RANK_BLOG
                              : it->is_idea     ? RANK_IDEA
                              : it->is_question ? RANK_POST
                                                : RANK_LINK;
        rs->items[i] = (struct rank_item){kind,
                                          ranker_index(rs->member_ids, nm, it->user_id),
                                          domain_affiliation(doms, nd, it->domain), it->created_at,
                                          it->host_domain && it->host_domain[0]
                                              ? domain_affiliation(doms, nd, it->host_domain)
                                              : -1};
    }
    free(doms);
    ranker_map_votes(rs, d, rs->votes, &rs->nvotes, rs->opens, &rs->nopens);
    map_edges(rs, d);
    rs->snap = (struct rank_snapshot){rs->members, nm, rs->edges, rs->nedges, rs->items, ni,
                                      rs->opens, rs->nopens, rs->votes, rs->nvotes, now};
}

void ranker_map_votes(const struct ranker_snap *rs, const struct store_rank_data *d,
                      struct rank_vote *votes, size_t *nvotes, struct rank_open *opens,
                      size_t *nopens)
{
    size_t nv = 0, no = 0;
    for (size_t k = 0; k < d->nvotes; k++) {
        uint32_t m = ranker_index(rs->member_ids, rs->nmember_ids, d->votes[k].user_id);
        uint32_t i = ranker_index(rs->item_ids, rs->nitem_ids, d->votes[k].item_id);
        if (m != RANK_NONE && i != RANK_NONE) { /* rows newer than the snapshot wait for it */
            votes[nv++] = (struct rank_vote){m, i, (int8_t)d->votes[k].value, d->votes[k].opened,
                                             d->votes[k].outside, d->votes[k].created_at};
        }
    }
    for (size_t k = 0; k < d->nopens; k++) {
        uint32_t m = ranker_index(rs->member_ids, rs->nmember_ids, d->opens[k].user_id);
        uint32_t i = ranker_index(rs->item_ids, rs->nitem_ids, d->opens[k].item_id);
        if (m != RANK_NONE && i != RANK_NONE) {
            opens[no++] = (struct rank_open){m, i, d->opens[k].inside};
        }
    }
    *nvotes = nv;
    *nopens = no;
}

void ranker_snap_free(struct ranker_snap *rs)
{
    free(rs->member_ids), free(rs->item_ids), free(rs->members), free(rs->items);
    free(rs->votes), free(rs->opens), free(rs->edges), free(rs->follows);
    memset(rs, 0, sizeof(*rs));
}
