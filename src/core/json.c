#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"

void json_w_init(struct json_w *w, struct buf *b)
{
    w->b = b;
    w->depth = 0;
    w->need_comma[0] = false;
    w->after_key = false;
}

/* Writes the separator a new value needs at the current position. */
static void json_w_value_start(struct json_w *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->need_comma[w->depth]) {
        buf_appendc(w->b, ',');
    }
    w->need_comma[w->depth] = true;
}

static void json_w_open(struct json_w *w, char c)
{
    json_w_value_start(w);
    buf_appendc(w->b, c);
    if (w->depth + 1 < JSON_MAX_DEPTH) {
        w->depth++;
    }
    w->need_comma[w->depth] = false;
}

void json_w_begin_object(struct json_w *w)
{
    json_w_open(w, '{');
}

void json_w_begin_array(struct json_w *w)
{
    json_w_open(w, '[');
}

void json_w_end(struct json_w *w, char close)
{
    buf_appendc(w->b, close);
    if (w->depth > 0) {
        w->depth--;
    }
}

void json_w_key(struct json_w *w, const char *key)
{
    json_w_value_start(w);
    esc_json_string(w->b, str_z(key));
    buf_appendc(w->b, ':');
    w->after_key = true;
}

void json_w_raw(struct json_w *w, const char *json, size_t n)
{
    json_w_value_start(w);
    buf_append(w->b, json, n);
}

void json_w_strn(struct json_w *w, struct str s)
{
    json_w_value_start(w);
    esc_json_string(w->b, s);
}

void json_w_str(struct json_w *w, const char *s)
{
    if (s == NULL) {
        json_w_null(w);
        return;
    }
    json_w_strn(w, str_z(s));
}

void json_w_i64(struct json_w *w, int64_t v)
{
    json_w_value_start(w);
    buf_append_i64(w->b, v); /* no printf on the hot path of list responses */
}

void json_w_f64(struct json_w *w, double v)
{
    json_w_value_start(w);
    if (!isfinite(v)) {
        buf_appendz(w->b, "null"); /* JSON has no NaN/Inf */
        return;
    }
    /* the shortest of 15 or 17 significant digits that reads back as the same double, with
     * a decimal point kept so that a real stays a real */
    char num[40];
    snprintf(num, sizeof(num), "%.15g", v);
    if (strtod(num, NULL) != v) {
        snprintf(num, sizeof(num), "%.17g", v);
    }
    if (strpbrk(num, ".eE") == NULL) {
        strcat(num, ".0");
    }
    buf_appendz(w->b, num);
}

void json_w_fixed(struct json_w *w, double v, int decimals)
{
    if (!isfinite(v) || fabs(v) >= 1e12 || decimals < 1 || decimals > 9) {
        json_w_f64(w, v); /* outside the fast path's range: the exact form */
        return;
    }
    json_w_value_start(w);
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++) {
        scale *= 10;
    }
    int64_t m = llround(fabs(v) * (double)scale);
    if (v < 0 && m != 0) {
        buf_appendc(w->b, '-');
    }
    buf_append_i64(w->b, m / scale);
    char frac[12];
    int64_t f = m % scale;
    for (int i = decimals - 1; i >= 0; i--, f /= 10) {
        frac[i] = (char)('0' + f % 10);
    }
    int n = decimals;
    while (n > 1 && frac[n - 1] == '0') {
        n--; /* 0.250000 -> 0.25, 3.000000 -> 3.0 */
    }
    buf_appendc(w->b, '.');
    buf_append(w->b, frac, (size_t)n);
}

void json_w_kfixed(struct json_w *w, const char *key, double v, int decimals)
{
    json_w_key(w, key);
    json_w_fixed(w, v, decimals);
}

void json_w_bool(struct json_w *w, bool v)
{
    json_w_value_start(w);
    buf_appendz(w->b, v ? "true" : "false");
}

void json_w_null(struct json_w *w)
{
    json_w_value_start(w);
    buf_appendz(w->b, "null");
}

void json_w_kstr(struct json_w *w, const char *key, const char *s)
{
    json_w_key(w, key);
    json_w_str(w, s);
}

void json_w_ki64(struct json_w *w, const char *key, int64_t v)
{
    json_w_key(w, key);
    json_w_i64(w, v);
}

void json_w_kf64(struct json_w *w, const char *key, double v)
{
    json_w_key(w, key);
    json_w_f64(w, v);
}

void json_w_kbool(struct json_w *w, const char *key, bool v)
{
    json_w_key(w, key);
    json_w_bool(w, v);
}
