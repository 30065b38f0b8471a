/* Passwords (argon2id via libsodium), random secrets, their at-rest hashes, CSRF checks and
 * the login rate limiter. No I/O besides the CSPRNG. Call auth_init once before threads. */
#ifndef GUILD_AUTH_AUTH_H
#define GUILD_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTH_HASH_MAX 128   /* >= crypto_pwhash_STRBYTES */
#define AUTH_SECRET_HEX 65  /* 32 random bytes as hex + NUL */
#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 200

/* Returns 0, or ERR_IO when libsodium cannot initialise. */
int auth_init(void) __attribute__((warn_unused_result));

/* NULL when acceptable, else a sentence for the member (static string). */
const char *auth_password_problem(const char *pw);
/* OUT: out (caller storage, AUTH_HASH_MAX). ERR_NOMEM when argon2id could not get memory. */
int auth_password_hash(const char *pw, char out[AUTH_HASH_MAX]) __attribute__((warn_unused_result));
bool auth_password_verify(const char *hash, const char *pw);

/* A new secret (session cookie, API token, invitation code, CSRF token) as hex. */
void auth_secret_new(char out[AUTH_SECRET_HEX]);
/* The at-rest form of a secret: BLAKE2b-256 as hex. Only hashes are stored, so a leaked
 * database does not hand out live sessions. */
void auth_secret_hash(const char *secret, char out[AUTH_SECRET_HEX]);
/* Constant-time equality of two NUL-terminated strings. */
bool auth_secret_equal(const char *a, const char *b);

/* Fixed-window limiter for failed logins and actions, keyed by any string (an IP address, an
 * account id). Thread-safe; in memory only, so a restart forgets every count. Keys that
 * collide in its table share a budget: a key is never handed a fresh one by a collision. */
struct auth_limiter;
struct auth_limiter *auth_limiter_new(int max_failures, int window_seconds);
void auth_limiter_free(struct auth_limiter *l);
/* Seconds until key may try again (0 = allowed now). */
int auth_limiter_wait(struct auth_limiter *l, const char *key, int64_t now);
void auth_limiter_fail(struct auth_limiter *l, const char *key, int64_t now);
/* Wait and, when that is 0, fail, under one lock: two threads cannot both take the last
 * place. Returns the wait (0: counted). */
int auth_limiter_take(struct auth_limiter *l, const char *key, int64_t now);
/* Takes back one failure counted for key (an attempt charged in advance that never ran). */
void auth_limiter_unfail(struct auth_limiter *l, const char *key, int64_t now);
/* Forgets key's failures (after a successful login). */
void auth_limiter_reset(struct auth_limiter *l, const char *key, int64_t now);
/* Its name (a static string, "" until set), budget and window: what a limiter kept elsewhere
 * (in the database, shared by several processes: src/app/limits.c) is told. */
void auth_limiter_set_name(struct auth_limiter *l, const char *name);
const char *auth_limiter_name(const struct auth_limiter *l);
int auth_limiter_max(const struct auth_limiter *l);
int auth_limiter_window(const struct auth_limiter *l);

#endif
