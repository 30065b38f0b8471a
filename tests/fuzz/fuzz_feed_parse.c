/* Fuzz target: the whole feed parser (encodings, XML recovery, RSS/Atom/JSON walk, the
 * sanitiser) on arbitrary bytes. Invariants: no crash or leak; every HTML value it returns
 * passes the sanitiser's own safety check; the interface JSON is produced. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/feed/feed.h"
#include "sanitize_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const struct feed_text *t)
{
    if (t->value != NULL && t->type != NULL && strstr(t->type, "html") != NULL) {
        sanitize_check(t->value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = NULL;
    const char *refused = NULL;
    struct feed_headers h = {size > 0 && data[0] % 3 == 0 ? "text/xml" : NULL,
                             size > 0 && data[0] % 5 == 0 ? "en" : NULL};
    if (feed_parse(&a, (const char *)data, size, &h, "http://example.com/feed/", &d,
                   &refused) == 0) {
        check_text(&d->feed.title);
        check_text(&d->feed.summary);
        for (size_t i = 0; i < d->nentries; i++) {
            check_text(&d->entries[i].title);
            check_text(&d->entries[i].summary);
            for (size_t k = 0; k < d->entries[i].ncontent; k++) {
                check_text(&d->entries[i].content[k]);
            }
        }
        struct buf b;
        buf_init(&b, 0);
        feed_doc_json(&b, d);
        if (b.len == 0) {
            abort();
        }
        buf_fini(&b);
    } else if (refused == NULL) {
        abort(); /* a refusal always says why */
    }
    arena_fini(&a);
    return 0;
}
