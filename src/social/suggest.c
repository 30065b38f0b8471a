/* Who to follow: candidates two steps away in the follow graph, scored by the kind of path
 * (social.h). The reasons come out with the score, so the page can say them in words. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "social.h"

struct social_scratch {
    size_t n;
    struct social_suggestion *cand; /* per member; valid where mark == stamp */
    uint32_t *mark;
    uint32_t stamp;
    uint32_t *touched;
    size_t ntouched;
};

struct social_scratch *social_scratch_new(size_t n)
{
    struct social_scratch *s = xcalloc(1, sizeof(*s));
    s->n = n;
    s->cand = xmalloc((n + 1) * sizeof(*s->cand));
    s->mark = xcalloc(n + 1, sizeof(*s->mark));
    s->touched = xmalloc((n + 1) * sizeof(*s->touched));
    return s;
}

void social_scratch_free(struct social_scratch *s)
{
    if (s != NULL) {
        free(s->cand), free(s->mark), free(s->touched), free(s);
    }
}

void social_suggest_default(struct social_suggest_opts *o)
{
    *o = (struct social_suggest_opts){NULL, 1.0, 0.6, 0.3, 0.2, 2.0, 1000};
}

bool social_follow_spammer(size_t following, size_t followers)
{
    return following >= SOCIAL_SPAM_MIN_FOLLOWS && following > SOCIAL_SPAM_RATIO * followers;
}

static struct social_suggestion *cand(struct social_scratch *s, uint32_t c)
{
    if (s->mark[c] != s->stamp) {
        s->mark[c] = s->stamp;
        memset(&s->cand[c], 0, sizeof(s->cand[c]));
        s->cand[c].member = c;
        s->touched[s->ntouched++] = c;
    }
    return &s->cand[c];
}

static double damp(size_t degree)
{
    return 1.0 / log(2.718281828459045 + (double)degree); /* 1 / ln(e + degree) */
}

/* Adds every path kind through u's follows, followers and ties. */
static void gather(const struct social_adj *g, const struct social_suggest_opts *o, uint32_t u,
                   struct social_scratch *s)
{
    for (size_t i = g->out_at[u]; i < g->out_at[u + 1]; i++) {
        uint32_t z = g->out[i];
        size_t zout = g->out_at[z + 1] - g->out_at[z], zin = g->in_at[z + 1] - g->in_at[z];
        for (size_t j = g->out_at[z]; zout <= o->max_fanout && j < g->out_at[z + 1]; j++) {
            struct social_suggestion *c = cand(s, g->out[j]);
            c->score += o->w_followed_by * damp(zout);
            if (c->nvia < SOCIAL_VIA) {
                c->via[c->nvia++] = z;
            }
            c->followed_by++;
        }
        for (size_t j = g->in_at[z]; zin <= o->max_fanout && j < g->in_at[z + 1]; j++) {
            struct social_suggestion *c = cand(s, g->in[j]);
            c->score += o->w_same_follows * damp(zin);
            c->same_follows++;
        }
    }
    for (size_t i = g->in_at[u]; i < g->in_at[u + 1]; i++) {
        uint32_t z = g->in[i];
        size_t zout = g->out_at[z + 1] - g->out_at[z];
        struct social_suggestion *f = cand(s, z);
        f->score += o->w_follows_you;
        f->follows_you = true;
        for (size_t j = g->out_at[z]; zout <= o->max_fanout && j < g->out_at[z + 1]; j++) {
            struct social_suggestion *c = cand(s, g->out[j]);
            c->score += o->w_followers_follow * damp(zout);
            c->followers_follow++;
        }
    }
    for (size_t i = g->tie_at[u]; i < g->tie_at[u + 1]; i++) {
        struct social_suggestion *c = cand(s, g->tie[i]);
        c->score += o->w_connected;
        c->connected = true;
    }
}

static int better(const struct social_suggestion *a, const struct social_suggestion *b)
{
    if (a->score != b->score) {
        return a->score > b->score ? -1 : 1;
    }
    return a->member < b->member ? -1 : a->member > b->member;
}

size_t social_suggest(const struct social_adj *adj, const struct social_suggest_opts *o, uint32_t u,
                      size_t k, struct social_scratch *s, struct social_suggestion *out)
{
    if (u >= adj->n || k == 0) {
        return 0;
    }
    if (++s->stamp == 0) { /* the stamps went round: forget every mark */
        memset(s->mark, 0, (s->n + 1) * sizeof(*s->mark));
        s->stamp = 1;
    }
    s->ntouched = 0;
    gather(adj, o, u, s);
    size_t n = 0;
    for (size_t i = 0; i < s->ntouched; i++) {
        uint32_t c = s->touched[i];
        bool followed = social_adj_has(adj->out, adj->out_at[u], adj->out_at[u + 1], c);
        if (c == u || followed || (o->exclude != NULL && o->exclude[c])) {
            continue;
        }
        const struct social_suggestion *x = &s->cand[c];
        if (n < k) { /* keep the best k in out, sorted, by insertion */
            out[n++] = *x;
        } else if (better(x, &out[k - 1]) < 0) {
            out[k - 1] = *x;
        } else {
            continue;
        }
        for (size_t j = n - 1; j > 0 && better(&out[j], &out[j - 1]) < 0; j--) {
            struct social_suggestion t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    }
    return n;
}
