/* The faction scenario and the communitynotes baseline.
 *
 * faction: a guild with two camps (vendors and their fans, rival schools): organisations with
 * even ids form one side and odd ids the other; independents belong to neither. Half of each
 * organisation's members are partisans: browsing as everyone does, when they come upon an
 * item from their own side that is mediocre (q < 0.6) they open it and vote it up, and when
 * they come upon a good item (q >= 0.6) from the other side they open it and vote it down
 * (each with probability 0.7); everything else they judge honestly. They are real, trusted
 * members who read what they vote on, and vote on many items: neither trust nor
 * read-before-vote nor co-voting clusters see them.
 *
 * communitynotes: the published Community Notes model without trust weighting: every vote
 * counts 1 (up 1, down 0), intercepts and one factor dimension fitted with lambda_i = 0.15 and
 * lambda_f = 0.03 (20 alternating passes from a cold start each round), the score is the
 * item's intercept; with Community Notes' filters, raters
 * with fewer than 10 ratings are left out and items with fewer than 5 ratings are not scored
 * (they rank after every scored item). */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/core/util.h"
#include "world.h"

#define PARTISAN_SHARE 0.3
#define PARTISAN_ACTS 0.7
#define MEDIOCRE_BELOW 0.6
#define MEDIOCRE_FROM 0.3 /* below: bad, judged honestly even by partisans */
#define PARTISAN_VISITS 0.3 /* a partisan visits in this share of rounds (others: about 1 in 33) */

static int side_of(const struct world *w, uint32_t member)
{
    int32_t aff = w->members[member].affiliation;
    return aff < 0 ? 0 : 1 + (int)(aff % 2);
}

void faction_setup(struct world *w)
{
    w->camp = xcalloc(w->nhonest + w->cfg->sybils + 1, sizeof(*w->camp));
    for (size_t m = 0; m < w->nhonest; m++) {
        if (side_of(w, (uint32_t)m) != 0 && rng_unit(&w->rng) < PARTISAN_SHARE) {
            w->camp[m] = (uint8_t)side_of(w, (uint32_t)m);
        }
    }
}

bool faction_vote(struct world *w, uint32_t m, uint32_t item, int round)
{
    int mine = w->camp[m], theirs = side_of(w, w->items[item].submitter);
    if (mine == 0 || theirs == 0 || w->role[item] != ROLE_HONEST) {
        return false;
    }
    double q = w->q[item];
    int value = 0;
    if (mine == theirs && q >= MEDIOCRE_FROM && q < MEDIOCRE_BELOW) {
        value = 1;
    } else if (mine != theirs && q >= MEDIOCRE_BELOW) {
        value = -1;
    }
    if (value == 0 || rng_unit(&w->rng) >= PARTISAN_ACTS) {
        return false;
    }
    add_open(w, m, item, true, false);
    add_vote(w, m, item, value, true, false, false, round);
    return true;
}

void faction_round(struct world *w, const size_t *front, size_t n, const size_t *fresh, size_t nf,
                   int round)
{
    for (size_t m = 0; m < w->nhonest; m++) {
        if (w->camp[m] != 0 && rng_unit(&w->rng) < PARTISAN_VISITS) {
            bool on_front = rng_unit(&w->rng) < 0.6;
            browse(w, (uint32_t)m, on_front ? front : fresh, on_front ? n : nf, round);
        }
    }
}

#define CN_MIN_RATER_VOTES 10
#define CN_MIN_ITEM_RATERS 5

void communitynotes_scores(const struct rank_snapshot *s, double *score)
{
    uint32_t *per_member = xcalloc(s->nmembers + 1, sizeof(*per_member));
    uint32_t *per_item = xcalloc(s->nitems + 1, sizeof(*per_item));
    struct rank_bridge_vote *v = xmalloc((s->nvotes + 1) * sizeof(*v));
    size_t n = 0;
    for (size_t k = 0; k < s->nvotes; k++) {
        per_member[s->votes[k].voter]++;
    }
    for (size_t k = 0; k < s->nvotes; k++) {
        const struct rank_vote *x = &s->votes[k];
        if (per_member[x->voter] >= CN_MIN_RATER_VOTES) {
            v[n++] = (struct rank_bridge_vote){x->voter, x->item, x->value > 0, 1.0f};
            per_item[x->item]++;
        }
    }
    struct rank_params p;
    rank_params_default(&p);
    p.bridge_min_votes = 1;
    p.bridge_iterations = 20; /* fitted afresh each round, to convergence (as published) */
    if (rank_bridge_fit(v, n, s->nmembers, s->nitems, &p, score) != 0) {
        abort();
    }
    for (size_t i = 0; i < s->nitems; i++) {
        score[i] = per_item[i] >= CN_MIN_ITEM_RATERS ? score[i] : -1.0;
    }
    free(per_member), free(per_item), free(v);
}

void faction_debug(const struct world *w, const struct rank_state *st)
{
    double s[3] = {0}, n[3] = {0}, moved = 0, total = 0, movedh = 0;
    for (size_t m = 0; w->camp && m < w->nhonest; m++) {
        double f = rank_member_factor(st, m);
        s[w->camp[m]] += f, n[w->camp[m]] += f != 0;
    }
    for (size_t i = 0; i < w->nitems; i++) {
        const struct rank_item_result *r = rank_item_get(st, i);
        moved += r->camp_up + r->camp_down;
        total += r->up_weight + r->down_weight;
        movedh += w->q[i] >= 0.8 ? r->camp_up + r->camp_down : 0;
    }
    fprintf(stderr, "debug factors: none %.3f (%g), camp1 %.3f (%g), camp2 %.3f (%g); moved %.1f of %.1f (q>=.8 items: %.1f)\n",
            n[0] ? s[0] / n[0] : 0, n[0], n[1] ? s[1] / n[1] : 0, n[1], n[2] ? s[2] / n[2] : 0, n[2], moved, total, movedh);
}
