#include "url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"

/* Query parameters that only track where a click came from: never part of identity. */
static bool url_is_tracking_param(const char *p, size_t n)
{
    static const char *const exact[] = {"fbclid", "gclid",  "dclid",   "msclkid", "yclid",
                                        "mc_cid", "mc_eid", "_hsenc",  "_hsmi",   "mkt_tok",
                                        "igshid", "ref_src", "oly_enc_id", "oly_anon_id"};
    if (n >= 4 && strncasecmp(p, "utm_", 4) == 0) {
        return true;
    }
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        if (strlen(exact[i]) == n && strncasecmp(p, exact[i], n) == 0) {
            return true;
        }
    }
    return false;
}

static bool url_host_valid(const char *h, size_t n)
{
    if (n == 0 || n > 253 || h[0] == '.' || h[0] == '-' || h[n - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c == '_')) {
            return false;
        }
        if (c == '.' && i + 1 < n && h[i + 1] == '.') {
            return false;
        }
    }
    return true;
}

/* Appends the query without tracking parameters; writes nothing when none remain. */
static void url_append_query(struct buf *b, const char *q, size_t n)
{
    bool first = true;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && q[j] != '&') {
            j++;
        }
        size_t keylen = 0;
        while (i + keylen < j && q[i + keylen] != '=') {
            keylen++;
        }
        if (j > i && !url_is_tracking_param(q + i, keylen)) {
            buf_appendc(b, first ? '?' : '&');
            buf_append(b, q + i, j - i);
            first = false;
        }
        i = j + 1;
    }
}

int url_canonicalize(struct arena *a, const char *in, char **canon, char **host)
{
    size_t n = strlen(in);
    if (n == 0 || n > URL_MAX) {
        return ERR_INVAL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>') {
            return ERR_INVAL; /* browsers would encode these; we ask for a clean URL */
        }
    }
    size_t off;
    const char *scheme;
    if (strncasecmp(in, "https://", 8) == 0) {
        scheme = "https", off = 8;
    } else if (strncasecmp(in, "http://", 7) == 0) {
        scheme = "http", off = 7;
    } else {
        return ERR_INVAL;
    }
    const char *auth = in + off;
    size_t alen = strcspn(auth, "/?#");
    if (memchr(auth, '@', alen) != NULL) {
        return ERR_INVAL; /* userinfo hides the real host from readers */
    }
    const char *colon = memchr(auth, ':', alen);
    size_t hlen = colon ? (size_t)(colon - auth) : alen;
    const char *port = NULL;
    size_t plen = 0;
    if (colon) {
        port = colon + 1;
        plen = alen - hlen - 1;
        if (plen == 0 || plen > 5 || strspn(port, "0123456789") < plen) {
            return ERR_INVAL;
        }
        long pv = 0;
        for (size_t i = 0; i < plen; i++) {
            pv = pv * 10 + (port[i] - '0');
        }
        if (pv == 0 || pv > 65535) {
            return ERR_INVAL;
        }
    }
    while (hlen > 0 && auth[hlen - 1] == '.') {
        hlen--; /* "example.com." is example.com */
    }
    if (!url_host_valid(auth, hlen) || memchr(auth, '.', hlen) == NULL) {
        return ERR_INVAL;
    }
    char *h = arena_strndup(a, auth, hlen);
    ascii_lower(h);

    const char *rest = auth + alen;
    size_t rlen = strcspn(rest, "#");
    size_t pathlen = strcspn(rest, "?#");
    const char *query = rest + pathlen;
    size_t qlen = rlen - pathlen;

    struct buf b;
    buf_init(&b, URL_MAX + 16);
    buf_appendz(&b, scheme);
    buf_appendz(&b, "://");
    buf_appendz(&b, h);
    if (port) {
        bool dflt = (strcmp(scheme, "http") == 0 && plen == 2 && memcmp(port, "80", 2) == 0) ||
                    (strcmp(scheme, "https") == 0 && plen == 3 && memcmp(port, "443", 3) == 0);
        if (!dflt) {
            buf_appendc(&b, ':');
            buf_append(&b, port, plen);
        }
    }
    if (pathlen == 0) {
        buf_appendc(&b, '/');
    } else {
        size_t keep = pathlen;
        while (keep > 1 && rest[keep - 1] == '/') {
            keep--;
        }
        buf_append(&b, rest, keep);
    }
    if (qlen > 1) {
        url_append_query(&b, query + 1, qlen - 1);
    }
    /* the limit holds for the canonical form too (it may gain a "/"), so that
     * canonicalising is idempotent */
    int rc = buf_err(&b) || b.len > URL_MAX ? ERR_INVAL : 0;
    if (rc == 0) {
        *canon = arena_strndup(a, b.data, b.len);
        *host = h;
    }
    buf_fini(&b);
    return rc;
}

static const char *strip_www(const char *s)
{
    return strncasecmp(s, "www.", 4) == 0 ? s + 4 : s;
}

bool url_domain_matches(const char *host, const char *domain)
{
    if (host == NULL || domain == NULL || *domain == '\0') {
        return false;
    }
    host = strip_www(host);
    domain = strip_www(domain);
    size_t hn = strlen(host), dn = strlen(domain);
    if (hn < dn || strcasecmp(host + hn - dn, domain) != 0) {
        return false;
    }
    return hn == dn || host[hn - dn - 1] == '.';
}

int url_normalize_domain(struct arena *a, const char *in, char **out)
{
    const char *s = in;
    if (strncasecmp(s, "https://", 8) == 0) {
        s += 8;
    } else if (strncasecmp(s, "http://", 7) == 0) {
        s += 7;
    }
    size_t n = strcspn(s, "/?#:");
    while (n > 0 && s[n - 1] == '.') {
        n--;
    }
    if (!url_host_valid(s, n) || memchr(s, '.', n) == NULL) {
        return ERR_INVAL;
    }
    char *d = arena_strndup(a, s, n);
    ascii_lower(d);
    *out = arena_strdup(a, strip_www(d));
    return 0;
}
