/* The one JSON writer: tracks commas and nesting; every string goes through esc_json_string.
 * Output appends to a caller-owned buf. Never printf JSON. */
#ifndef GUILD_CORE_JSON_H
#define GUILD_CORE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define JSON_MAX_DEPTH 32

struct json_w {
    struct buf *b;
    int depth;
    bool need_comma[JSON_MAX_DEPTH];
    bool after_key;
};

void json_w_init(struct json_w *w, struct buf *b);
void json_w_begin_object(struct json_w *w);
void json_w_begin_array(struct json_w *w);
void json_w_end(struct json_w *w, char close); /* '}' or ']' */
void json_w_key(struct json_w *w, const char *key);
void json_w_str(struct json_w *w, const char *s); /* NULL writes null */
/* A value already written as JSON by this writer's rules (a cached fragment), placed with the
 * separator it needs. The caller vouches for it: nothing is escaped. */
void json_w_raw(struct json_w *w, const char *json, size_t n);
void json_w_strn(struct json_w *w, struct str s);
void json_w_i64(struct json_w *w, int64_t v);
void json_w_f64(struct json_w *w, double v);
/* v rounded to `decimals` (1..9) places, trailing zeros dropped, written with integer
 * arithmetic (list responses: printf's float formatting was 15% of the API list's CPU). */
void json_w_fixed(struct json_w *w, double v, int decimals);
void json_w_kfixed(struct json_w *w, const char *key, double v, int decimals);
void json_w_bool(struct json_w *w, bool v);
void json_w_null(struct json_w *w);
/* key + value shorthands */
void json_w_kstr(struct json_w *w, const char *key, const char *s);
void json_w_ki64(struct json_w *w, const char *key, int64_t v);
void json_w_kf64(struct json_w *w, const char *key, double v);
void json_w_kbool(struct json_w *w, const char *key, bool v);

#endif
