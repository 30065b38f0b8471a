/* Small helpers every module uses: checked allocation, string slices, time, UTF-8, randomness. */
#ifndef GUILD_CORE_UTIL_H
#define GUILD_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A borrowed string slice: p is not necessarily NUL-terminated. */
struct str {
    const char *p;
    size_t n;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
struct str str_z(const char *s); /* s may be NULL: gives the empty slice */
bool str_eq(struct str a, const char *z);

/* Allocation that logs and aborts on OOM: callers never see NULL. Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Seconds since the epoch (UTC). */
int64_t now_unix(void);
/* "3 hours ago" style text for an age in seconds, into out (static buffer of caller). */
void age_text(int64_t seconds, char *out, size_t outsz);

/* True when p[0..n) is valid UTF-8 without NUL bytes or C0 controls other than \t \n \r. */
bool utf8_valid_text(const char *p, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_len(const char *p, size_t n);

/* Fills out with n random bytes rendered as 2n lowercase hex chars + NUL (libsodium CSPRNG). */
void random_hex(char *out, size_t nbytes);

/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);

/* Lowercase ASCII in place. */
void ascii_lower(char *s);
/* Trim ASCII whitespace both ends; returns s (moved start) and writes the end. */
char *str_trim(char *s);
/* Parse a positive decimal id; false when s is not one. */
bool parse_id(const char *s, int64_t *out);

#endif
