/* Ranking engine: pure C, no I/O, no globals. A snapshot of members, trust edges, items,
 * opens and votes goes in; per-member trust, per-vote weights, per-item quality, lower bound,
 * hot score and an explanation come out. Members and items are referred to by index.
 *
 * Stages (RANKING.md):
 *  1. trust: early-terminated, degree-normalised random walk from the seed members
 *     (SybilRank-style): a region behind k attack edges receives trust through those k edges
 *     only, however many accounts it holds.
 *  2. vote weight = trust x read factor x conflict factor x cluster factor.
 *  3. clusters: voters whose vote sets overlap far more than chance (MinHash candidates, then
 *     an exact overlap and lift test) are merged, and so are a submitter's fans (members whose
 *     upvotes go mostly to that submitter); a cluster's weight on one item grows with the
 *     square root of its summed weight.
 *  4. quality: Beta(prior) posterior of "a trusted reader who opened it approves": weighted
 *     upvotes against weighted downvotes plus weak evidence from silent openers. Directory
 *     ranks by the lower bound; the link stream by the bound with a time decay, with a few
 *     exploration slots for new items. Votes from members who arrived through an outside link
 *     measure outside traffic, not guild readers: on each item they are damped as one group,
 *     and that group counts at most as much as the item's trusted exposure inside the guild.
 *  5. bridging: a Community Notes factorisation of the weighted votes places members on the
 *     guild's main divide; where the guild has one, the part of each vote its voter's side
 *     explains changes sides in the item's evidence (docs/ranking.md).
 * Ownership: rank_run returns a heap state freed with rank_state_free. The state keeps a
 * pointer to the snapshot (and reads the arrays it points to) until rank_state_free: the
 * caller owns the snapshot and must neither free, change nor move it before then. A copy of
 * the snapshot struct is not the snapshot the state reads, so keep it where it was built (on
 * the heap when the state outlives the function, never a loop's stack variable) and free or
 * replace the two together. rank_item_replay changes the state: callers serialise it with
 * every other reader of that state. */
#ifndef GUILD_RANK_RANK_H
#define GUILD_RANK_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

#define RANK_NONE UINT32_MAX

struct rank_member {
    uint32_t invited_by; /* member index or RANK_NONE */
    int32_t affiliation; /* organisation id; -1 independent */
    bool seed;           /* trusted by the admins: the walk starts here */
};

/* An undirected trust edge: invitation, mutual connection or endorsement. Follows are not
 * edges (too cheap). Invitations need not be listed: rank_run adds them from invited_by. */
struct rank_edge {
    uint32_t a, b;
};

/* RANK_POST: a question or an idea, posted in a group. On an idea (a portal's vote), a vote
 * from a member who arrived through an outside link counts nothing: a portal's ranking is
 * what its readers chose with their vote budgets, and a link posted elsewhere that sends
 * voters to one idea is a campaign (build/ideasim's pile-on). */
enum rank_kind { RANK_LINK = 0, RANK_BLOG = 1, RANK_POST = 2, RANK_IDEA = 3 };

struct rank_item {
    enum rank_kind kind;
    uint32_t submitter;
    int32_t affiliation; /* organisation whose domain published it (for a group's question or
                            idea: the submitter's organisation); -1 none */
    int64_t created_at;
    int32_t host;        /* organisation that runs the group it was posted in (an idea
                            portal's company); -1 none. Its members' votes count nothing. */
};

/* A member opened the item through /go (first open only); inside: they came from one of the
 * site's own lists rather than an outside link. */
struct rank_open {
    uint32_t member, item;
    bool inside;
};

struct rank_vote {
    uint32_t voter, item;
    int8_t value;  /* +1 or -1 */
    bool opened;   /* opened before voting */
    bool outside;  /* opened, but arrived from an outside link (not a guild list) */
    int64_t at;
};

struct rank_snapshot {
    const struct rank_member *members;
    size_t nmembers;
    const struct rank_edge *edges;
    size_t nedges;
    const struct rank_item *items;
    size_t nitems;
    const struct rank_open *opens;
    size_t nopens;
    const struct rank_vote *votes;
    size_t nvotes;
    int64_t now;
};

