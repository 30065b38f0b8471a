/* Fuzz target: the HTML sanitiser and the plain-text extractor. Invariant: the output never
 * holds a script-capable element, an event-handler attribute, a javascript:/vbscript: URL or
 * an unbalanced tag; plain text never holds a '<' that starts a tag. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/feed/feed.h"
#include "sanitize_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = malloc(size + 1);
    memcpy(html, data, size);
    html[size] = '\0';
    struct arena a;
    arena_init(&a);
    struct buf b;
    buf_init(&b, 0);
    feed_sanitize_html(&a, &b, html, size % 2 ? "http://example.com/a/" : NULL);
    sanitize_check(buf_cstr(&b));
    buf_reset(&b);
    feed_plain_text(&b, html);
    arena_fini(&a);
    buf_fini(&b);
    free(html);
    return 0;
}
