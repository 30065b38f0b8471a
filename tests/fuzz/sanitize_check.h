/* The safety check the sanitiser's output must pass (shared by the feed fuzz targets):
 * aborts on a script-capable element (SVG animation, <use> and <foreignObject> too), an on*
 * attribute, a javascript:/vbscript:/data: URL
 * outside img src, or tags that do not balance. */
#ifndef GUILD_FUZZ_SANITIZE_CHECK_H
#define GUILD_FUZZ_SANITIZE_CHECK_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static inline void sanitize_check(const char *s)
{
    static const char *const banned[] = {"script", "style", "iframe", "object", "embed",
                                         "applet", "form", "frame", "meta", "link", "base",
                                         /* SVG/MathML that can run or fetch something */
                                         "animate", "set", "use", "foreignObject", "image",
                                         "annotation-xml"};
    int depth = 0;
    for (const char *p = s; (p = strchr(p, '<')) != NULL; p++) {
        const char *end = strchr(p, '>');
        if (end == NULL) {
            abort(); /* a '<' in text is always escaped */
        }
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t nl = 0;
        while (isalnum((unsigned char)name[nl]) || name[nl] == '-') {
            nl++;
        }
        if (nl == 0) {
            abort();
        }
        for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++) {
            if (strlen(banned[i]) == nl && strncasecmp(name, banned[i], nl) == 0) {
                abort();
            }
        }
        bool self = end[-1] == '/';
        depth += closing ? -1 : self ? 0 : 1;
        if (depth < 0) {
            abort();
        }
        /* attributes: name="value" pairs written by the sanitiser itself */
        for (const char *q = name + nl; q < end; q++) {
            if (*q == ' ' && (q[1] == 'o' || q[1] == 'O') && (q[2] == 'n' || q[2] == 'N')) {
                abort();
            }
            if (*q == '"') {
                const char *close = strchr(q + 1, '"');
                if (close == NULL || close > end) {
                    abort();
                }
                const char *v = q + 1;
                while (v < close && isspace((unsigned char)*v)) {
                    v++;
                }
                if (!strncasecmp(v, "javascript:", 11) || !strncasecmp(v, "vbscript:", 9) ||
                    (!strncasecmp(v, "data:", 5) && strncasecmp(v, "data:image/", 11) != 0)) {
                    abort();
                }
                q = close;
            }
        }
        p = end;
    }
    if (depth != 0) {
        abort();
    }
}

#endif
