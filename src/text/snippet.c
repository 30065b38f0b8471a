/* Search snippets: a window of words around the first match, matched words marked. Words are
 * compared by their Snowball stem (FTS5's porter stems the index; the two agree on ordinary
 * English), so "committees" marks "committee". Cheaper than FTS5's snippet(), which has to
 * reopen the index for every result. */
#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define SNIPPET_MAX_TERMS 16
#define SNIPPET_WORD 48

struct word {
    size_t start, len;
};

static void stem_of(struct sb_stemmer *st, const char *w, size_t n, char *out, size_t outsz)
{
    char low[SNIPPET_WORD + 1];
    size_t k = n < SNIPPET_WORD ? n : SNIPPET_WORD;
    for (size_t i = 0; i < k; i++) {
        low[i] = (char)tolower((unsigned char)w[i]);
    }
    low[k] = '\0';
    const sb_symbol *s = st ? sb_stemmer_stem(st, (const sb_symbol *)low, (int)k) : NULL;
    snprintf(out, outsz, "%s", s ? (const char *)s : low);
}

static bool word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

struct text_query {
    struct sb_stemmer *st;
    char terms[SNIPPET_MAX_TERMS][SNIPPET_WORD + 1];
    size_t nterms;
};

struct text_query *text_query_new(const char *query)
{
    struct text_query *q = xcalloc(1, sizeof(*q));
    q->st = sb_stemmer_new("english", NULL);
    for (const char *p = query; *p && q->nterms < SNIPPET_MAX_TERMS;) {
        while (*p && !word_char((unsigned char)*p)) {
            p++;
        }
        const char *s = p;
        while (*p && word_char((unsigned char)*p)) {
            p++;
        }
        if (p > s && !(p - s == 2 && !strncmp(s, "OR", 2)) &&
            !(p - s == 3 && !strncmp(s, "AND", 3))) {
            stem_of(q->st, s, (size_t)(p - s), q->terms[q->nterms++], sizeof(q->terms[0]));
        }
    }
    return q;
}

void text_query_free(struct text_query *q)
{
    if (q != NULL) {
        sb_stemmer_delete(q->st);
        free(q);
    }
}

/* True when the word's stem is one of the query's. */
static bool query_has(struct text_query *q, const char *w, size_t n)
{
    char stem[SNIPPET_WORD + 1];
    stem_of(q->st, w, n, stem, sizeof(stem));
    for (size_t t = 0; t < q->nterms; t++) {
        if (strcmp(stem, q->terms[t]) == 0) {
            return true;
        }
    }
    return false;
}

/* How many words text has, up to limit + 1 (enough to know it is longer than limit). */
static size_t count_words(struct str text, size_t limit)
{
    size_t n = 0;
    for (size_t i = 0; i < text.n && n <= limit;) {
        while (i < text.n && !word_char((unsigned char)text.p[i])) {
            i++;
        }
        size_t s = i;
        while (i < text.n && word_char((unsigned char)text.p[i])) {
            i++;
        }
        n += i > s;
    }
    return n;
}

void text_snippet(struct buf *out, struct str text, struct text_query *q, size_t max_words)
{
    /* find the first matching word; the window starts a few words before it */
    size_t idx = 0, start_byte = 0;
    bool found = false;
    size_t recent[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < text.n && !found;) {
        while (i < text.n && !word_char((unsigned char)text.p[i])) {
            i++;
        }
        size_t s = i;
        while (i < text.n && word_char((unsigned char)text.p[i])) {
            i++;
        }
        if (i == s) {
            break;
        }
        found = query_has(q, text.p + s, i - s);
        if (found) { /* up to 4 words of context before it, a third of the window at most */
            size_t lead = max_words / 3 < 4 ? max_words / 3 : 4;
            start_byte = lead == 0 ? s : idx >= lead ? recent[(idx - lead) % 4] : 0;
        }
        recent[idx % 4] = s;
        idx++;
    }
    if (count_words(text, max_words) <= max_words) {
        start_byte = 0; /* it all fits: a title is never cut at its start */
    }
    while (start_byte > 0 && text.p[start_byte - 1] == '\'') {
        /* "buyer's": not a word of its own; start at the word the apostrophe belongs to */
        size_t b = start_byte - 1;
        while (b > 0 && word_char((unsigned char)text.p[b - 1])) {
            b--;
        }
        start_byte = b;
    }
    if (start_byte > 0) {
        buf_appendz(out, "…");
    }
    size_t words = 0, i = start_byte;
    while (i < text.n && words < max_words) {
        size_t gap = i;
        while (i < text.n && !word_char((unsigned char)text.p[i])) {
            i++;
        }
        size_t s = i;
        while (i < text.n && word_char((unsigned char)text.p[i])) {
            i++;
        }
        for (size_t g = gap; g < s; g++) { /* spacing and punctuation, newlines as spaces */
            buf_appendc(out, text.p[g] == '\n' || text.p[g] == '\r' ? ' ' : text.p[g]);
        }
        if (i == s) {
            break;
        }
        bool hit = query_has(q, text.p + s, i - s);
        buf_appendz(out, hit ? "\xee\x80\x80" : "");
        buf_append(out, text.p + s, i - s);
        buf_appendz(out, hit ? "\xee\x80\x81" : "");
        words++;
    }
    if (i < text.n) {
        buf_appendz(out, "…");
    }
}
