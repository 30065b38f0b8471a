/* Who a session or an API token belongs to, remembered per process until the next write: a
 * signed-in request then asks the database nothing to know its member. Used on PostgreSQL,
 * where that lookup was a round trip on every request (on SQLite it is a function call, and
 * another process's write would be seen only within a second). Any write this process sees
 * (its own, or another node's by notice, within about a quarter of a second) forgets
 * everything: a ban, a sign-out or a revoked token are writes. Sessions are also checked
 * against their expiry. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "store_int.h"

#define AUTHCACHE_SLOTS 1024
#define AUTHCACHE_KEY 72 /* "s:" or "t:" and a 64-hex token hash */

struct authcache_slot {
    char key[AUTHCACHE_KEY];
    uint64_t seq; /* store_write_seq when it was read from the database */
    int64_t expires_at; /* sessions; 0 for tokens */
    struct store_user user;
    char *csrf;
    char *strings; /* one block holding the user's strings and csrf (owned) */
};

static struct authcache_slot slots[AUTHCACHE_SLOTS];
static pthread_mutex_t authcache_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t authcache_index(const char *key)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const char *c = key; *c; c++) {
        h = (h ^ (unsigned char)*c) * UINT64_C(0x100000001b3);
    }
    return (size_t)(h % AUTHCACHE_SLOTS);
}

/* The user's string fields, for copying them in and out alike. */
static void user_strings(struct store_user *u, char **f[7])
{
    f[0] = &u->handle;
    f[1] = &u->name;
    f[2] = &u->email;
    f[3] = &u->affiliation;
    f[4] = &u->domain;
    f[5] = &u->role;
    f[6] = &u->inviter_handle;
}

static void authcache_key(char out[AUTHCACHE_KEY], char kind, const char *token_hash)
{
    out[0] = kind;
    out[1] = ':';
    size_t n = strlen(token_hash);
    n = n < AUTHCACHE_KEY - 3 ? n : AUTHCACHE_KEY - 3;
    memcpy(out + 2, token_hash, n);
    out[2 + n] = '\0';
}

bool store_authcache_get(char kind, const char *token_hash, int64_t now, struct arena *a,
                         struct store_user *out, char **csrf)
{
    char key[AUTHCACHE_KEY];
    authcache_key(key, kind, token_hash);
    bool hit = false;
    pthread_mutex_lock(&authcache_mu);
    struct authcache_slot *sl = &slots[authcache_index(key)];
    if (sl->strings != NULL && strcmp(sl->key, key) == 0 && sl->seq == store_auth_seq() &&
        (sl->expires_at == 0 || sl->expires_at > now)) {
        *out = sl->user;
        char **fields[7];
        user_strings(out, fields);
        for (int i = 0; i < 7; i++) {
            *fields[i] = arena_strdup(a, *fields[i]);
        }
        if (csrf != NULL) {
            *csrf = arena_strdup(a, sl->csrf);
        }
        hit = true;
    }
    pthread_mutex_unlock(&authcache_mu);
    return hit;
}

void store_authcache_put(char kind, const char *token_hash, uint64_t seq, int64_t expires_at,
                         const struct store_user *u, const char *csrf)
{
    struct store_user in = *u;
    char **given[7];
    user_strings(&in, given);
    const char *src[8];
    for (int i = 0; i < 7; i++) {
        src[i] = *given[i];
    }
    src[7] = csrf;
    size_t len[8], total = 0;
    for (int i = 0; i < 8; i++) {
        len[i] = strlen(src[i] ? src[i] : "") + 1;
        total += len[i];
    }
    char *block = xmalloc(total), *p = block;
    char *copies[8];
    for (int i = 0; i < 8; i++) {
        memcpy(p, src[i] ? src[i] : "", len[i]);
        copies[i] = p;
        p += len[i];
    }
    struct authcache_slot fresh = {.seq = seq, .expires_at = expires_at, .user = *u,
                                   .csrf = copies[7], .strings = block};
    authcache_key(fresh.key, kind, token_hash);
    char **fields[7];
    user_strings(&fresh.user, fields);
    for (int i = 0; i < 7; i++) {
        *fields[i] = copies[i];
    }
    pthread_mutex_lock(&authcache_mu);
    struct authcache_slot *sl = &slots[authcache_index(fresh.key)];
    char *old = sl->strings;
    *sl = fresh;
    pthread_mutex_unlock(&authcache_mu);
    free(old);
}
