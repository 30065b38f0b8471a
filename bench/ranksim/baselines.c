/* The published formulas of the lists Guild must beat, over the same votes. */
#include <math.h>
#include <stdlib.h>

#include "sim.h"

const char *const algorithm_names[ALG_COUNT] = {"netscore", "hn", "reddit_hot", "reddit_best",
                                               "lobsters", "guild", "guild_front",
                                               "guild_nocluster", "communitynotes",
                                               "guild_nobridge", "posterior"};

/* Wilson score lower bound at z = 1.281551565545 (80%), reddit's "best". */
static double wilson(double ups, double downs)
{
    double n = ups + downs, z = 1.281551565545;
    if (n == 0) {
        return 0;
    }
    double p = ups / n;
    return (p + z * z / (2 * n) - z * sqrt((p * (1 - p) + z * z / (4 * n)) / n)) / (1 + z * z / n);
}

void baseline_scores(enum algorithm alg, const struct rank_snapshot *s, double *score)
{
    double *ups = calloc(s->nitems + 1, sizeof(*ups)), *downs = calloc(s->nitems + 1, sizeof(*downs));
    for (size_t k = 0; k < s->nvotes; k++) {
        *(s->votes[k].value > 0 ? &ups[s->votes[k].item] : &downs[s->votes[k].item]) += 1;
    }
    for (size_t i = 0; i < s->nitems; i++) {
        double net = ups[i] - downs[i];
        double age_s = (double)(s->now - s->items[i].created_at);
        double sign = net > 0 ? 1 : (net < 0 ? -1 : 0);
        double order = log10(fabs(net) > 1 ? fabs(net) : 1);
        switch (alg) {
        case ALG_NETSCORE:
            score[i] = net;
            break;
        case ALG_HN: {
            double points = net + 1; /* the submitter's own point */
            double num = points - 1 >= 0 ? pow(points - 1, 0.8) : -pow(1 - points, 0.8);
            score[i] = num / pow((age_s / 60.0 + 120) / 60.0, 1.8);
            break;
        }
        case ALG_REDDIT_HOT:
            score[i] = sign * order + (double)(s->items[i].created_at - 1134028003) / 45000.0;
            break;
        case ALG_REDDIT_BEST:
            score[i] = wilson(ups[i], downs[i]);
            break;
        case ALG_LOBSTERS: /* no comments simulated: the comment term is 0 */
            score[i] = sign * order + (double)s->items[i].created_at / 79200.0;
            break;
        default:
            score[i] = 0;
        }
    }
    free(ups);
    free(downs);
}

/* The reference "posterior" (ranksim --with-posterior only, never a Guild algorithm): the mean
 * of an item's latent quality q given its honest-looking evidence, under the simulator's own
 * model of an honest reader (browse() in sim.c): one who opened an item upvotes with
 * probability 0.6q, downvotes with 0.3(1 - q) and stays silent otherwise; one who votes from
 * the title alone upvotes with probability q. Prior Beta(2, 2), as items are drawn. It knows
 * the model, not the items' q, and trusts every vote: it measures how well any ranker could
 * order honest evidence, so in a clean guild it bounds what an attack defence can add.
 * looks (NULL: unknown, as for any real ranker): how often honest readers considered opening
 * each item; each such look opens it with probability 0.1 + 0.5q, so the share of looks that
 * became opens is evidence too. */
#define POSTERIOR_GRID 200

void posterior_scores(const struct rank_snapshot *s, const uint32_t *looks, double *score)
{
    double *count = calloc(5 * (s->nitems + 1), sizeof(*count)); /* up, down, silent, tu, td */
    for (size_t k = 0; k < s->nopens; k++) {
        count[5 * s->opens[k].item + 2] += 1;
    }
    for (size_t k = 0; k < s->nvotes; k++) {
        const struct rank_vote *v = &s->votes[k];
        double *c = count + 5 * v->item;
        if (v->opened) {
            c[v->value > 0 ? 0 : 1] += 1, c[2] -= 1; /* the open was not silent */
        } else {
            c[v->value > 0 ? 3 : 4] += 1;
        }
    }
    double logp[POSTERIOR_GRID][8], qs[POSTERIOR_GRID];
    for (int g = 0; g < POSTERIOR_GRID; g++) {
        double q = (g + 0.5) / POSTERIOR_GRID;
        qs[g] = q;
        logp[g][0] = log(0.6 * q), logp[g][1] = log(0.3 * (1 - q));
        logp[g][2] = log(0.7 - 0.3 * q), logp[g][3] = log(q), logp[g][4] = log(1 - q);
        logp[g][5] = log(q * (1 - q)); /* the prior */
        logp[g][6] = log(0.1 + 0.5 * q), logp[g][7] = log(0.9 - 0.5 * q); /* a look: opened or not */
    }
    for (size_t i = 0; i < s->nitems; i++) {
        const double *c = count + 5 * i;
        double ll[POSTERIOR_GRID], top = -INFINITY, num = 0, den = 0;
        for (int g = 0; g < POSTERIOR_GRID; g++) {
            ll[g] = logp[g][5] + c[0] * logp[g][0] + c[1] * logp[g][1] +
                    (c[2] > 0 ? c[2] : 0) * logp[g][2] + c[3] * logp[g][3] + c[4] * logp[g][4];
            if (looks != NULL) {
                double opened = c[0] + c[1] + (c[2] > 0 ? c[2] : 0);
                double passed = looks[i] > opened ? looks[i] - opened : 0;
                ll[g] += opened * logp[g][6] + passed * logp[g][7];
            }
            top = ll[g] > top ? ll[g] : top;
        }
        for (int g = 0; g < POSTERIOR_GRID; g++) {
            double p = exp(ll[g] - top);
            num += p * qs[g], den += p;
        }
        score[i] = num / den;
    }
    free(count);
}
