/* Stage 5: the explanation a member can read, as JSON with plain-language steps. */
#include <stdarg.h>
#include <stdio.h>

#include "../core/json.h"
#include "rank_int.h"

static void step(struct json_w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void step(struct json_w *w, const char *fmt, ...)
{
    char line[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    json_w_str(w, line);
}

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "3 unread downvotes, 2 from voters who vote together, ..." */
static void discount_step(struct json_w *w, const struct rank_item_result *r)
{
    char why[256];
    int n = 0;
    why[0] = '\0';
#define ADD(count, text)                                                                       \
    if ((count) > 0 && n < (int)sizeof(why) - 80) {                                            \
        n += snprintf(why + n, sizeof(why) - (size_t)n, "%s%d %s", n ? ", " : "", (count), (text)); \
    }
    ADD(r->unread_down, r->unread_down == 1 ? "unread downvote (counts 0)" : "unread downvotes (count 0)");
    ADD(r->unread_up, r->unread_up == 1 ? "unread upvote (counts a quarter)" : "unread upvotes (count a quarter)");
    ADD(r->conflict, "from the submitter or their organisation (count 0)");
    ADD(r->clustered, "from voters who vote together, counted as a group");
    ADD(r->low_trust, "from members with little trust yet");
    ADD(r->outside, "from members who arrived through an outside link, counted as one group "
                    "(on an idea: counting 0)");
#undef ADD
    int total = r->ups + r->downs;
    if (r->discounted == 0) {
        step(w, "%d %s, all counted in full", total, plural(total, "vote", "votes"));
    } else {
        step(w, "%d %s counted in full, %d discounted: %s", r->counted,
             plural(r->counted, "vote", "votes"), r->discounted, why[0] ? why : "low weight");
    }
}

/* Stage 5 in words, once an item has 5 upvotes: "one" when at least a fifth of its upvote
 * weight (and at least one vote's worth) is what its voters' side explains; "across" when
 * members on both sides of the axis gave it at least one vote's worth each; else "none" (too
 * few of its voters have voted enough to have a side). */
static const char *camp_kind(const struct rank_state *st, const struct rank_item_result *r)
{
    double up = r->up_weight + r->outside_up;
    if (st->br.mpar == NULL || !st->br.applied || r->ups < 5) {
        return "none";
    }
    if (r->camp_up >= 1.0 && r->camp_up >= 0.2 * up) {
        return "one";
    }
    return r->side_up[0] >= 1.0 && r->side_up[1] >= 1.0 ? "across" : "none";
}

static void camp_step(struct json_w *w, const struct rank_state *st,
                      const struct rank_item_result *r)
{
    const char *kind = camp_kind(st, r);
    if (st->br.mpar != NULL && !st->br.applied && r->ups >= 5) {
        step(w, "the guild's votes show no clear divide (its main axis explains %.1f%% of all "
                "vote weight, %.0f%% would be one): camps change nothing",
             100.0 * st->br.share, 100.0 * st->p.bridge_min_share);
    }
    if (kind[0] == 'o') {
        step(w, "liked mostly within one camp (its votes count as one group): %.1f of its %.1f "
                "upvote weight is what its voters' side explains, and counts against it",
             r->camp_up, r->up_weight + r->outside_up);
    } else if (kind[0] == 'a') {
        step(w, "liked by members across camps: upvote weight %.1f from one side of the guild's "
                "main divide and %.1f from the other; the sides explain only %.1f of its %.1f",
             r->side_up[0], r->side_up[1], r->camp_up, r->up_weight + r->outside_up);
    }
    if (st->br.applied && r->camp_down >= 1.0) {
        step(w, "%.1f of its downvote weight followed camp lines and counts for it instead",
             r->camp_down);
    }
}

void rank_explain_json(const struct rank_state *st, size_t item, struct buf *b)
{
    const struct rank_item_result *r = &st->items[item];
    const struct rank_params *p = &st->p;
    struct json_w w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_kstr(&w, "algorithm", "guild-trust-v1");
    json_w_ki64(&w, "ups", r->ups);
    json_w_ki64(&w, "downs", r->downs);
    json_w_ki64(&w, "counted", r->counted);
    json_w_ki64(&w, "discounted", r->discounted);
    json_w_ki64(&w, "unread_ups", r->unread_up);
    json_w_ki64(&w, "unread_downs", r->unread_down);
    json_w_ki64(&w, "conflict", r->conflict);
    json_w_ki64(&w, "clustered", r->clustered);
    json_w_ki64(&w, "low_trust", r->low_trust);
    json_w_ki64(&w, "clusters", r->clusters);
    json_w_kf64(&w, "trusted_openers", r->trusted_openers);
    json_w_kf64(&w, "up_weight", r->up_weight);
    json_w_kf64(&w, "down_weight", r->down_weight);
    json_w_kf64(&w, "silent_weight", r->silent_weight);
    json_w_kf64(&w, "outside_up_weight", r->outside_up);
    json_w_kf64(&w, "outside_down_weight", r->outside_down);
    json_w_kf64(&w, "estimate", r->mean);
    json_w_kf64(&w, "bound", r->bound);
    json_w_kf64(&w, "hot", r->hot);
    json_w_kf64(&w, "age_hours", r->age_hours);
    json_w_kbool(&w, "exploring", r->exploring);
    json_w_kstr(&w, "camps", camp_kind(st, r));
    json_w_kf64(&w, "intercept", r->intercept);
    json_w_kf64(&w, "camp_share", st->br.share);
    json_w_kf64(&w, "lean", r->lean);
    json_w_kf64(&w, "camp_up_weight", r->camp_up);
    json_w_kf64(&w, "camp_down_weight", r->camp_down);
    json_w_kstr(&w, "formula",
                st->br.applied
                    ? "estimate = (2 + up - camp) / (4 + up + down + 0.15 silent); camp = camp_up "
                      "- camp_down; bound = estimate - 1.28 sd; hot = bound * 0.5^(age / 36 h)"
                    : "estimate = (2 + up) / (4 + up + down + 0.15 silent); bound = estimate - "
                      "1.28 sd; hot = bound * 0.5^(age / 36 h)");
    json_w_key(&w, "steps");
    json_w_begin_array(&w);
    if (st->no_seeds) {
        step(&w, "No seed members are marked yet, so every member's vote counts fully");
    }
    camp_step(&w, st, r);
    discount_step(&w, r);
    if (r->clusters > 0) {
        step(&w, "%d %s of voters who vote together far more than chance: each group's "
                 "weight grows with the square root of its size",
             r->clusters, plural(r->clusters, "group", "groups"));
    }
    step(&w, "trusted openers %.1f: weighted upvotes %.2f, weighted downvotes %.2f, silent "
             "openers %.2f (weak evidence against)",
         r->trusted_openers, r->up_weight, r->down_weight, r->silent_weight);
    if (r->outside_up + r->outside_down > 0) {
        step(&w, "votes from outside links weigh %.2f up and %.2f down, counted at most as much "
                 "as the trusted readers who saw it here (%.1f)",
             r->outside_up, r->outside_down, r->trusted_openers > 1 ? r->trusted_openers : 1.0);
    }
    step(&w, "with a prior of %g for and %g against: estimate %.2f, bound %.2f", p->prior_up,
         p->prior_down, r->mean, r->bound);
    if (r->exploring) {
        step(&w, "new with little evidence yet: lent an exploration place on the front page");
    } else {
        step(&w, "age %.1f hours: front-page score %.3f (the bound halves every %g hours)",
             r->age_hours, r->hot, p->half_life_hours);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
}
