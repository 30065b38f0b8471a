/* Fuzz target: urlencoded and multipart form parsing and route matching. Invariants: every parsed name and
 * value is valid text; a matched route captures non-empty parameters without '/'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "../../src/http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct http_field *f;
    size_t n;
    if (http_form_parse(&a, (const char *)data, size, &f, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (!utf8_valid_text(f[i].name, strlen(f[i].name)) ||
                !utf8_valid_text(f[i].value, strlen(f[i].value))) {
                abort();
            }
        }
    }
    /* the same bytes as a multipart body, with a boundary most inputs can reach */
    if (http_multipart_parse(&a, "multipart/form-data; boundary=b", (const char *)data, size, &f,
                             &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (!utf8_valid_text(f[i].name, strlen(f[i].name)) ||
                !utf8_valid_text(f[i].value, strlen(f[i].value))) {
                abort();
            }
        }
    }
    static const char *const patterns[] = {"/", "/i/:id", "/i/:id/vote", "/u/:handle",
                                           "/api/v1/items/:id/comments", "/join/:code"};
    char *path = arena_strndup(&a, (const char *)data, size);
    for (size_t k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
        const char *params[HTTP_MAX_PARAMS] = {0};
        int64_t id = 0;
        if (http_route_match(&a, patterns[k], path, params, &id)) {
            if (strstr(patterns[k], ":id") != NULL && id <= 0) {
                abort(); /* a matched :id is always a positive integer */
            }
            for (int j = 0; j < HTTP_MAX_PARAMS && params[j]; j++) {
                if (params[j][0] == '\0' || strchr(params[j], '/')) {
                    abort();
                }
            }
        }
    }
    arena_fini(&a);
    return 0;
}
