/* The published formulas of the lists Guild must beat, over the same votes. */
#include <math.h>
#include <stdlib.h>

#include "sim.h"

const char *const algorithm_names[ALG_COUNT] = {"netscore", "hn", "reddit_hot", "reddit_best",
                                               "lobsters", "guild", "guild_front",
                                               "guild_nocluster", "communitynotes",
                                               "guild_nobridge"};

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
