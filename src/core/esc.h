/* The one escaping path for data written into HTML, URLs and JSON. Nothing else in the tree
 * writes entities or JSON escapes. All functions append to b (sticky error as usual). */
#ifndef GUILD_CORE_ESC_H
#define GUILD_CORE_ESC_H

#include "buf.h"
#include "util.h"

/* Text content: escapes & < > " ' (all five, so the same output is safe in attributes);
 * control bytes other than tab, CR and LF become U+FFFD. */
void esc_html_text(struct buf *b, struct str s);
/* Double-quoted attribute value (the quotes are the caller's, written with HTML_LIT). */
void esc_html_attr(struct buf *b, struct str s);
/* Percent-encodes everything but unreserved characters (RFC 3986). */
void esc_url_component(struct buf *b, struct str s);
/* A JSON string with its quotes. Control bytes, < > &, U+2028/9 escaped; invalid UTF-8
 * bytes become U+FFFD, so the output is always valid JSON safe inside <script>. */
void esc_json_string(struct buf *b, struct str s);
/* Atom/XML text: same entity set as HTML text. */
#define esc_xml_text esc_html_text

#endif
