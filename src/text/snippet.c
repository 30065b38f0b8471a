/* Search snippets: a window of words around the first match, matched words marked. Words are
 * compared by their Snowball stem (FTS5's porter stems the index; the two agree on ordinary
 * English), so "committees" marks "committee". Cheaper than FTS5's snippet(), which has to
 * reopen the index for every result. */
#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
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

void text_snippet(struct buf *out, struct str text, const char *query, size_t max_words)
{
    struct sb_stemmer *st = sb_stemmer_new("english", NULL);
    char terms[SNIPPET_MAX_TERMS][SNIPPET_WORD + 1];
    size_t nterms = 0;
    for (const char *p = query; *p && nterms < SNIPPET_MAX_TERMS;) {
        while (*p && !word_char((unsigned char)*p)) {
            p++;
        }
        const char *s = p;
        while (*p && word_char((unsigned char)*p)) {
            p++;
        }
        if (p > s && !(p - s == 2 && !strncmp(s, "OR", 2)) &&
            !(p - s == 3 && !strncmp(s, "AND", 3))) {
            stem_of(st, s, (size_t)(p - s), terms[nterms++], sizeof(terms[0]));
        }
    }
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
        char stem[SNIPPET_WORD + 1];
        stem_of(st, text.p + s, i - s, stem, sizeof(stem));
        for (size_t t = 0; t < nterms && !found; t++) {
            found = strcmp(stem, terms[t]) == 0;
        }
        if (found) { /* up to 4 words of context before it, a third of the window at most */
            size_t lead = max_words / 3 < 4 ? max_words / 3 : 4;
            start_byte = lead == 0 ? s : idx >= lead ? recent[(idx - lead) % 4] : 0;
        }
        recent[idx % 4] = s;
        idx++;
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
        char stem[SNIPPET_WORD + 1];
        stem_of(st, text.p + s, i - s, stem, sizeof(stem));
        bool hit = false;
        for (size_t t = 0; t < nterms && !hit; t++) {
            hit = strcmp(stem, terms[t]) == 0;
        }
        buf_appendz(out, hit ? "\xee\x80\x80" : "");
        buf_append(out, text.p + s, i - s);
        buf_appendz(out, hit ? "\xee\x80\x81" : "");
        words++;
    }
    if (i < text.n) {
        buf_appendz(out, "…");
    }
    sb_stemmer_delete(st);
}
