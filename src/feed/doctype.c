/* A document type's internal subset, made harmless before the XML reader sees it. Entity
 * declarations are how XML bombs (nested expansion) and external-entity reads start, so the
 * subset is removed. Only plain-text general entities survive, as text: <!ENTITY id "tag:x,">
 * whose value holds no reference or markup cannot nest, and each use expands to at most
 * ENTITY_VALUE_MAX bytes, with the whole expansion capped. Parameter entities, external ones
 * and values with references are dropped; a use of one stays as literal text. Pure. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <string.h>

#include "feed_int.h"

#define ENTITY_MAX 64
#define ENTITY_VALUE_MAX 1024

struct entity {
    const char *name, *value;
    size_t name_len, value_len;
};

struct subset {
    struct entity e[ENTITY_MAX];
    size_t n;
};

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p)) {
        p++;
    }
    return p;
}

/* One <!ENTITY ...> at p (after "<!ENTITY"); kept in s when it is a plain-text general one.
 * Returns where the declaration ends. */
static const char *read_entity(struct subset *s, const char *p, const char *end)
{
    const char *gt = memchr(p, '>', (size_t)(end - p));
    const char *decl_end = gt ? gt + 1 : end;
    p = skip_space(p, end);
    const char *name = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')) {
        p++;
    }
    size_t name_len = (size_t)(p - name);
    p = skip_space(p, end);
    if (name_len == 0 || p >= end || (*p != '"' && *p != '\'') || s->n == ENTITY_MAX) {
        return decl_end; /* a parameter entity (%), an external one (SYSTEM/PUBLIC), junk */
    }
    const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
    if (close == NULL) {
        return decl_end;
    }
    size_t value_len = (size_t)(close - p - 1);
    if (value_len > ENTITY_VALUE_MAX || memchr(p + 1, '&', value_len) ||
        memchr(p + 1, '%', value_len) || memchr(p + 1, '<', value_len)) {
        return decl_end;
    }
    s->e[s->n++] = (struct entity){name, p + 1, name_len, value_len};
    gt = memchr(close, '>', (size_t)(end - close));
    return gt ? gt + 1 : end;
}

/* The "[...]" of a <!DOCTYPE> in the prolog: its bounds, or false when there is none. */
static bool find_subset(const char *s, size_t n, const char **open, const char **close)
{
    const char *end = s + n, *p = s;
    while (p < end) {
        p = skip_space(p, end);
        if (end - p >= 4 && (!memcmp(p, "<!--", 4) || !memcmp(p, "<?", 2))) {
            size_t close_len = p[1] == '?' ? 2 : 3;
            const char *e = memmem(p, (size_t)(end - p), close_len == 2 ? "?>" : "-->", close_len);
            p = e ? e + close_len : end;
            continue;
        }
        break;
    }
    if (end - p < 9 || memcmp(p, "<!DOCTYPE", 9) != 0) {
        return false;
    }
    const char *gt = memchr(p, '>', (size_t)(end - p));
    const char *br = memchr(p, '[', (size_t)(end - p));
    if (br == NULL || (gt != NULL && gt < br)) {
        return false;
    }
    /* the subset ends at "]" followed by optional space and ">" */
    for (const char *q = br + 1; q < end; q++) {
        const char *after = skip_space(q + 1, end);
        if (*q == ']' && after < end && *after == '>') {
            *open = br;
            *close = q + 1;
            return true;
        }
    }
    return false;
}

static const struct entity *lookup(const struct subset *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->e[i].name_len == len && memcmp(s->e[i].name, name, len) == 0) {
            return &s->e[i];
        }
    }
    return NULL;
}

/* Appends an entity's value escaped for XML text and attributes (it holds no & or <). */
static void append_value(struct buf *b, const struct entity *e)
{
    for (size_t i = 0; i < e->value_len; i++) {
        char c = e->value[i];
        if (c == '"' || c == '\'' || c == '>') {
            buf_appendz(b, c == '"' ? "&quot;" : c == '\'' ? "&apos;" : "&gt;");
        } else {
            buf_appendc(b, c);
        }
    }
}

/* The body with each use of a kept entity replaced by its value (escaped for XML), outside
 * CDATA sections and comments, up to the expansion cap. The next '&' and '<' are kept between
 * rounds, so no byte is scanned twice (a body of 16 million '&' stays linear). */
static void expand(struct buf *b, const struct subset *s, const char *p, const char *end,
                   size_t cap, bool *capped)
{
    const char *amp = p, *lt = p;
    while (p < end) {
        if (amp < p || (amp == p && *p != '&')) {
            amp = memchr(p, '&', (size_t)(end - p));
            amp = amp ? amp : end;
        }
        if (lt < p || (lt == p && *p != '<')) {
            lt = memchr(p, '<', (size_t)(end - p));
            lt = lt ? lt : end;
        }
        if (lt < amp) {
            bool section =
                end - lt >= 9 && (!memcmp(lt, "<![CDATA[", 9) || !memcmp(lt, "<!--", 4));
            const char *close = section && lt[2] == '[' ? "]]>" : "-->";
            const char *e = section ? memmem(lt, (size_t)(end - lt), close, 3) : NULL;
            const char *stop = !section ? lt + 1 : e ? e + 3 : end;
            buf_append(b, p, (size_t)(stop - p)); /* text up to a tag, or a section whole */
            p = stop;
            continue;
        }
        if (amp == end) {
            buf_append(b, p, (size_t)(end - p));
            return;
        }
        buf_append(b, p, (size_t)(amp - p));
        size_t room = (size_t)(end - amp) < 66 ? (size_t)(end - amp) : 66;
        const char *semi = memchr(amp, ';', room);
        const struct entity *e = semi ? lookup(s, amp + 1, (size_t)(semi - amp - 1)) : NULL;
        if (e == NULL || b->len + e->value_len > cap) {
            *capped |= e != NULL;
            buf_appendc(b, '&');
            p = amp + 1;
            continue;
        }
        append_value(b, e);
        p = semi + 1;
    }
}

char *feed_inline_entities(struct arena *a, char *s, size_t *n, bool *bozo, const char **msg)
{
    const char *open, *close;
    if (!find_subset(s, *n, &open, &close)) {
        return s;
    }
    struct subset sub = {.n = 0};
    for (const char *p = open; p < close;) {
        const char *d = memmem(p, (size_t)(close - p), "<!ENTITY", 8);
        if (d == NULL) {
            break;
        }
        p = read_entity(&sub, d + 8, close);
    }
    struct buf b;
    buf_init(&b, 0);
    buf_append(&b, s, (size_t)(open - s)); /* the DOCTYPE keeps its name and external id */
    bool capped = false;
    size_t cap = 2 * *n + (1u << 20);
    expand(&b, &sub, close, s + *n, cap, &capped);
    if (capped && !*bozo) {
        *bozo = true;
        *msg = "entity expansion stopped at twice the document's size; the rest kept as text";
    }
    char *out = arena_strndup(a, buf_cstr(&b), b.len);
    *n = b.len;
    buf_fini(&b);
    return out;
}
