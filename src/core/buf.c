#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = 0;
}

void buf_fini(struct buf *b)
{
    if (b == NULL) {
        return;
    }
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

static bool buf_reserve(struct buf *b, size_t extra)
{
    if (b->err) {
        return false;
    }
    if (extra > SIZE_MAX / 2 - b->len || (b->max && b->len + extra > b->max)) {
        b->err = ERR_TOOBIG;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    return true;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n)) {
        return;
    }
    if (n) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_appendz(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_append_str(struct buf *b, struct str s)
{
    buf_append(b, s.p, s.n);
}

void buf_appendc(struct buf *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_append_i64(struct buf *b, int64_t v)
{
    char t[24], *p = t + sizeof(t);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0) {
        *--p = '-';
    }
    buf_append(b, p, (size_t)(t + sizeof(t) - p));
}

void buf_appendf(struct buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && buf_reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

char *buf_detach(struct buf *b, size_t *len)
{
    if (b->data == NULL) {
        b->data = xmalloc(1);
        b->data[0] = '\0';
    }
    char *p = b->data;
    if (len != NULL) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *buf_cstr(const struct buf *b)
{
    return b->data ? b->data : "";
}
