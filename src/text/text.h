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

#endif
