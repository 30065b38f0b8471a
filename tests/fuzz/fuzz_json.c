/* Fuzz target: JSON in and out. Invariants: whatever jansson accepts as a request body, the
 * JSON writer re-emits as JSON that parses to an equal value; any bytes given to the JSON
 * string escaper, and to the HTML escaper, come out safe. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/api/api_int.h"
#include "../../src/core/esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf b;
    buf_init(&b, 0);
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    if (in != NULL) {
        struct json_w w;
        json_w_init(&w, &b);
        api_emit_json(&w, in);
        json_t *out = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
        if (out == NULL || !json_equal(in, out)) { /* reals round-trip exactly */
            abort();
        }
        json_decref(out);
        json_decref(in);
    }
    buf_reset(&b);
    esc_json_string(&b, (struct str){(const char *)data, size});
    json_t *s = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (s == NULL || !json_is_string(s) || strpbrk(b.data, "<>&") != NULL) {
        abort();
    }
    json_decref(s);
    buf_reset(&b);
    esc_html_text(&b, (struct str){(const char *)data, size});
    if (strpbrk(b.data ? b.data : "", "<>\"'") != NULL) {
        abort();
    }
    buf_fini(&b);
    return 0;
}
