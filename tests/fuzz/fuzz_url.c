/* Fuzz target: URL canonicalisation. Invariants: a canonical URL is http(s), has no bytes a
 * browser would need to encode, and canonicalising it again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/arena.h"
#include "../../src/core/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    char *in = arena_strndup(&a, (const char *)data, size); /* stops at an embedded NUL */
    char *canon, *host, *again, *host2, *dom;
    if (url_canonicalize(&a, in, &canon, &host) == 0) {
        if (strncmp(canon, "http://", 7) != 0 && strncmp(canon, "https://", 8) != 0) {
            abort();
        }
        for (const char *p = canon; *p; p++) {
            if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '"' || *p == '<') {
                abort();
            }
        }
        if (url_canonicalize(&a, canon, &again, &host2) != 0 || strcmp(again, canon) != 0 ||
            strcmp(host, host2) != 0) {
            abort(); /* not idempotent */
        }
        (void)url_domain_matches(host, host);
    }
    (void)url_normalize_domain(&a, in, &dom);
    arena_fini(&a);
    return 0;
}
