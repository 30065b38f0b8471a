/* Feeds: pure parsing, no I/O (fetching lives in src/fetch). RSS 0.9x/1.0/2.0, Atom 0.3/1.0
 * and JSON Feed 1.0/1.1 into one shape (the Universal Feed Parser's, so the public corpus can
 * measure it); HTML in titles, summaries and contents sanitised to an allow-list; dates as
 * RFC 3339 UTC; any declared or sniffed encoding converted to UTF-8. Everything read goes
 * through the safe XML reader: no network, no DTD loading, no entity declarations.
 * Ownership: a struct feed_doc and every string in it live in the arena given to
 * feed_parse; the caller frees them with arena_fini. feed_xml documents are the caller's and
 * are freed with feed_xml_free. */
#ifndef GUILD_FEED_FEED_H
#define GUILD_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"

/* A text construct: value is sanitised HTML when type is "text/html", plain text otherwise. */
struct feed_text {
    const char *value, *type, *language, *base;
};

struct feed_link {
    const char *href, *rel, *type, *title, *length;
};

/* The feed's own fields and each entry's (summary is the feed's subtitle). */
struct feed_item {
    struct feed_text title, summary, rights;
    const char *id, *link, *author, *author_name, *author_email, *author_href;
    const char *published, *updated; /* RFC 3339 UTC or NULL */
    int64_t published_at, updated_at; /* seconds since the epoch, 0 when absent */
    const char *language, *image;
    const char *image_title, *image_link, *image_description; /* RSS <image>, NULL when absent */
    int ttl_minutes; /* RSS <ttl>, 0 when absent */
    struct feed_link *links;
    size_t nlinks, caplinks;
    struct feed_text *content;
    size_t ncontent, capcontent;
    const char **tags;
    size_t ntags, captags;
};

struct feed_doc {
    struct arena *a;
    const char *version; /* "rss20", "rss10", "rss091u", "atom10", "atom03", "json1"... "" */
    bool bozo;
    const char *bozo_message;
    const char *encoding;
    struct feed_item feed;
    struct feed_item *entries;
    size_t nentries, capentries;
};

/* The HTTP headers a document came with (each may be NULL). Content-Type guides the
 * encoding rules; Content-Language is the language of text that declares none. */
struct feed_headers {
    const char *content_type, *content_language;
};

/* Parses one document. h (may be NULL) holds its HTTP headers; base (may be NULL) is the
 * document's URL for relative links. Returns 0 with *out filled (possibly bozo: an empty
 * document is an empty bozo feed), or ERR_DENIED / ERR_TOOBIG / ERR_INVAL with *refused
 * saying why. */
int feed_parse(struct arena *a, const char *data, size_t n, const struct feed_headers *h,
               const char *base, struct feed_doc **out, const char **refused)
    __attribute__((warn_unused_result));

/* The interface JSON of `guild feed parse` (docs/feeds.md). */
void feed_doc_json(struct buf *b, const struct feed_doc *d);

/* Sanitises an HTML fragment into out: allow-listed elements and attributes only, relative
 * URLs resolved against base (may be NULL), balanced tags. */
void feed_sanitize_html(struct arena *a, struct buf *out, const char *html, const char *base);
/* Plain text of an HTML fragment (tags dropped, references decoded, spaces collapsed). */
void feed_plain_text(struct buf *out, const char *html);

/* Dates in RFC 822, RFC 3339/W3CDTF and their common broken forms; false when unreadable. */
bool feed_parse_date(const char *s, int64_t *out);
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void feed_format_date(int64_t t, char *out, size_t outsz);

/* Feed discovery: the first <link rel="alternate"> with a feed type in an HTML page,
 * resolved against base; NULL when none. In a. */
const char *feed_discover(struct arena *a, const char *html, size_t n, const char *base);

/* OPML in UTF-8 text (any encoding declaration is ignored): the outlines that name a feed
 * (xmlUrl), folders flattened, at most 2,000. Strings in
 * a (html_url and title may be NULL). ERR_INVAL / ERR_DENIED with *why when it is not OPML. */
struct feed_outline {
    const char *xml_url, *html_url, *title;
};
int feed_opml_parse(struct arena *a, const char *data, size_t n, struct feed_outline **out,
                    size_t *count, const char **why) __attribute__((warn_unused_result));

/* The safe XML reader. Parses XML with network access, DTD loading and entity substitution
 * off. Refuses (ERR_DENIED with *refused set) any document that declares entities: entity
 * expansion ("billion laughs") and external entities (XXE) never run. Ill-formed XML is
 * recovered where possible: *bozo is set and msg (caller storage) says what was wrong.
 * Returns 0, ERR_DENIED, ERR_INVAL (not XML at all) or ERR_TOOBIG (over 16 MiB). */
struct feed_xml;
int feed_xml_read(const char *data, size_t n, struct feed_xml **out, bool *bozo, char *msg,
                  size_t msgsz, const char **refused) __attribute__((warn_unused_result));
const char *feed_xml_root_name(const struct feed_xml *doc);
char *feed_xml_first_text(const struct feed_xml *doc, const char *parent, const char *name);
void feed_xml_free(struct feed_xml *doc);

#endif
