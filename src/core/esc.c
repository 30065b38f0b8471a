#include "esc.h"

#include <stdint.h>

static const char *html_entity(unsigned char c)
{
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return "\xEF\xBF\xBD"; /* control bytes never reach a page (U+FFFD instead) */
    }
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

void esc_html_text(struct buf *b, struct str s)
{
    size_t run = 0;
    for (size_t i = 0; i < s.n; i++) {
        const char *e = html_entity((unsigned char)s.p[i]);
        if (e != NULL) {
            buf_append(b, s.p + run, i - run);
            buf_appendz(b, e);
            run = i + 1;
        }
    }
    buf_append(b, s.p + run, s.n - run);
}

void esc_html_attr(struct buf *b, struct str s)
{
    esc_html_text(b, s);
}

static bool url_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void esc_url_component(struct buf *b, struct str s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (url_unreserved(c)) {
            buf_appendc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

/* Length of a valid UTF-8 sequence at p (max n bytes), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t v, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if ((p[0] & 0xe0) == 0xc0) {
        len = 2, v = p[0] & 0x1f, min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        len = 3, v = p[0] & 0x0f, min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        len = 4, v = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            return 0;
        }
        v = (v << 6) | (p[k] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        return 0;
    }
    *cp = v;
    return len;
}

void esc_json_string(struct buf *b, struct str s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s.p;
    buf_appendc(b, '"');
    size_t i = 0;
    while (i < s.n) {
        size_t run = i; /* plain printable ASCII goes out in one copy */
        while (run < s.n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\' &&
               p[run] != '<' && p[run] != '>' && p[run] != '&') {
            run++;
        }
        if (run > i) {
            buf_append(b, p + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_seq(p + i, s.n - i, &cp);
        if (len == 0) {
            buf_appendz(b, "\\ufffd");
            i++;
            continue;
        }
        if (len > 1) {
            if (cp == 0x2028 || cp == 0x2029) {
                buf_appendz(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            } else {
                buf_append(b, p + i, len);
            }
            i += len;
            continue;
        }
        unsigned char c = p[i++];
        switch (c) {
        case '"':
            buf_appendz(b, "\\\"");
            break;
        case '\\':
            buf_appendz(b, "\\\\");
            break;
        case '\n':
            buf_appendz(b, "\\n");
            break;
        case '\r':
            buf_appendz(b, "\\r");
            break;
        case '\t':
            buf_appendz(b, "\\t");
            break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_append(b, e, 6);
            } else {
                buf_appendc(b, (char)c);
            }
        }
    }
    buf_appendc(b, '"');
}
