/* The relationship graph's algorithms: communities, influence (docs/influence.md) and
 * who-to-follow suggestions. Pure C, no I/O, no globals, no locks: members are indices 0..n-1,
 * and every function reads its inputs only during the call (it keeps no pointer to them).
 * Outputs go to caller-allocated arrays; results are the same for the same inputs and seed. */
#ifndef GUILD_SOCIAL_SOCIAL_H
#define GUILD_SOCIAL_SOCIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A directed edge: from follows to; for ties, an undirected trust tie (a connection or an
 * endorsement). */
struct social_edge {
    uint32_t from, to;
};

struct social_graph {
    size_t n;
    const struct social_edge *follows;
    size_t nfollows;
    const struct social_edge *ties;
    size_t nties;
};

/* Compressed adjacency of a graph: for member m, the members m follows are out[out_at[m] ..
 * out_at[m+1]), its followers in[in_at[m] .. in_at[m+1]), its ties tie[tie_at[m] ..
 * tie_at[m+1]). Built by social_adj_build (heap; social_adj_free); sorted, duplicates and
 * self-edges dropped, edges naming no member ignored. */
struct social_adj {
    size_t n;
    size_t *out_at, *in_at, *tie_at;
    uint32_t *out, *in, *tie;
};
void social_adj_build(const struct social_graph *g, struct social_adj *adj);
void social_adj_free(struct social_adj *adj);
bool social_adj_has(const uint32_t *list, size_t from, size_t to, uint32_t v);

/* Communities by label propagation over follows and ties taken as undirected: label[m] is the
 * smallest member index of m's community. Deterministic for a seed. */
void social_communities(const struct social_adj *adj, uint64_t seed, uint32_t *label);

/* Influence (docs/influence.md): for each member, the sum over the communities its followers
 * come from of that community's openness weight times the square root of the summed standing
 * (0..1; the ranker's trust) of the followers from it. influence[n] is written. */
#define SOCIAL_OPEN_HALF 5.0 /* outside followers that make a community half open */
#define SOCIAL_CLOSED_WEIGHT 0.1 /* what a community nobody outside follows still counts */
void social_influence(const struct social_adj *adj, const uint32_t *label, const double *standing,
                      double *influence);

/* ---- who to follow (suggest.c) ----
 * Guild's suggestions for member u: members followed by the people u follows (each of those
 * counting less the more members they follow, as in Adamic-Adar), members who follow u,
 * members u's followers follow, members who follow the same people as u, and u's connections;
 * never u, nor anyone u follows, nor anyone in exclude (follow spammers, members of no
 * standing, suggestions u dismissed). docs/influence.md lists the weights and why. */
struct social_suggest_opts {
    const bool *exclude;       /* per member, may be NULL */
    double w_followed_by;      /* 1.0 */
    double w_follows_you;      /* 0.6 */
    double w_followers_follow; /* 0.3 */
    double w_same_follows;     /* 0.2 */
    double w_connected;        /* 2.0 */
    size_t max_fanout;         /* 1000: a member who follows more lends no suggestions */
};
void social_suggest_default(struct social_suggest_opts *o);

#define SOCIAL_VIA 3
struct social_suggestion {
    uint32_t member;
    double score;
    uint32_t followed_by;     /* people u follows who follow them */
    uint32_t via[SOCIAL_VIA]; /* the first of those (for "followed by ana, bo, ...") */
    uint32_t nvia;
    uint32_t followers_follow; /* u's followers who follow them */
    uint32_t same_follows;     /* people both follow */
    bool follows_you, connected;
};

/* Per-call working memory for n members (reuse it across calls of one thread). */
struct social_scratch;
struct social_scratch *social_scratch_new(size_t n);
void social_scratch_free(struct social_scratch *s);

/* Up to k suggestions for u, best first, into out[k]. Returns how many. */
size_t social_suggest(const struct social_adj *adj, const struct social_suggest_opts *o, uint32_t u,
                      size_t k, struct social_scratch *scratch, struct social_suggestion *out);

/* The follow-spam pattern moderators are shown (and suggestions leave out): following at
 * least SOCIAL_SPAM_MIN_FOLLOWS members, more than SOCIAL_SPAM_RATIO times as many as follow
 * back. */
#define SOCIAL_SPAM_MIN_FOLLOWS 200
#define SOCIAL_SPAM_RATIO 3
bool social_follow_spammer(size_t following, size_t followers);

#endif
