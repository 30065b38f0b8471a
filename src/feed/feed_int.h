/* Internals shared by the feed parser's files (not part of the public interface). */
#ifndef GUILD_FEED_FEED_INT_H
#define GUILD_FEED_FEED_INT_H

#include <libxml/tree.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "feed.h"

/* The libxml2 document behind a struct feed_xml. */
xmlDocPtr feed_xml_doc(const struct feed_xml *x);

/* feed_xml_read with the document's encoding given (NULL: from its declaration). */
int feed_xml_read_enc(const char *data, size_t n, const char *encoding, struct feed_xml **out,
                      bool *bozo, char *msg, size_t msgsz, const char **refused);

/* Length of a well-formed character reference at s ("&name;", "&#N;", "&#xH;", at most 8
 * digits), else 0: what the XML repair pass leaves alone and the sanitiser keeps as written. */
size_t feed_reference_len(const char *s, size_t n);
/* Appends code point cp as UTF-8 (invalid ones as U+FFFD). */
void feed_utf8_put(struct buf *b, unsigned long cp);
/* Windows-1252's meaning of a C1 control code point (0x80-0x9F), else cp unchanged. */
unsigned long feed_c1_to_cp1252(unsigned long cp);
/* s with C1 controls replaced by their Windows-1252 characters (s itself when none). In a. */
const char *feed_fix_c1(struct arena *a, const char *s);
/* s repaired when it is UTF-8 read once as ISO-8859-1 and encoded again ("â€¦" for "…"),
 * else s itself. In a. */
const char *feed_undouble_utf8(struct arena *a, const char *s);
/* ref resolved against base (RFC 3986); ref itself when base is NULL or it fails. In a. */
const char *feed_resolve_url(struct arena *a, const char *ref, const char *base);

/* Encoding: converts data to UTF-8 following RFC 3023 and the XML declaration, with the
 * HTTP Content-Type (may be NULL). *enc gets the name reported ("utf-8", "iso-8859-1"...).
 * Returns the UTF-8 copy in a (*outn its length); sets *bozo/msg when the declared encoding
 * was wrong and a fallback was used. Named HTML entities that XML does not define
 * (&hearts;) are rewritten as numeric references. */
char *feed_to_utf8(struct arena *a, const char *data, size_t n, const char *content_type,
                   const char **enc, size_t *outn, bool *bozo, const char **msg);

/* s[0..*n) (UTF-8, arena or writable) with its DOCTYPE's internal subset removed and its
 * plain-text general entities inlined (doctype.c says which survive); s itself when it has
 * no subset. *n is updated; *bozo and *msg set when the expansion cap was reached. In a. */
char *feed_inline_entities(struct arena *a, char *s, size_t *n, bool *bozo, const char **msg);

/* Parses the XML tree of an RSS/RDF/Atom document into d (feed_parse does the reading);
 * language (may be NULL) is the HTTP Content-Language, the default for text without one. */
void feed_walk(struct feed_doc *d, xmlDocPtr doc, const char *base, const char *language);
/* Parses a JSON Feed; ERR_INVAL when it is not one. */
int feed_parse_json(struct feed_doc *d, const char *data, size_t n, const char *base);

/* Growing the arrays of a feed_doc. */
struct feed_item *feed_add_entry(struct feed_doc *d);
struct feed_link *feed_add_link(struct arena *a, struct feed_item *it);
void feed_add_tag(struct arena *a, struct feed_item *it, const char *term);
struct feed_text *feed_add_content(struct arena *a, struct feed_item *it);

/* Text that looks like HTML (known tags or character references): RSS's untyped fields. */
bool feed_looks_like_html(const char *s);
/* Sets t from raw text of the given MIME type: HTML is sanitised (relative URLs against
 * base), plain text kept as is. */
void feed_set_text(struct arena *a, struct feed_text *t, const char *raw, const char *type,
                   const char *base, const char *lang);

#endif
