/* Fuzz target: the safe XML reader. Invariant: a document that declares entities is never
 * accepted; anything accepted has a root element. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/feed/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool declares_entity(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 8 <= n; i++) {
        if (memcmp(d + i, "<!ENTITY", 8) == 0) {
            return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct feed_xml *doc = NULL;
    bool bozo;
    char msg[200];
    const char *refused;
    int rc = feed_xml_read((const char *)data, size, &doc, &bozo, msg, sizeof(msg), &refused);
    if (rc == 0) {
        if (declares_entity(data, size) || feed_xml_root_name(doc)[0] == '\0') {
            abort();
        }
        free(feed_xml_first_text(doc, "channel", "title"));
        feed_xml_free(doc);
    } else if (doc != NULL) {
        abort();
    }
    return 0;
}
