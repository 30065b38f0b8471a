/* Feeds: pure parsing, no I/O (fetching lives in src/fetch). This first part is the safe XML
 * reader every feed format goes through; the RSS/Atom/JSON Feed parser and the HTML
 * sanitiser build on it (issue 7).
 * Ownership: the returned document is the caller's; free it with feed_xml_free. */
#ifndef GUILD_FEED_FEED_H
#define GUILD_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>

struct feed_xml;

/* Parses XML with network access, DTD loading and entity substitution off. Refuses (returns
 * ERR_DENIED with *refused set) any document that declares entities or names an external
 * DTD: entity expansion ("billion laughs") and external entities (XXE) never run. Ill-formed
 * XML is recovered where possible: *bozo is set and msg (caller storage) says what was wrong.
 * Returns 0, ERR_DENIED, ERR_INVAL (not XML at all) or ERR_TOOBIG (over 16 MiB). */
int feed_xml_read(const char *data, size_t n, struct feed_xml **out, bool *bozo, char *msg,
                  size_t msgsz, const char **refused) __attribute__((warn_unused_result));
/* The name of the root element ("rss", "feed", "RDF"...), borrowed from doc. */
const char *feed_xml_root_name(const struct feed_xml *doc);
/* The text of the first element named name under the root's first child level
 * (e.g. channel/title): heap string (free it) or NULL. */
char *feed_xml_first_text(const struct feed_xml *doc, const char *parent, const char *name);
void feed_xml_free(struct feed_xml *doc);

#endif