/* Every tunable, with the documented defaults of rank_params_default. */
struct rank_params {
    int trust_steps;          /* walk length; 0 = ceil(log2(members)) (SybilRank) */
    double trust_zero_at;     /* 0.05: at or below this fraction of the stationary value: 0 */
    double trust_full_at;     /* 0.25: at or above this fraction: 1; linear in between */
    double unread_up;         /* 0.25: weight kept by an upvote from someone who never opened */
    double unread_down;       /* 0: an unread downvote counts for nothing */
    double silence;           /* 0.15: a trusted opener who did not vote, as negative evidence */
    double prior_up, prior_down; /* 2, 2: Beta prior pseudo-counts */
    double bound_z;           /* 1.2816: lower bound = mean - z * sd (80% one-sided) */
    int cluster_min_common;   /* 4: co-votes two members need before they can be clustered */
    double cluster_min_jaccard; /* 0.6: overlap of their vote sets */
    double cluster_min_lift;  /* 10: co-votes over what independent voting would give */
    int fan_min_votes;        /* 2: upvotes for one submitter's items (and at least half of all
                                 of a member's upvotes) that make the member that submitter's fan;
                                 0 turns the rule off */
    double outside_free;      /* 2: outside-arrival weight on an item counted before damping */
    double half_life_hours;   /* 36: link stream decay of the bound */
    int explore_slots;        /* 2: slots (5th, 10th) lent to new items with little evidence */
    double explore_max_hours; /* 24: how new an item must be to be lent a slot */
    double explore_min_evidence; /* 3: below this much weighted evidence an item explores */
    int threads;              /* 0: one per online core (at most 8); results do not depend on it */
    /* Stage 5, bridging (docs/ranking.md): approval = mu + member intercept + item intercept +
     * member factors . item factors, fitted to the weighted votes (up 1, down 0) by
     * alternating least squares; the part of each vote its voter's factors explain is moved
     * to the other side of the item's evidence. */
    int bridge_dims;          /* 1: factor dimensions (at most RANK_BRIDGE_MAX_DIMS); 0: off */
    double bridge_lambda_i;   /* 0.15: ridge on intercepts (Community Notes' published value) */
    double bridge_lambda_f;   /* 0.03: ridge on factors, five times weaker */
    int bridge_iterations;    /* 3: alternating passes (members, then items) from a cold start
                                 (or a warm start carrying fewer than half of the voted items) */
    int bridge_warm_iterations; /* 1: passes when started from the last run's item factors
                                   (rank_run_warm): each run carries the fit one pass further */
    int bridge_min_votes;     /* 5: votes with weight above 0 a member needs to be placed */
    uint64_t bridge_seed;     /* 1: the items' initial factors come from it */
    double bridge_min_share;  /* 0.1: the stage changes evidence only when the camp parts of
                                 all votes add up to this share of all vote weight: a factor
                                 fitted to votes without a divide explains 5-6% of them
                                 (ranksim, clean guilds), a real divide 15% and more */
};

#define RANK_BRIDGE_MAX_DIMS 2

void rank_params_default(struct rank_params *p);

enum rank_discount {
    RANK_D_NONE = 0,
    RANK_D_UNREAD,     /* voted without opening */
    RANK_D_CONFLICT,   /* own submission or own organisation */
    RANK_D_CLUSTER,    /* part of a voting cluster on this item */
    RANK_D_LOW_TRUST,  /* the voter's trust is below 0.5 */
    RANK_D_OUTSIDE,    /* arrived from an outside link: damped with the other outside votes
                          (on an idea: counts nothing) */
};

struct rank_item_result {
    int ups, downs;               /* raw counts */
    int counted, discounted;      /* votes at >= 90% weight / below */
    int unread_up, unread_down, conflict, clustered, low_trust, outside; /* discount reasons */
    int clusters;                 /* distinct voting clusters (size > 1) among its voters */
    double trusted_openers;       /* summed trust of members who opened it */
    double up_weight, down_weight, silent_weight;
    double outside_up, outside_down; /* damped outside-arrival weight, before the exposure cap */
    double mean, bound, hot;
    double age_hours;
    bool exploring;               /* lent an exploration slot */
    /* stage 5: the bridged intercept (mu + item intercept: what a member on no side would
     * give), the length of the item's factors (how far it leans to one camp), and the vote
     * weight its camp explains: upvotes moved to the side against, downvotes to the side for */
    double intercept, lean, camp_up, camp_down;
    double side_up[2]; /* upvote weight from members placed on the first axis: below 0, above */
};

struct rank_state;

/* Runs every stage. OUT: *out (free with rank_state_free). ERR_INVAL for unusable params,
 * out-of-range indices in the snapshot, or 2^29 votes or more. */
