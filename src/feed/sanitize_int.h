/* Internals shared by the feed sanitiser's files (sanitize_tokens.c tokenises, sanitize.c
 * decides and emits, sanitize_css.c judges inline styles, sanitize_foreign.c holds SVG and
 * MathML). */
#ifndef GUILD_FEED_SANITIZE_INT_H
#define GUILD_FEED_SANITIZE_INT_H

#include "feed_int.h"

/* s[0..n) is one of list's count entries, compared without regard to case. */
bool feed_in_list(const char *s, size_t n, const char *const *list, size_t count);
#define IN_LIST(s, n, list) feed_in_list((s), (n), (list), sizeof(list) / sizeof((list)[0]))

#define SAN_MAX_ATTRS 32

/* A tag as the tokenizer read it, in the caller's storage: names lowercased; val decoded in
 * the arena given to feed_parse_tag; raw points into the text parsed (valid while it is). */
struct attr {
    char name[40];
    const char *val; /* decoded, arena */
    const char *raw; /* as written, into the input; raw_len bytes */
    size_t raw_len;
};

struct tag {
    char name[40];
    bool end, self_closing;
    struct attr attrs[SAN_MAX_ATTRS];
    int nattrs;
};

/* Decodes character references in s[0..n) into b (attribute values and plain text). */
void feed_decode_entities(struct buf *b, const char *s, size_t n);
/* Parses a tag starting at s[0] == '<' into t (attribute values in a; raw ones point into s).
 * Returns its length, or 0 when this '<' is text. */
size_t feed_parse_tag(struct arena *a, const char *s, size_t n, struct tag *t);
/* Skips a comment, declaration or processing instruction at s ("<!", "<?"). CDATA content is
 * handed back as text through *cdata. Returns the length consumed, 0 when it is text. */
size_t feed_skip_markup_decl(const char *s, size_t n, const char **cdata, size_t *cdlen);

/* Appends the allowed declarations of a style attribute's value to out (nothing when none
 * survive, or when it holds anything that could load or run code). */
void feed_sanitize_style(struct buf *out, const char *in);

/* Inline SVG and MathML ("foreign" content, HTML's name for it). */
enum foreign { FOREIGN_NONE, FOREIGN_SVG, FOREIGN_MATH };
/* The element's name as it must be written (SVG is case-sensitive: "linearGradient") when it
 * is allowed in context ctx (<svg> and <math> themselves anywhere); NULL when not. Static. */
const char *foreign_element(enum foreign ctx, const char *name);
/* The context an allowed element opens: its own for <svg>/<math>, else ctx. */
enum foreign foreign_context(enum foreign ctx, const char *canonical);
/* An attribute's name as written when it is allowed on an element of context ctx, else NULL. */
const char *foreign_attr(enum foreign ctx, const char *name);
/* False for a value that points outside the document (fill="url(http://...)"). */
bool foreign_value_ok(const char *name, const char *value);

#endif
