/* Internal to src/fetch: the pieces fetch_url and fetch_many share. */
#ifndef GUILD_FETCH_INT_H
#define GUILD_FETCH_INT_H

#include <curl/curl.h>
#include <time.h>

#include "fetch.h"

/* One request's state while curl runs it (CURLOPT_PRIVATE points here). */
struct fetch_hop {
    struct fetch_result *r;
    size_t max;
    bool too_big;
    struct curl_slist *pin, *hdrs;
    CURL *easy; /* fetch_many: the handle running this hop */
};

void fetch_init(void);
/* Resolves and checks url's host under the guard; fills resolve with "host:port:address"
 * for CURLOPT_RESOLVE. 0, ERR_DENIED / ERR_INVAL / ERR_IO with *refused. */
int fetch_check_host(const char *url, bool allow_loopback, char *resolve, size_t n,
                     const char **refused);
/* An easy handle for one pinned request (NULL on OOM); fetch_hop_end reads its outcome,
 * frees it and, when follow is set and it redirected, gives the next URL (heap). */
CURL *fetch_hop_begin(const char *url, const char *resolve, const struct fetch_options *o,
                      long timeout_ms, struct fetch_hop *h);
int fetch_hop_end(CURL *c, CURLcode cc, struct fetch_hop *h, bool follow, char **next);
long fetch_ms_left(const struct timespec *start, long budget);

#endif
