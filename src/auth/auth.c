#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"

int auth_init(void)
{
    return sodium_init() < 0 ? ERR_IO : 0;
}

const char *auth_password_problem(const char *pw)
{
    size_t n = strlen(pw);
    if (n < AUTH_PASSWORD_MIN) {
        return "Passwords need at least 10 characters.";
    }
    if (n > AUTH_PASSWORD_MAX) {
        return "Passwords may have at most 200 characters.";
    }
    if (!utf8_valid_text(pw, n)) {
        return "Passwords must be valid text.";
    }
    return NULL;
}

int auth_password_hash(const char *pw, char out[AUTH_HASH_MAX])
{
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return ERR_NOMEM;
    }
    return 0;
}

bool auth_password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_secret_new(char out[AUTH_SECRET_HEX])
{
    random_hex(out, 32);
}

void auth_secret_hash(const char *secret, char out[AUTH_SECRET_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, AUTH_SECRET_HEX, h, sizeof(h));
}

bool auth_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0) {
        return false;
    }
    return sodium_memcmp(a, b, n) == 0;
}

/* ---- limiter: a fixed hashed table of buckets of a few slots each. A key keeps its own slot
 * until its window is over; when every slot of its bucket is held by other live keys, it
 * shares one of them (chosen by its hash), so a collision makes keys share a budget and never
 * hands a key a fresh one. ---- */

#define LIMITER_BUCKETS 4096
#define LIMITER_WAYS 4

struct limiter_slot {
    uint64_t key;
    int failures;
    int64_t window_start;
};

struct auth_limiter {
    pthread_mutex_t mu;
    int max_failures, window;
    const char *name;
    unsigned char salt[crypto_shorthash_KEYBYTES];
    struct limiter_slot slots[LIMITER_BUCKETS][LIMITER_WAYS];
};

struct auth_limiter *auth_limiter_new(int max_failures, int window_seconds)
{
    struct auth_limiter *l = xcalloc(1, sizeof(*l));
    pthread_mutex_init(&l->mu, NULL);
    l->max_failures = max_failures;
    l->window = window_seconds;
    randombytes_buf(l->salt, sizeof(l->salt)); /* keyed so clients cannot aim collisions */
    return l;
}

void auth_limiter_free(struct auth_limiter *l)
{
    if (l == NULL) {
        return;
    }
    pthread_mutex_destroy(&l->mu);
    free(l);
}

static bool limiter_live(const struct auth_limiter *l, const struct limiter_slot *s, int64_t now)
{
    return s->failures > 0 && now - s->window_start < l->window;
}

/* The slot that holds the budget of the key whose hash is h. With claim, a key without one takes a free or expired
 * slot of its bucket (reset for it); without claim, such a key gets NULL (a fresh budget).
 * Either way a key whose bucket is full of live keys shares one of their slots. */
static uint64_t limiter_hash(const struct auth_limiter *l, const char *key)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t h;
    crypto_shorthash(out, (const unsigned char *)key, strlen(key), l->salt);
    memcpy(&h, out, sizeof(h));
    return h | 1; /* 0 marks a never-used slot */
}

static struct limiter_slot *limiter_slot(struct auth_limiter *l, uint64_t h, int64_t now,
                                         bool claim)
{
    /* the bucket from bits above the lowest (always 1, see limiter_hash), the shared slot
     * from the high half */
    struct limiter_slot *bucket = l->slots[(h >> 1) % LIMITER_BUCKETS], *free_slot = NULL;
    for (int w = 0; w < LIMITER_WAYS; w++) {
        if (bucket[w].key == h && limiter_live(l, &bucket[w], now)) {
            return &bucket[w];
        }
        if (free_slot == NULL && !limiter_live(l, &bucket[w], now)) {
            free_slot = &bucket[w];
        }
    }
    if (free_slot != NULL) {
        if (!claim) {
            return NULL;
        }
        *free_slot = (struct limiter_slot){h, 0, now};
        return free_slot;
    }
    return &bucket[(h >> 32) % LIMITER_WAYS];
}

int auth_limiter_wait(struct auth_limiter *l, const char *key, int64_t now)
{
    int wait = 0;
    pthread_mutex_lock(&l->mu);
    struct limiter_slot *s = limiter_slot(l, limiter_hash(l, key), now, false);
    if (s != NULL && s->failures >= l->max_failures) {
        int64_t until = s->window_start + l->window;
        wait = until > now ? (int)(until - now) : 0;
    }
    pthread_mutex_unlock(&l->mu);
    return wait;
}

int auth_limiter_take(struct auth_limiter *l, const char *key, int64_t now)
{
    int wait = 0;
    pthread_mutex_lock(&l->mu);
    struct limiter_slot *s = limiter_slot(l, limiter_hash(l, key), now, true);
    if (s->failures >= l->max_failures) {
        int64_t until = s->window_start + l->window;
        wait = until > now ? (int)(until - now) : 0;
    }
    if (wait == 0) {
        s->failures++;
    }
    pthread_mutex_unlock(&l->mu);
    return wait;
}

void auth_limiter_fail(struct auth_limiter *l, const char *key, int64_t now)
{
    pthread_mutex_lock(&l->mu);
    limiter_slot(l, limiter_hash(l, key), now, true)->failures++;
    pthread_mutex_unlock(&l->mu);
}

void auth_limiter_unfail(struct auth_limiter *l, const char *key, int64_t now)
{
    pthread_mutex_lock(&l->mu);
    uint64_t h = limiter_hash(l, key);
    struct limiter_slot *s = limiter_slot(l, h, now, false);
    if (s != NULL && s->key == h && s->failures > 0) {
        s->failures--;
    }
    pthread_mutex_unlock(&l->mu);
}

void auth_limiter_reset(struct auth_limiter *l, const char *key, int64_t now)
{
    pthread_mutex_lock(&l->mu);
    uint64_t h = limiter_hash(l, key);
    struct limiter_slot *s = limiter_slot(l, h, now, false);
    if (s != NULL && s->key == h) { /* its own slot: a shared one is others' budget too */
        s->failures = 0;
    }
    pthread_mutex_unlock(&l->mu);
}

void auth_limiter_set_name(struct auth_limiter *l, const char *name)
{
    l->name = name;
}

const char *auth_limiter_name(const struct auth_limiter *l)
{
    return l->name != NULL ? l->name : "";
}

int auth_limiter_max(const struct auth_limiter *l)
{
    return l->max_failures;
}

int auth_limiter_window(const struct auth_limiter *l)
{
    return l->window;
}
