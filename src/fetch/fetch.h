/* Outbound HTTP(S) fetching with an SSRF guard: http/https only; every host is resolved first
 * and refused if any of its addresses is loopback, private, link-local, multicast, CGNAT,
 * reserved or an IPv6 equivalent; curl is pinned to the checked address (no DNS rebinding);
 * redirects are followed here, one hop at a time, each re-checked; body size, total time and
 * redirects are bounded. Used by the feed fetcher; `guild fetch-url` exposes it for checks.
 * Ownership: fetch_result fields are heap-owned; release with fetch_result_fini. */
#ifndef GUILD_FETCH_FETCH_H
#define GUILD_FETCH_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "../core/buf.h"

struct fetch_job;

struct fetch_options {
    size_t max_bytes;      /* default 4 MiB */
    long timeout_ms;       /* whole transfer, default 20 s */
    int max_redirects;     /* default 5 */
    bool allow_loopback;   /* tests only: honoured only when GUILD_TEST_MODE=1 */
    const char *if_none_match, *if_modified_since; /* echoed exactly as received */
    const char *post_body, *post_type; /* a POST (webhooks) instead of a GET; no redirects */
    const char *const *post_headers;   /* "Name: value" lines sent with it, NULL-ended (the
                                          caller keeps them for the call; NULL: none) */
    const volatile bool *cancel; /* fetch_many stops soon after *cancel turns true */
    /* fetch_many calls done(job, done_ctx) as each job ends (NULL: none), so results can be
     * used and released one by one instead of all held until the end */
    void (*done)(struct fetch_job *job, void *ctx);
    void *done_ctx;
};

/* The refusal of jobs fetch_many dropped because it was cancelled (compare the pointer). */
extern const char fetch_cancelled[];

struct fetch_result {
    long status;
    struct buf body;
    char *final_url;       /* after redirects */
    bool permanent;        /* every redirect followed was 301 or 308 */
    int redirects;
    char *etag, *last_modified, *content_type, *content_language;
    char *cache_control, *expires, *retry_after, *date; /* for the next check's time */
    const char *refused;   /* why a URL was refused (static), or NULL */
};

void fetch_options_default(struct fetch_options *o);
/* Fetches url. Returns 0 (any HTTP status), ERR_DENIED (refused by the guard: see
 * out->refused), ERR_TOOBIG, ERR_IO (network error or timeout) or ERR_INVAL (bad URL or
 * options, including allow_loopback outside test mode). */
int fetch_url(const char *url, const struct fetch_options *o, struct fetch_result *out)
    __attribute__((warn_unused_result));
void fetch_result_fini(struct fetch_result *r);

/* Many fetches at once (libcurl multi): at most `parallel` transfers, never two to one host
 * at the same time, and at least host_gap_ms between the end of one request to a host and
 * the start of the next. Each job is fetched exactly as fetch_url would (guard, pinning,
 * redirects one checked hop at a time, caps). Ownership: the caller owns jobs; release each
 * job's result with fetch_result_fini. */
struct fetch_job {
    const char *url;                          /* in */
    const char *if_none_match, *if_modified_since; /* in, may be NULL */
    struct fetch_result r;                    /* out */
    int rc;                                   /* out: as fetch_url returns */
};
void fetch_many(struct fetch_job *jobs, size_t n, const struct fetch_options *o, int parallel,
                long host_gap_ms);

/* The guard's address rule (pure): NULL when addr may be fetched, else the reason. */
const char *fetch_addr_refusal(const struct sockaddr *addr, bool allow_loopback);
/* True when the process runs the test suite (GUILD_TEST_MODE=1). */
bool fetch_test_mode(void);

#endif
