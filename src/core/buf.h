/* The one growable byte buffer (HTML, JSON, bodies). data[len] == '\0' whenever data != NULL.
 * Sticky error: once an append fails (over max), err is set and later appends do nothing, so
 * callers check buf_err() once at the end. Ownership: the buf owns data until buf_detach hands
 * it to the caller (free() it) or buf_fini releases it. */
#ifndef GUILD_CORE_BUF_H
#define GUILD_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct buf {
    char *data;
    size_t len, cap, max;
    int err; /* 0 or ERR_TOOBIG */
};

void buf_init(struct buf *b, size_t max); /* max 0 = no limit */
void buf_fini(struct buf *b);
void buf_reset(struct buf *b); /* keeps capacity, clears err */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_appendz(struct buf *b, const char *s);
void buf_append_str(struct buf *b, struct str s);
void buf_appendc(struct buf *b, char c);
void buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decimal digits of v, without printf (the hot path of list pages). */
void buf_append_i64(struct buf *b, int64_t v);
/* Gives the data to the caller (who frees it) and leaves b empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
static inline int buf_err(const struct buf *b)
{
    return b->err;
}
/* A NUL-terminated view (never NULL); valid until the next append. */
const char *buf_cstr(const struct buf *b);

#endif
