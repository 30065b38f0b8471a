/* URL canonicalisation for submissions, and affiliation-domain matching.
 * Canonical form: http/https only, lowercase scheme and host, default port dropped, no
 * userinfo, no fragment, tracking parameters (utm_*, fbclid, gclid, ...) removed, empty path
 * becomes "/", a trailing slash on a non-root path removed. */
#ifndef GUILD_CORE_URL_H
#define GUILD_CORE_URL_H

#include <stdbool.h>

#include "arena.h"

#define URL_MAX 2048

/* OUT: *canon and *host allocated in a (host lowercase, without port).
 * Returns 0, or ERR_INVAL (not an absolute http(s) URL, bad host, too long, bad bytes). */
int url_canonicalize(struct arena *a, const char *in, char **canon, char **host)
    __attribute__((warn_unused_result));

/* True when host is domain or a subdomain of it ("blog.acme.com" matches "acme.com").
 * A leading "www." on either side is ignored. Comparison is ASCII case-insensitive. */
bool url_domain_matches(const char *host, const char *domain);

/* Normalises a declared affiliation domain ("https://www.Acme.com/" -> "acme.com").
 * OUT: *out in a. ERR_INVAL when it is not a plausible domain name. */
int url_normalize_domain(struct arena *a, const char *in, char **out)
    __attribute__((warn_unused_result));

#endif
