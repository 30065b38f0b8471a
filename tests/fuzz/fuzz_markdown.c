/* Fuzz target: Markdown rendering. Invariant: the output holds only our own tags and
 * attributes; links only http, https or mailto, or a mention's /u/HANDLE (handle characters
 * only) with class="mention"; never a raw tag, script or event handler. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {"p", "em", "strong", "code", "pre", "a", "span", "ul", "ol",
                                   "li", "blockquote", "hr", "br", "h4", "h5", "h6", NULL};

static bool allowed_tag(const char *p, size_t n)
{
    for (size_t i = 0; tags[i]; i++) {
        if (strlen(tags[i]) == n && strncmp(tags[i], p, n) == 0) {
            return true;
        }
    }
    return false;
}

/* Checks one tag starting after '<'; returns the position after '>'. */
static const char *check_tag(const char *p)
{
    if (*p == '/') {
        p++;
    }
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (!allowed_tag(p, n)) {
        abort();
    }
    p += n;
    while (*p == ' ') {
        p++;
        size_t an = strcspn(p, "=>");
        bool href = an == 4 && strncmp(p, "href", 4) == 0;
        bool cls = an == 5 && strncmp(p, "class", 5) == 0;
        if (!href && !cls && !(an == 3 && strncmp(p, "rel", 3) == 0) &&
            !(an == 5 && strncmp(p, "start", 5) == 0)) {
            abort(); /* no other attribute, so no event handler */
        }
        p += an;
        if (*p != '=' || p[1] != '"') {
            abort();
        }
        p += 2;
        if (cls && strncmp(p, "mention\"", 8) != 0) {
            abort();
        }
        bool profile = href && strncmp(p, "/u/", 3) == 0; /* a mention: handle characters only */
        if (profile && p[3 + strspn(p + 3, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_-")] != '"') {
            abort();
        }
        if (href && !profile && strncasecmp(p, "http://", 7) != 0 &&
            strncasecmp(p, "https://", 8) != 0 && strncasecmp(p, "mailto:", 7) != 0) {
            abort();
        }
        const char *end = strchr(p, '"');
        if (end == NULL || memchr(p, '<', (size_t)(end - p)) || memchr(p, '>', (size_t)(end - p))) {
            abort();
        }
        p = end + 1;
    }
    if (*p != '>') {
        abort();
    }
    return p + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    if (text_markdown_html(&b, (struct str){(const char *)data, size}) == 0) {
        const char *p = buf_cstr(&b);
        while ((p = strchr(p, '<')) != NULL) {
            p = check_tag(p + 1);
        }
    }
    buf_reset(&b);
    text_excerpt(&b, (struct str){(const char *)data, size}, 40);
    if (strchr(buf_cstr(&b), '<') != NULL) {
        abort();
    }
    buf_fini(&b);
    return 0;
}
