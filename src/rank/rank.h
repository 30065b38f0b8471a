/* Ranking: pure C, no I/O and no globals. A snapshot of members, items and votes goes in;
 * a score, a hot score and an explanation per item come out. Indices, not database ids:
 * members[i] and items[j] are referred to by position.
 *
 * This is the baseline engine (net score; time decay for the link stream). The trust-weighted
 * engine replaces rank_compute behind the same interface. */
#ifndef GUILD_RANK_RANK_H
#define GUILD_RANK_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

struct rank_member {
    int64_t invited_by;  /* member index, or -1 */
    int32_t affiliation; /* affiliation id (same id = same organisation), -1 independent */
    int64_t joined_at;
};

enum rank_kind { RANK_LINK = 0, RANK_BLOG = 1 };

struct rank_item {
    enum rank_kind kind;
    int64_t submitter; /* member index */
    int64_t created_at;
};

struct rank_vote {
    int64_t voter, item; /* indices */
    int8_t value;        /* +1 or -1 */
    bool opened;         /* the voter opened the item before voting */
    int64_t at;
};

struct rank_snapshot {
    const struct rank_member *members;
    size_t nmembers;
    const struct rank_item *items;
    size_t nitems;
    const struct rank_vote *votes;
    size_t nvotes;
    int64_t now;
};

struct rank_params {
    double gravity;         /* link decay exponent: hot = points / (age_h + offset)^gravity */
    double age_offset_hours;
};

struct rank_result {
    int ups, downs;
    int unread_ups, unread_downs; /* counted in full by the baseline, shown in explanations */
    double score; /* long-lived rank (directory, "top") */
    double hot;   /* link stream rank */
    double age_hours;
};

/* Documented defaults: gravity 1.8, offset 2 hours (Hacker News's published constants). */
void rank_params_default(struct rank_params *p);

/* Fills out[0..nitems). Votes naming an item or member out of range are ignored.
 * Returns 0, or ERR_INVAL when params are unusable. out is owned by the caller. */
int rank_compute(const struct rank_snapshot *snap, const struct rank_params *p,
                 struct rank_result *out) __attribute__((warn_unused_result));

/* Appends the explanation of one item as a JSON object (algorithm, inputs, formula, and
 * "steps": sentences a member can read) to b. */
void rank_explain_json(const struct rank_params *p, enum rank_kind kind,
                       const struct rank_result *r, struct buf *b);

#endif