int rank_run(const struct rank_snapshot *snap, const struct rank_params *p,
             struct rank_state **out) __attribute__((warn_unused_result));
void rank_state_free(struct rank_state *st);

/* A warm start for stage 5: the item factors of an earlier run, mapped to a new snapshot's
 * items (item_from[i]: the earlier state's index of new item i, or RANK_NONE for a new item;
 * NULL: the same indices). Only the item factors are needed: the fit's first pass computes
 * every member's from them. The copy is the caller's (rank_warm_free); prev may be freed or
 * changed afterwards. Callers serialise this with rank_item_replay on prev, which writes its
 * item's factors. Returns NULL when prev is NULL or ran without stage 5. */
struct rank_warm;
struct rank_warm *rank_warm_take(const struct rank_state *prev, const uint32_t *item_from,
                                 size_t nitems);
void rank_warm_free(struct rank_warm *w);
/* rank_run started from warm (NULL: a cold start, as rank_run): bridge_warm_iterations
 * passes instead of bridge_iterations. warm is only read. */
int rank_run_warm(const struct rank_snapshot *snap, const struct rank_params *p,
                  const struct rank_warm *warm, struct rank_state **out)
    __attribute__((warn_unused_result));

const struct rank_item_result *rank_item_get(const struct rank_state *st, size_t item);
double rank_member_trust(const struct rank_state *st, size_t member);
/* Wall time of each stage of the last full run, for benchmarks. */
struct rank_timing {
    double trust_ms, clusters_ms;
    double grouping_ms; /* votes and opens grouped by item */
    double items_ms;    /* every item's evidence and its votes' final weights */
    double quality_ms;
    double bridge_ms;   /* stage 5: the factorisation and each item's camp part */
};
const struct rank_timing *rank_timing_get(const struct rank_state *st);
/* Stage 5 across the guild: the share of all vote weight that the camps explain, and whether
 * it reached bridge_min_share (if not, no item's evidence was changed). */
double rank_camp_share(const struct rank_state *st, bool *applied);
/* A member's first bridging factor (0 when the stage is off or the member has too few votes). */
double rank_member_factor(const struct rank_state *st, size_t member);
/* Cluster id of a member (its own index when not in a cluster). */
uint32_t rank_member_cluster(const struct rank_state *st, size_t member);
/* Weight of vote k of the snapshot and its main discount. */
double rank_vote_weight(const struct rank_state *st, size_t k, enum rank_discount *why);

/* Incremental update of one item from all of its current votes and opens (which must name
 * that item and members of the snapshot), with the trust, clusters and bridging model (mu,
 * member factors, the divide test) of the last full run: the one incremental path (guild
 * serve calls it after every vote and first open). The item's result equals a full run's on
 * the same votes, given in the same order, while those stay as they were (PostgreSQL may
 * return an item's votes in another order than the full load: then equal up to rounding).
 * Returns 0 or ERR_INVAL. */
int rank_item_replay(struct rank_state *st, uint32_t item, const struct rank_vote *votes,
                     size_t nvotes, const struct rank_open *opens, size_t nopens, int64_t now)
    __attribute__((warn_unused_result));

/* Stage 4 on its own: the Beta(prior) posterior's lower bound (and mean, when not NULL) from
 * weighted evidence for and against. */
double rank_beta_bound(const struct rank_params *p, double up, double down, double *mean);
/* Stage 2 for a vote outside a full run (an answer to a question, re-ranked on every page
 * view): trust x read factor; 0 for a conflict (the voter's own organisation). Clusters are a
 * full run's and do not apply. */
double rank_lone_vote_weight(const struct rank_params *p, double trust, bool opened, int value,
                             bool conflict);

/* The bridging model on its own (build/ranksim's communitynotes baseline): fits
 * p->bridge_dims factors to the votes (member, item, up, weight > 0) and writes each item's
 * intercept mu + b_i to intercept[nitems]. Returns 0, or -1 for an index out of range, a
 * weight not above 0 or dims outside 1..RANK_BRIDGE_MAX_DIMS. */
struct rank_bridge_vote {
    uint32_t member, item;
    bool up;
    float weight;
};
int rank_bridge_fit(const struct rank_bridge_vote *votes, size_t n, size_t nmembers,
                    size_t nitems, const struct rank_params *p, double *intercept)
    __attribute__((warn_unused_result));

/* Appends item i's explanation as a JSON object ("steps": sentences for members). */
void rank_explain_json(const struct rank_state *st, size_t item, struct buf *b);

#endif
