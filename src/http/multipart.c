/* multipart/form-data (RFC 7578): the body of a form with a file field. Pure, like form.c.
 * Only what browsers send is accepted: CRLF line ends, a Content-Disposition of form-data
 * with a quoted name, fields in valid UTF-8 (a file that is not text is marked not_text). */
#define _GNU_SOURCE /* memmem */
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/util.h"
#include "http.h"

#define MULTIPART_MAX_FIELDS 64
#define BOUNDARY_MAX 70 /* RFC 2046 */

/* The boundary parameter of a Content-Type, unquoted, into the arena; NULL if absent or bad. */
static char *multipart_boundary(struct arena *a, const char *ct)
{
    const char *p = ct;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        p += strspn(p, " \t");
        if (strncasecmp(p, "boundary=", 9) != 0) {
            continue;
        }
        p += 9;
        size_t n = *p == '"' ? strcspn(p + 1, "\"") : strcspn(p, "; \t");
        const char *start = *p == '"' ? p + 1 : p;
        if (n == 0 || n > BOUNDARY_MAX || (*p == '"' && start[n] != '"')) {
            return NULL;
        }
        return arena_strndup(a, start, n);
    }
    return NULL;
}

/* The quoted value of the parameter `key="..."` of a header line of length n (parameters
 * after the first ';', quoted strings skipped whole, so a key inside another parameter's
 * value is not taken for one); NULL if absent. */
static char *header_param(struct arena *a, const char *line, size_t n, const char *key)
{
    size_t klen = strlen(key), i = 0;
    while (i < n && line[i] != ';') {
        i++;
    }
    while (i < n) {
        i++; /* past ';' */
        while (i < n && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        size_t start = i;
        while (i < n && line[i] != '=' && line[i] != ';') {
            i++;
        }
        bool match = i - start == klen && strncasecmp(line + start, key, klen) == 0;
        if (i < n && line[i] == '=' && i + 1 < n && line[i + 1] == '"') {
            const char *v = line + i + 2;
            const char *end = memchr(v, '"', n - (i + 2));
            if (end == NULL) {
                return NULL;
            }
            if (match) {
                return arena_strndup(a, v, (size_t)(end - v));
            }
            i = (size_t)(end - line) + 1;
        }
        while (i < n && line[i] != ';') {
            i++; /* an unquoted value, or whatever follows */
        }
    }
    return NULL;
}

/* The field name from a part's headers [h, h+n); NULL unless it is form-data with a name.
 * OUT: *file, whether the part is a file (it has a filename). */
static char *part_name(struct arena *a, const char *h, size_t n, bool *file)
{
    const char *end = h + n;
    while (h < end) {
        const char *eol = memmem(h, (size_t)(end - h), "\r\n", 2);
        size_t len = eol ? (size_t)(eol - h) : (size_t)(end - h);
        static const char cd[] = "content-disposition:";
        if (len > sizeof(cd) - 1 && strncasecmp(h, cd, sizeof(cd) - 1) == 0) {
            const char *v = h + sizeof(cd) - 1;
            v += strspn(v, " \t");
            if (strncasecmp(v, "form-data", 9) != 0) {
                return NULL;
            }
            *file = header_param(a, h, len, "filename") != NULL;
            return header_param(a, h, len, "name");
        }
        h += len + 2;
    }
    return NULL;
}

/* A field's value must be text; a file that is not (an image chosen by mistake) is kept as
 * an empty value marked not_text, so the handler can say what is wrong with it. */
static int add_field(struct arena *a, struct http_field *f, size_t *k, char *name, bool file,
                     const char *value, size_t vlen)
{
    bool text = utf8_valid_text(value, vlen);
    if (!utf8_valid_text(name, strlen(name)) || (!text && !file) ||
        *k == MULTIPART_MAX_FIELDS) {
        return ERR_INVAL;
    }
    for (size_t d = 0; d < *k; d++) {
        if (strcmp(f[d].name, name) == 0) {
            return 0; /* the first of a name wins, as in urlencoded forms */
        }
    }
    f[*k].name = name;
    f[*k].value = text ? arena_strndup(a, value, vlen) : "";
    f[*k].not_text = !text;
    (*k)++;
    return 0;
}

int http_multipart_parse(struct arena *a, const char *content_type, const char *body, size_t n,
                         struct http_field **out, size_t *nout)
{
    char *boundary = multipart_boundary(a, content_type);
    if (boundary == NULL) {
        return ERR_INVAL;
    }
    char *delim = arena_printf(a, "\r\n--%s", boundary); /* every delimiter but a first one */
    size_t dlen = strlen(delim);
    struct http_field *f = arena_alloc(a, MULTIPART_MAX_FIELDS * sizeof(*f));
    size_t k = 0;
    const char *end = body + n;
    /* the first delimiter may open the body (no CRLF before it) or follow a preamble */
    const char *p = NULL;
    if (n >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = body + dlen - 2;
    } else if ((p = memmem(body, n, delim, dlen)) != NULL) {
        p += dlen;
    }
    while (p != NULL) {
        if (end - p >= 2 && memcmp(p, "--", 2) == 0) {
            *out = f;
            *nout = k;
            return 0; /* the close delimiter; an epilogue after it is ignored */
        }
        if (end - p < 2 || memcmp(p, "\r\n", 2) != 0) {
            return ERR_INVAL;
        }
        p += 2;
        /* this part ends at the next delimiter; its headers end inside it, never in a later
         * part (a part without headers is refused: it has no name) */
        const char *next = memmem(p, (size_t)(end - p), delim, dlen);
        const char *hend = next ? memmem(p, (size_t)(next - p), "\r\n\r\n", 4) : NULL;
        if (hend == NULL) {
            return ERR_INVAL;
        }
        const char *content = hend + 4; /* <= next: hend was found within [p, next) */
        bool file = false;
        char *name = part_name(a, p, (size_t)(hend - p), &file);
        if (name == NULL) {
            return ERR_INVAL;
        }
        if (add_field(a, f, &k, name, file, content, (size_t)(next - content)) != 0) {
            return ERR_INVAL;
        }
        p = next + dlen;
    }
    return ERR_INVAL; /* no delimiter, or no close delimiter */
}
