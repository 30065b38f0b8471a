/* Inline CSS for the feed sanitiser: only allow-listed properties with plain values survive,
 * and nothing that can load or run code (url(), expression(), escapes). Pure. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sanitize_int.h"

static const char *const css_properties[] = {
    "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color",
    "border-left-color", "border-right-color", "border-top-color", "clear", "color", "cursor",
    "direction", "display", "elevation", "float", "font", "font-family", "font-size",
    "font-style", "font-variant", "font-weight", "height", "letter-spacing", "line-height",
    "overflow", "pause", "pause-after", "pause-before", "pitch", "pitch-range", "richness",
    "speak", "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress",
    "text-align", "text-decoration", "text-indent", "unicode-bidi", "vertical-align",
    "voice-family", "volume", "white-space", "width"};

/* Keywords allowed in the background/border/margin/padding shorthands. */
static const char *const css_keywords[] = {
    "auto", "aqua", "black", "block", "blue", "bold", "both", "bottom", "brown", "center",
    "collapse", "dashed", "dotted", "fuchsia", "gray", "green", "!important", "italic", "left",
    "lime", "maroon", "medium", "none", "navy", "normal", "nowrap", "olive", "pointer",
    "purple", "red", "right", "solid", "silver", "teal", "top", "transparent", "underline",
    "white", "yellow"};

/* A CSS value made only of allowed keywords and plain measurements/colours. */
static bool css_value_ok(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && isspace((unsigned char)v[i])) {
            i++;
        }
        size_t s = i;
        while (i < n && !isspace((unsigned char)v[i])) {
            i++;
        }
        if (i == s) {
            break;
        }
        const char *w = v + s;
        size_t wl = i - s;
        if (IN_LIST(w, wl, css_keywords)) {
            continue;
        }
        if (w[0] == '#') {
            bool hex = wl > 1 && wl <= 7;
            for (size_t c = 1; c < wl; c++) {
                hex &= isxdigit((unsigned char)w[c]) != 0;
            }
            if (hex) {
                continue;
            }
            return false;
        }
        if (wl > 4 && strncasecmp(w, "rgb(", 4) == 0) {
            /* rgb(0, 0, 0) was split on spaces: accept digits, commas, %, ) through the end */
            size_t c = 4;
            while (i < n && v[i - 1] != ')') {
                i++;
            }
            for (c = s + 4; c < i; c++) {
                if (!isdigit((unsigned char)v[c]) && v[c] != ',' && v[c] != '%' && v[c] != ')' &&
                    v[c] != ' ') {
                    return false;
                }
            }
            continue;
        }
        size_t c = 0, digits = 0;
        while (c < wl && (isdigit((unsigned char)w[c]) || w[c] == '.')) {
            digits += isdigit((unsigned char)w[c]) != 0;
            c++;
        }
        static const char *const units[] = {"", "cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%"};
        if (c == 0 || digits > 4 || !feed_in_list(w + c, wl - c, units, 10)) {
            return false;
        }
    }
    return true;
}

static void sanitize_declarations(struct buf *out, const char *style);

/* Keeps "prop: value;" pairs whose property is allowed (shorthands only with plain values).
 * A style with anything that could load or run code (url(, expression, \) is dropped whole. */
void feed_sanitize_style(struct buf *out, const char *in)
{
    /* url(...) never survives: the rest of the declaration list is judged without it */
    struct buf nourl;
    buf_init(&nourl, 0);
    for (const char *p = in; *p;) {
        if (strncasecmp(p, "url", 3) == 0 && p[3 + strspn(p + 3, " \t")] == '(') {
            const char *close = strchr(p, ')');
            p = close ? close + 1 : p + strlen(p);
            buf_appendc(&nourl, ' ');
            continue;
        }
        buf_appendc(&nourl, *p++);
    }
    sanitize_declarations(out, buf_cstr(&nourl));
    buf_fini(&nourl);
}

static void sanitize_declarations(struct buf *out, const char *style)
{
    for (const char *p = style; *p; p++) {
        if (!(isalnum((unsigned char)*p) || strchr(":,;#%.!'\"()- \t\r\n", *p))) {
            return;
        }
    }
    if (strcasestr(style, "expression")) {
        return;
    }
    const char *p = style;
    while (*p) {
        while (*p && (isspace((unsigned char)*p) || *p == ';')) {
            p++;
        }
        const char *ps = p;
        while (*p && *p != ':' && *p != ';' && !isspace((unsigned char)*p)) {
            p++;
        }
        size_t plen = (size_t)(p - ps);
        while (*p && isspace((unsigned char)*p)) {
            p++;
        }
        if (*p != ':') {
            while (*p && *p != ';') {
                p++;
            }
            continue;
        }
        p++;
        while (*p && isspace((unsigned char)*p)) {
            p++;
        }
        const char *vs = p;
        while (*p && *p != ';') {
            p++;
        }
        size_t vlen = (size_t)(p - vs);
        if (plen == 0 || vlen == 0) {
            continue;
        }
        bool keep = IN_LIST(ps, plen, css_properties);
        if (!keep) {
            static const char *const shorthands[] = {"background", "border", "margin", "padding"};
            size_t head = strcspn(ps, "-:; \t");
            keep = head <= plen && feed_in_list(ps, head, shorthands, 4) && css_value_ok(vs, vlen);
        }
        if (keep) {
            if (out->len > 0) {
                buf_appendc(out, ' ');
            }
            buf_append(out, ps, plen);
            buf_appendz(out, ": ");
            buf_append(out, vs, vlen);
            buf_appendc(out, ';');
        }
    }
}

