#include "rank.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/json.h"

void rank_params_default(struct rank_params *p)
{
    p->gravity = 1.8;
    p->age_offset_hours = 2.0;
}

/* Points decay with age; items at or below zero sink below every positive one and keep
 * sinking as they age, so a buried item never floats back up. */
static double rank_hot(double points, double age_h, const struct rank_params *p)
{
    if (points > 0) {
        return points / pow(age_h + p->age_offset_hours, p->gravity);
    }
    return (points - 1.0) - age_h / 1000.0;
}

int rank_compute(const struct rank_snapshot *snap, const struct rank_params *p,
                 struct rank_result *out)
{
    if (!(p->gravity > 0) || !(p->age_offset_hours > 0)) {
        return ERR_INVAL;
    }
    for (size_t i = 0; i < snap->nitems; i++) {
        out[i] = (struct rank_result){0};
    }
    for (size_t k = 0; k < snap->nvotes; k++) {
        const struct rank_vote *v = &snap->votes[k];
        if (v->item < 0 || (size_t)v->item >= snap->nitems) {
            continue;
        }
        struct rank_result *r = &out[v->item];
        if (v->value > 0) {
            r->ups++;
            r->unread_ups += !v->opened;
        } else if (v->value < 0) {
            r->downs++;
            r->unread_downs += !v->opened;
        }
    }
    for (size_t i = 0; i < snap->nitems; i++) {
        struct rank_result *r = &out[i];
        double age_s = (double)(snap->now - snap->items[i].created_at);
        r->age_hours = age_s > 0 ? age_s / 3600.0 : 0.0;
        r->score = (double)(r->ups - r->downs);
        r->hot = rank_hot(r->score, r->age_hours, p); /* same scale for every kind */
    }
    return 0;
}

static void rank_step(struct json_w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rank_step(struct json_w *w, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    json_w_str(w, line);
}

void rank_explain_json(const struct rank_params *p, enum rank_kind kind,
                       const struct rank_result *r, struct buf *b)
{
    struct json_w w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_kstr(&w, "algorithm", "baseline-net-score");
    json_w_ki64(&w, "ups", r->ups);
    json_w_ki64(&w, "downs", r->downs);
    json_w_ki64(&w, "unread_ups", r->unread_ups);
    json_w_ki64(&w, "unread_downs", r->unread_downs);
    json_w_kf64(&w, "score", r->score);
    json_w_kf64(&w, "hot", r->hot);
    json_w_kf64(&w, "age_hours", r->age_hours);
    json_w_kstr(&w, "formula",
                kind == RANK_LINK ? "hot = net / (age_hours + 2)^1.8 (net > 0)"
                                  : "score = net (directory order)");
    json_w_key(&w, "steps");
    json_w_begin_array(&w);
    rank_step(&w, "%d upvote%s and %d downvote%s, all counted in full", r->ups,
              r->ups == 1 ? "" : "s", r->downs, r->downs == 1 ? "" : "s");
    if (r->unread_ups + r->unread_downs > 0) {
        rank_step(&w,
                  "%d of these votes came from members who had not opened it (the baseline "
                  "does not discount them yet)",
                  r->unread_ups + r->unread_downs);
    }
    rank_step(&w, "net score %d", r->ups - r->downs);
    if (kind == RANK_LINK) {
        if (r->score > 0) {
            rank_step(&w, "age %.1f hours: hot = %g / (%.1f + %g)^%g = %.4f", r->age_hours,
                      r->score, r->age_hours, p->age_offset_hours, p->gravity, r->hot);
        } else {
            rank_step(&w, "net score is not positive, so it ranks below every item with "
                          "a positive score");
        }
    } else {
        rank_step(&w, "blogs in the directory are ordered by net score, without decay");
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
}
