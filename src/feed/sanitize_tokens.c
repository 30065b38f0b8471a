/* The feed sanitiser's tokenizer: tags with their attributes (names lowercased, values
 * decoded and also kept as written), character references, and the comments, CDATA sections
 * and declarations that are not tags. Pure. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "sanitize_int.h"


/* Decodes character references in s[0..n) into b (attribute values and plain text). */
void feed_decode_entities(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            buf_appendc(b, s[i]);
            continue;
        }
        size_t j = i + 1;
        unsigned long cp = 0;
        bool ok = false;
        if (j < n && s[j] == '#') {
            j++;
            bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
            j += hex;
            size_t start = j;
            while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])) &&
                   j - start < 8) {
                cp = cp * (hex ? 16 : 10) +
                     (unsigned long)(isdigit((unsigned char)s[j]) ? s[j] - '0'
                                                                  : (tolower((unsigned char)s[j]) - 'a' + 10));
                j++;
            }
            ok = j > start;
        } else {
            char name[32];
            size_t k = 0;
            while (j < n && isalnum((unsigned char)s[j]) && k < sizeof(name) - 1) {
                name[k++] = s[j++];
            }
            name[k] = '\0';
            const htmlEntityDesc *e = k ? htmlEntityLookup((const xmlChar *)name) : NULL;
            if (e != NULL) {
                cp = e->value;
                ok = true;
            }
        }
        if (!ok) {
            buf_appendc(b, '&');
            continue;
        }
        if (j < n && s[j] == ';') {
            j++;
        }
        feed_utf8_put(b, cp);
        i = j - 1;
    }
}

size_t feed_reference_len(const char *s, size_t n)
{
    size_t j = 1;
    if (j < n && s[j] == '#') {
        j++;
        bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
        j += hex;
        size_t start = j;
        while (j < n && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
            j++;
        }
        return j > start && j < n && s[j] == ';' && j - start <= 8 ? j + 1 : 0;
    }
    size_t start = j;
    while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.')) {
        j++;
    }
    return j > start && j < n && s[j] == ';' ? j + 1 : 0;
}

/* Parses a tag starting at s[0] == '<'. Returns its length, or 0 when this '<' is text. */
size_t feed_parse_tag(struct arena *a, const char *s, size_t n, struct tag *t)
{
    size_t i = 1;
    memset(t, 0, sizeof(*t));
    if (i < n && s[i] == '/') {
        t->end = true;
        i++;
    }
    if (i >= n || !isalpha((unsigned char)s[i])) {
        return 0;
    }
    size_t k = 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':' || s[i] == '_')) {
        if (k < sizeof(t->name) - 1) {
            t->name[k++] = (char)tolower((unsigned char)s[i]);
        }
        i++;
    }
    t->name[k] = '\0';
    for (;;) {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == '/')) {
            if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
                t->self_closing = true;
            }
            i++;
        }
        if (i >= n) {
            return n; /* an unterminated tag runs to the end and is dropped */
        }
        if (s[i] == '>') {
            return i + 1;
        }
        size_t ns = i;
        while (i < n && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' &&
               !(s[i] == '/' && i + 1 < n && s[i + 1] == '>')) {
            i++;
        }
        size_t nlen = i - ns;
        while (i < n && isspace((unsigned char)s[i])) {
            i++;
        }
        const char *v = "";
        size_t vlen = 0;
        if (i < n && s[i] == '=') {
            i++;
            while (i < n && isspace((unsigned char)s[i])) {
                i++;
            }
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                v = s + i;
                while (i < n && s[i] != q) {
                    i++;
                }
                vlen = (size_t)(s + i - v);
                i += i < n;
            } else {
                v = s + i;
                while (i < n && !isspace((unsigned char)s[i]) && s[i] != '>') {
                    i++;
                }
                vlen = (size_t)(s + i - v);
            }
        }
        if (nlen == 0) {
            i++; /* a stray '=' or quote: skip it */
            continue;
        }
        if (t->nattrs < SAN_MAX_ATTRS && nlen < sizeof(t->attrs[0].name)) {
            struct attr *at = &t->attrs[t->nattrs];
            for (size_t c = 0; c < nlen; c++) {
                at->name[c] = (char)tolower((unsigned char)s[ns + c]);
            }
            at->name[nlen] = '\0';
            bool dup = false;
            for (int d = 0; d < t->nattrs; d++) {
                dup |= strcmp(t->attrs[d].name, at->name) == 0;
            }
            if (!dup) {
                struct buf vb;
                buf_init(&vb, 0);
                feed_decode_entities(&vb, v, vlen);
                at->val = arena_strdup(a, buf_cstr(&vb));
                at->raw = v;
                at->raw_len = vlen;
                buf_fini(&vb);
                t->nattrs++;
            }
        }
    }
}

/* Skips a comment, declaration or processing instruction at s ("<!", "<?"). CDATA content is
 * handed back as text through *cdata. Returns the length consumed, 0 when it is text. */
size_t feed_skip_markup_decl(const char *s, size_t n, const char **cdata, size_t *cdlen)
{
    *cdata = NULL;
    if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
        const char *e = memmem(s + 4, n - 4, "-->", 3);
        return e ? (size_t)(e - s) + 3 : n;
    }
    if (n >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
        const char *e = memmem(s + 9, n - 9, "]]>", 3);
        *cdata = s + 9;
        *cdlen = e ? (size_t)(e - s) - 9 : n - 9;
        return e ? (size_t)(e - s) + 3 : n;
    }
    if (n >= 2 && (s[1] == '?' || (s[1] == '!' && n >= 3 && isalpha((unsigned char)s[2])))) {
        const char *e = memchr(s, '>', n);
        return e ? (size_t)(e - s) + 1 : n;
    }
    return 0;
}

