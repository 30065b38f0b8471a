/* Form messages: a direct message is compared with the sender's others after what makes each
 * copy of a template differ is taken out (the recipient's name and handle, @handles, URLs,
 * e-mail addresses, numbers), word pairs against word pairs. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "text.h"

static bool starts_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the run of s that is not space (a URL, a handle, an address). */
static size_t token_len(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0' && !isspace((unsigned char)s[n])) {
        n++;
    }
    return n;
}

/* Bytes of the Unicode space or invisible separator p starts with (no-break, en/em and the
 * other typographic spaces, zero-width space and joiners, word joiner, ideographic space, BOM),
 * else 0: copies of a template joined by them must not read as one long word. */
static size_t unicode_space(const unsigned char *p)
{
    if (p[0] == 0xC2 && p[1] == 0xA0) {
        return 2; /* U+00A0 */
    }
    if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8F) || p[2] == 0xAF)) {
        return 3; /* U+2000..U+200F, U+202F */
    }
    if (p[0] == 0xE2 && p[1] == 0x81 && (p[2] == 0x9F || p[2] == 0xA0)) {
        return 3; /* U+205F, U+2060 */
    }
    if ((p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) ||
        (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)) {
        return 3; /* U+3000, U+FEFF */
    }
    return 0;
}

/* Whether word (lowercase, len n) is one of the names to drop (case-insensitively). */
static bool is_name(const char *word, size_t n, const char *const *names, size_t nnames)
{
    for (size_t i = 0; i < nnames; i++) {
        const char *p = names[i];
        while (p != NULL && *p != '\0') { /* each word of a name: "Ana Lopez" drops both */
            while (*p != '\0' && !isalnum((unsigned char)*p)) {
                p++;
            }
            size_t k = 0;
            while (isalnum((unsigned char)p[k])) {
                k++;
            }
            if (k == n && k > 0 && strncasecmp(p, word, n) == 0) {
                return true;
            }
            p += k;
        }
    }
    return false;
}

void text_form_normalise(struct buf *out, const char *body, const char *const *names,
                         size_t nnames)
{
    char word[64];
    size_t wn = 0;
    bool skip_word = false; /* inside a word too long to be a word (a token, a hash) */
    bool token_start = true; /* at the start of a whitespace-separated token */
    for (const char *p = body;; p++) {
        if (token_start && !isspace((unsigned char)*p)) {
            token_start = false;
            size_t n = token_len(p);
            if (starts_ci(p, "http://") || starts_ci(p, "https://") || starts_ci(p, "www.") ||
                memchr(p, '@', n) != NULL) {
                p += n; /* a link, a handle, an address: what changes between copies */
            }
        }
        size_t us = unicode_space((const unsigned char *)p);
        if (us > 0) {
            p += us - 1; /* a separator like a space (the loop steps past its last byte) */
        }
        unsigned char c = us > 0 ? ' ' : (unsigned char)*p;
        token_start = isspace(c);
        if (c != '\0' && (isalpha(c) || c >= 0x80 || c == '\'')) {
            if (wn < sizeof(word) - 1) {
                word[wn++] = (char)tolower(c);
            } else {
                skip_word = true;
            }
            continue;
        }
        if (c != '\0' && isdigit(c)) { /* numbers go, and the word they are part of */
            skip_word = true;
            continue;
        }
        if (wn > 0 && !skip_word && !is_name(word, wn, names, nnames)) {
            if (out->len > 0) {
                buf_appendc(out, ' ');
            }
            buf_append(out, word, wn);
        }
        wn = 0;
        skip_word = false;
        if (c == '\0') {
            break;
        }
    }
}

/* FNV-1a of the words [from, to) of s (pairs of adjacent words: the shingles). */
static uint64_t hash_span(const char *s, size_t from, size_t to)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = from; i < to; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    }
    return h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The sorted, distinct shingles of a normalised text (heap; *n of them). A text of one word
 * is its one word. */
static uint64_t *shingles(const char *s, size_t *n)
{
    size_t len = strlen(s), words = len > 0;
    for (size_t i = 0; i < len; i++) {
        words += s[i] == ' ';
    }
    uint64_t *h = malloc((words + 1) * sizeof(*h));
    size_t k = 0, prev_start = SIZE_MAX, start = 0;
    for (size_t i = 0; h != NULL && i <= len; i++) {
        if (i == len || s[i] == ' ') {
            if (i > start) { /* the word [start, i): a shingle with the one before it */
                if (prev_start != SIZE_MAX) {
                    h[k++] = hash_span(s, prev_start, i);
                }
                prev_start = start;
            }
            start = i + 1;
        }
    }
    if (h != NULL && k == 0 && len > 0) {
        h[k++] = hash_span(s, 0, len);
    }
    if (h != NULL) {
        qsort(h, k, sizeof(*h), cmp_u64);
    }
    size_t w = 0;
    for (size_t i = 0; h != NULL && i < k; i++) {
        if (i == 0 || h[i] != h[i - 1]) {
            h[w++] = h[i];
        }
    }
    *n = w;
    return h;
}

double text_form_similarity(const char *a, const char *b)
{
    size_t na, nb;
    uint64_t *ha = shingles(a, &na), *hb = shingles(b, &nb);
    size_t common = 0;
    for (size_t i = 0, j = 0; ha != NULL && hb != NULL && i < na && j < nb;) {
        if (ha[i] == hb[j]) {
            common++, i++, j++;
        } else if (ha[i] < hb[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(ha);
    free(hb);
    size_t all = na + nb - common;
    return all > 0 ? (double)common / (double)all : 0.0;
}
