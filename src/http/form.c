/* Form and route parsing: pure functions over bytes, so they can be fuzzed alone. */
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"
#include "http.h"

#define FORM_MAX_FIELDS 64

/* Decodes one name or value into the arena; NULL on a bad escape or invalid text. */
static char *form_decode(struct arena *a, const char *p, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '+') {
            out[k++] = ' ';
        } else if (p[i] == '%') {
            if (i + 2 >= n) { /* '%' needs two hex digits after it */
                return NULL;
            }
            int hi = hex_digit(p[i + 1]), lo = hex_digit(p[i + 2]);
            if (hi < 0 || lo < 0) {
                return NULL;
            }
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = p[i];
        }
    }
    out[k] = '\0';
    return utf8_valid_text(out, k) ? out : NULL;
}

int http_form_parse(struct arena *a, const char *body, size_t n, struct http_field **out,
                    size_t *nout)
{
    struct http_field *f = arena_alloc(a, FORM_MAX_FIELDS * sizeof(*f));
    size_t k = 0, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && body[j] != '&') {
            j++;
        }
        if (j > i) {
            const char *eq = memchr(body + i, '=', j - i);
            size_t nlen = eq ? (size_t)(eq - (body + i)) : j - i;
            char *name = form_decode(a, body + i, nlen);
            char *value = eq ? form_decode(a, eq + 1, (size_t)(body + j - eq - 1))
                             : arena_strdup(a, "");
            if (name == NULL || value == NULL || k == FORM_MAX_FIELDS) {
                return ERR_INVAL;
            }
            bool dup = false;
            for (size_t d = 0; d < k; d++) {
                dup = dup || strcmp(f[d].name, name) == 0;
            }
            if (!dup) {
                f[k].name = name;
                f[k].value = value;
                f[k].not_text = false;
                k++;
            }
        }
        i = j + 1;
    }
    *out = f;
    *nout = k;
    return 0;
}

bool http_route_match(struct arena *a, const char *pattern, const char *path,
                      const char *params[HTTP_MAX_PARAMS], int64_t *id)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == ':') {
            bool is_id = strncmp(p, ":id", 3) == 0 && (p[3] == '/' || p[3] == '\0');
            while (*p && *p != '/') {
                p++;
            }
            size_t n = strcspn(s, "/");
            if (n == 0 || np == HTTP_MAX_PARAMS) {
                return false;
            }
            params[np] = arena_strndup(a, s, n);
            if (is_id && !parse_id(params[np], id)) {
                return false; /* "/i/abc" names nothing: a 404 before any handler */
            }
            np++;
            s += n;
            continue;
        }
        if (*p != *s) {
            return false;
        }
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}
