/* Text rendering for member-written content: Markdown (CommonMark via md4c's parser, with our
 * own renderer so every byte of output goes through esc_*). Raw HTML is disabled, images are
 * shown as links, and links keep only http, https and mailto targets. */
#ifndef GUILD_TEXT_TEXT_H
#define GUILD_TEXT_TEXT_H

#include "../core/buf.h"
#include "../core/util.h"

/* Appends the HTML rendering of Markdown src to out. Returns 0, ERR_INVAL when md4c refuses,
 * or ERR_TOOBIG when out hit its max. */
int text_markdown_html(struct buf *out, struct str src) __attribute__((warn_unused_result));

/* Appends a plain-text excerpt of at most max_chars code points (cut at a word, with "…"). */
void text_excerpt(struct buf *out, struct str src, size_t max_chars);

/* A search query's words, stemmed once for all the snippets of one results page. Not shared
 * between threads (the stemmer keeps state). Free with text_query_free. */
struct text_query;
struct text_query *text_query_new(const char *query);
void text_query_free(struct text_query *q);
/* A search snippet of at most max_words words of text around the first word matching one of
 * the query's words (by stem), matched words between U+E000 and U+E001 (the page makes those
 * <mark>), "…" where text was cut. Plain text in, plain text out (the caller escapes). */
void text_snippet(struct buf *out, struct str text, struct text_query *q, size_t max_words);

/* ---- topic model (topic.c): is a submission about what this guild discusses? ----
 * Ownership: text_topic_new returns a model freed with text_topic_free. Build it with
 * text_topic_add, then score from any number of threads (scoring only reads). */
struct text_topic;
struct text_topic *text_topic_new(void);
void text_topic_free(struct text_topic *m);
/* One training document: accepted by the guild (on_topic) or removed as off-topic. */
void text_topic_add(struct text_topic *m, struct str text, bool on_topic);
size_t text_topic_docs(const struct text_topic *m, bool on_topic);
/* 0..1: how much more the text's words look like the guild's than like off-topic posts
 * (0.5 = no evidence either way, or no model yet). */
double text_topic_score(const struct text_topic *m, struct str text);
/* Lowercased, stemmed words of text (stop words and 1-letter words dropped). */
void text_tokens(struct str text, void (*fn)(void *ctx, const char *word), void *ctx);

/* ---- form messages (formmsg.c) ----
 * A message's text with what differs between copies of one template taken out: URLs,
 * @handles, e-mail addresses, numbers, and the words of names (the recipient's name and
 * handle), lowercased, words separated by one space. Appended to out. */
void text_form_normalise(struct buf *out, const char *body, const char *const *names,
                         size_t nnames);
/* 0..1: the share of adjacent word pairs two normalised texts have in common (Jaccard). */
double text_form_similarity(const char *a, const char *b);
#define TEXT_FORM_SIMILAR 0.6 /* at or above: copies of one template */

/* ---- mentions (mention.c) ----
 * The next @handle in s at or after from: '@' not inside a word, an address or a path, then a
 * letter and letters, digits, '_' or '-', 2 to TEXT_HANDLE_MAX of them. OUT: *at (the '@')
 * and *len (with the '@'). */
#define TEXT_HANDLE_MAX 24
bool text_mention_next(struct str s, size_t from, size_t *at, size_t *len);

#endif
