/* The HTML sanitiser for feed text: a small tokenizer that lets through only allow-listed
 * elements and attributes, resolves relative URLs, refuses script-capable URL schemes, keeps a
 * safe subset of inline CSS, and always emits balanced markup (an unclosed tag in one entry
 * must not swallow the page around it). Also the plain-text extractor for search and
 * snippets. Pure: no I/O. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/esc.h"
#include "sanitize_int.h"

#define SAN_MAX_DEPTH 64

/* Elements shown with their tags. Form controls are deliberately absent: a feed must not be
 * able to put a login form inside a Guild page. */
static const char *const allowed_elements[] = {
    "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo",
    "big", "blockquote", "br", "canvas", "caption", "center", "cite", "code", "col",
    "colgroup", "datagrid", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt",
    "em", "event-source", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "label", "legend", "li", "m", "map",
    "mark", "menu", "meter", "multicol", "nav", "nobr", "noscript", "ol", "output", "p", "pre",
    "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "sound", "source",
    "spacer", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video", "wbr", "fieldset"};

/* Written as <x />, never closed. */
static const char *const void_elements[] = {"area", "br", "col", "hr", "img", "keygen", "source",
                                            "spacer", "wbr", "input", "embed", "param", "base",
                                            "link", "meta", "frame", "basefont", "track"};

/* Dropped with everything inside them. */
static const char *const dropped_with_content[] = {"script", "style", "applet", "xmp"};

static const char *const allowed_attrs[] = {
    "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete",
    "autofocus", "autoplay", "axis", "background", "balance", "bgcolor", "bgproperties",
    "border", "bordercolor", "bordercolordark", "bordercolorlight", "bottompadding",
    "cellpadding", "cellspacing", "ch", "char", "charoff", "charset", "checked", "choff",
    "cite", "class", "clear", "color", "cols", "colspan", "compact", "contenteditable",
    "controls", "coords", "data", "datafld", "datapagesize", "datasrc", "datetime", "default",
    "delay", "dir", "disabled", "draggable", "dynsrc", "end", "face", "for", "form", "frame",
    "galleryimg", "gutter", "headers", "height", "hidden", "hidefocus", "high", "href",
    "hreflang", "hspace", "icon", "id", "inputmode", "ismap", "keytype", "label", "lang",
    "leftspacing", "list", "longdesc", "loop", "loopcount", "loopend", "loopstart", "low",
    "lowsrc", "max", "maxlength", "media", "method", "min", "multiple", "name", "nohref",
    "noshade", "nowrap", "open", "optimum", "pattern", "point-size", "poster", "pqg",
    "preload", "prompt", "radiogroup", "readonly", "rel", "repeat-max", "repeat-min",
    "replace", "required", "rev", "rightspacing", "rows", "rowspan", "rules", "scope",
    "selected", "shape", "size", "span", "src", "start", "step", "style", "summary", "suppress",
    "tabindex", "target", "template", "title", "toppadding", "type", "unselectable", "urn",
    "usemap", "valign", "value", "variable", "volume", "vrml", "vspace", "width", "wrap",
    "xml:lang"};

/* Attributes holding a URL: resolved against the base, script-capable schemes refused. */
static const char *const url_attrs[] = {"action", "background", "cite", "dynsrc", "href",
                                        "longdesc", "lowsrc", "poster", "src", "usemap"};

bool feed_in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(list[i]) == n && strncasecmp(list[i], s, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A URL safe to show: relative ones resolved; only http, https, mailto, ftp, and data:
 * images in img src. NULL when refused. */
static const char *safe_url(struct arena *a, const char *tag, const char *attr, const char *v,
                            const char *base)
{
    while (*v && isspace((unsigned char)*v)) {
        v++;
    }
    const char *resolved = feed_resolve_url(a, v, base);
    char scheme[16];
    size_t k = 0;
    for (const char *p = resolved; *p && *p != ':' && k < sizeof(scheme) - 1; p++) {
        if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.') {
            k = 0;
            break;
        }
        scheme[k++] = (char)tolower((unsigned char)*p);
    }
    scheme[k] = '\0';
    if (strchr(resolved, ':') == NULL || k == 0) {
        return resolved; /* still relative (no base): harmless */
    }
    if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
        strcmp(scheme, "mailto") == 0 || strcmp(scheme, "ftp") == 0) {
        return resolved;
    }
    if (strcmp(scheme, "data") == 0 && strcmp(tag, "img") == 0 && strcmp(attr, "src") == 0) {
        static const char *const images[] = {"data:image/png", "data:image/gif",
                                             "data:image/jpeg", "data:image/webp"};
        for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
            if (strncasecmp(resolved, images[i], strlen(images[i])) == 0) {
                return resolved;
            }
        }
    }
    return NULL;
}

/* The first characters of v, lower-cased, as a browser reads a URL's start: leading spaces
 * and control characters dropped, tabs and newlines dropped anywhere (every other character
 * kept); or, with every_control, every space and control character dropped (stricter for a
 * scheme that must never pass). */
static void url_head(const char *v, bool every_control, char *head, size_t size)
{
    size_t k = 0;
    for (const char *p = v; *p && k < size - 1; p++) {
        unsigned char c = (unsigned char)*p;
        bool drop = every_control || k == 0 ? c <= ' ' : c == '\t' || c == '\n' || c == '\r';
        if (!drop) {
            head[k++] = (char)tolower(c);
        }
    }
    head[k] = '\0';
}

/* A value that a browser could run as a URL: javascript:, vbscript:, or data: that is not an
 * image. Control characters inside "java\x01script:" are ignored (refused all the same); an
 * image is one only as the browser reads it ("data:imag\x1fe/png" is no image: the fuzzer
 * found it passing). */
static bool script_scheme(const char *v)
{
    char strict[16], browser[16];
    url_head(v, true, strict, sizeof(strict));
    url_head(v, false, browser, sizeof(browser));
    return !strncmp(strict, "javascript:", 11) || !strncmp(strict, "vbscript:", 9) ||
           (!strncmp(strict, "data:", 5) && strncmp(browser, "data:image/", 11) != 0);
}

/* The value of "N;" or "xH;" after "&#". */
static unsigned long numeric_ref_value(const char *p)
{
    bool hex = *p == 'x' || *p == 'X';
    return strtoul(p + hex, NULL, hex ? 16 : 10);
}

/* Text between tags, or an attribute's value as written: valid character references kept as
 * written (a C1 one as the Windows-1252 character it means, "&#X" as "&#x"), a stray & and
 * < escaped; in an attribute also " and >. */
static void emit_escaped(struct buf *out, const char *s, size_t n, bool in_attr)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&') {
            size_t e = feed_reference_len(s + i, n - i);
            unsigned long c1 = e && s[i + 1] == '#' ? numeric_ref_value(s + i + 2) : 0;
            if (c1 >= 0x80 && c1 <= 0x9F && feed_c1_to_cp1252(c1) != c1) {
                buf_appendf(out, "&#x%04lx;", feed_c1_to_cp1252(c1)); /* &#146; means U+2019 */
                i += e - 1;
            } else if (e && s[i + 1] == '#' && s[i + 2] == 'X') {
                buf_appendz(out, "&#x");
                buf_append(out, s + i + 3, e - 3);
                i += e - 1;
            } else if (e) {
                buf_append(out, s + i, e);
                i += e - 1;
            } else {
                buf_appendz(out, "&amp;");
            }
        } else if (s[i] == '<') {
            buf_appendz(out, "&lt;");
        } else if (in_attr && s[i] == '>') {
            buf_appendz(out, "&gt;");
        } else if (in_attr && s[i] == '"') {
            buf_appendz(out, "&quot;");
        } else {
            buf_appendc(out, s[i]);
        }
    }
}

/* The state of one sanitiser run: the open elements (as written, and the foreign context
 * inside each), the output and what relative URLs resolve against. */
struct san {
    struct arena *a;
    struct buf *out;
    const char *base;
    char stack[SAN_MAX_DEPTH][40];
    enum foreign inside[SAN_MAX_DEPTH];
    int depth;
};

struct out_attr {
    const char *name, *val, *raw; /* raw: as written (raw_len bytes), or NULL: write val */
    size_t raw_len;
};

static int out_attr_cmp(const void *x, const void *y)
{
    return strcasecmp(((const struct out_attr *)x)->name, ((const struct out_attr *)y)->name);
}

/* Whether an attribute's text as written means exactly what was decoded from it: every
 * reference in it is numeric or a name the decoder knows. An HTML5-only name (&lpar;, &Tab;)
 * was left undecoded, so the checks saw it as text; a browser would decode it. */
static bool raw_is_faithful(const char *raw, size_t n)
{
    for (const char *p = memchr(raw, '&', n); p != NULL;
         p = memchr(p + 1, '&', n - (size_t)(p + 1 - raw))) {
        size_t k = feed_reference_len(p, n - (size_t)(p - raw));
        if (k > 0 && p[1] != '#') {
            char name[32];
            if (k - 2 >= sizeof(name)) {
                return false;
            }
            memcpy(name, p + 1, k - 2);
            name[k - 2] = '\0';
            if (htmlEntityLookup((const xmlChar *)name) == NULL &&
                strcmp(name, "apos") != 0) {
                return false;
            }
        }
    }
    return true;
}

/* The value to write for an attribute that is allowed by name, or NULL when it is refused. */
static const char *attr_value(struct san *s, const char *tag, const char *name, const char *val,
                              enum foreign ctx)
{
    bool foreign = ctx != FOREIGN_NONE;
    if (script_scheme(val)) {
        return NULL; /* no attribute may carry a script URL, whatever it is for */
    }
    if (foreign && (strchr(val, '\\') != NULL || strchr(val, '&') != NULL)) {
        return NULL; /* CSS escapes (u\rl) and undecoded references could hide a url( */
    }
    if (ctx == FOREIGN_SVG && strcmp(name, "xlink:href") == 0 && strcmp(tag, "a") != 0 &&
        val[0] != '#') {
        return NULL; /* textPath, mpath...: references inside the drawing only */
    }
    if ((IN_LIST(name, strlen(name), url_attrs) || strcmp(name, "xlink:href") == 0) &&
        val[0] != '\0') {
        return safe_url(s->a, tag, name, val, s->base);
    }
    if (strcmp(name, "style") == 0) {
        struct buf css;
        buf_init(&css, 0);
        feed_sanitize_style(&css, val);
        const char *v = css.len ? arena_strdup(s->a, buf_cstr(&css)) : NULL;
        buf_fini(&css);
        return v;
    }
    return foreign && !foreign_value_ok(name, val) ? NULL : val;
}

/* Writes a start tag: its allowed attributes in name order, SVG/MathML namespaces declared
 * where their content starts (and xlink's where it is used). attr_ctx: the foreign context
 * the element's attributes belong to (FOREIGN_NONE: HTML). */
static void emit_start(struct san *s, struct tag *t, const char *name, enum foreign attr_ctx)
{
    struct out_attr kept[SAN_MAX_ATTRS + 2];
    int n = 0;
    bool xlink = false;
    for (int i = 0; i < t->nattrs; i++) {
        const struct attr *at = &t->attrs[i];
        const char *an = attr_ctx != FOREIGN_NONE ? foreign_attr(attr_ctx, at->name)
                         : IN_LIST(at->name, strlen(at->name), allowed_attrs) ? at->name
                                                                              : NULL;
        const char *v = an ? attr_value(s, name, an, at->val, attr_ctx) : NULL;
        if (v != NULL) {
            /* an unchanged HTML value is written as the author wrote it (references kept),
             * when that means the same; SVG/MathML values always as decoded */
            bool raw = v == at->val && attr_ctx == FOREIGN_NONE &&
                       raw_is_faithful(at->raw, at->raw_len);
            kept[n++] = (struct out_attr){an, v, raw ? at->raw : NULL, at->raw_len};
            xlink |= strncmp(an, "xlink:", 6) == 0;
        }
    }
    static const char svg_ns[] = "http://www.w3.org/2000/svg";
    static const char math_ns[] = "http://www.w3.org/1998/Math/MathML";
    if (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0) {
        kept[n++] = (struct out_attr){"xmlns", name[0] == 's' ? svg_ns : math_ns, NULL, 0};
    }
    if (xlink) {
        kept[n++] = (struct out_attr){"xmlns:xlink", "http://www.w3.org/1999/xlink", NULL, 0};
    }
    qsort(kept, (size_t)n, sizeof(kept[0]), out_attr_cmp);
    buf_appendc(s->out, '<');
    buf_appendz(s->out, name);
    for (int i = 0; i < n; i++) {
        buf_appendc(s->out, ' ');
        buf_appendz(s->out, kept[i].name);
        buf_appendz(s->out, "=\"");
        if (kept[i].raw != NULL) {
            emit_escaped(s->out, kept[i].raw, kept[i].raw_len, true);
        } else {
            esc_html_attr(s->out, str_z(kept[i].val));
        }
        buf_appendc(s->out, '"');
    }
    bool is_void = attr_ctx == FOREIGN_NONE && IN_LIST(name, strlen(name), void_elements);
    buf_appendz(s->out, is_void ? " />" : ">");
}

static void emit_end(struct san *s, const char *name)
{
    buf_appendz(s->out, "</");
    buf_appendz(s->out, name);
    buf_appendc(s->out, '>');
}

/* An end tag closes its element and every element opened inside it; one that matches nothing
 * open is dropped. */
static void close_element(struct san *s, const char *name)
{
    int d = s->depth - 1;
    while (d >= 0 && strcasecmp(s->stack[d], name) != 0) {
        d--;
    }
    while (d >= 0 && s->depth > d) {
        emit_end(s, s->stack[--s->depth]);
    }
}

/* A start tag: written when allowed in the current context (HTML, or SVG/MathML inside
 * <svg>/<math>), else dropped with its text kept. */
static void open_element(struct san *s, struct tag *t)
{
    enum foreign ctx = s->depth > 0 ? s->inside[s->depth - 1] : FOREIGN_NONE;
    const char *name = foreign_element(ctx, t->name);
    enum foreign inner = name ? foreign_context(ctx, name) : ctx;
    if (name == NULL && IN_LIST(t->name, strlen(t->name), allowed_elements)) {
        name = t->name;
    }
    if (name == NULL) {
        return; /* unknown or unsafe element: tag dropped, its text kept */
    }
    bool foreign = name != t->name;
    emit_start(s, t, name, foreign ? inner : FOREIGN_NONE);
    if (!foreign && IN_LIST(name, strlen(name), void_elements)) {
        return;
    }
    if (t->self_closing || s->depth == SAN_MAX_DEPTH) {
        emit_end(s, name);
        return;
    }
    snprintf(s->stack[s->depth], sizeof(s->stack[0]), "%s", name);
    s->inside[s->depth++] = inner;
}

void feed_sanitize_html(struct arena *a, struct buf *out, const char *html, const char *base)
{
    size_t n = strlen(html);
    struct san *s = arena_alloc(a, sizeof(*s));
    *s = (struct san){.a = a, .out = out, .base = base};
    char dropping[40] = ""; /* inside a dropped-with-content element */
    struct tag *t = arena_alloc(a, sizeof(*t));
    for (size_t i = 0; i < n;) {
        const char *lt = memchr(html + i, '<', n - i);
        size_t run = lt ? (size_t)(lt - html) - i : n - i;
        if (run > 0 && dropping[0] == '\0') {
            emit_escaped(out, html + i, run, false);
        }
        i += run;
        if (i >= n) {
            break;
        }
        const char *cd;
        size_t cdlen = 0, k = feed_skip_markup_decl(html + i, n - i, &cd, &cdlen);
        if (k > 0) {
            if (cd != NULL && dropping[0] == '\0') {
                esc_html_text(out, (struct str){cd, cdlen});
            }
            i += k;
            continue;
        }
        k = feed_parse_tag(a, html + i, n - i, t);
        if (k == 0) {
            if (dropping[0] == '\0') {
                buf_appendz(out, "&lt;");
            }
            i++;
            continue;
        }
        i += k;
        if (dropping[0] != '\0') {
            if (t->end && strcmp(t->name, dropping) == 0) {
                dropping[0] = '\0';
            }
            continue;
        }
        size_t nl = strlen(t->name);
        if (!t->end && IN_LIST(t->name, nl, dropped_with_content)) {
            if (!t->self_closing && !IN_LIST(t->name, nl, void_elements)) {
                memcpy(dropping, t->name, nl + 1);
            }
            continue;
        }
        if (t->end) {
            close_element(s, t->name);
        } else {
            open_element(s, t);
        }
    }
    while (s->depth > 0) {
        emit_end(s, s->stack[--s->depth]);
    }
}

void feed_plain_text(struct buf *out, const char *html)
{
    size_t n = strlen(html);
    char dropping[40] = "";
    struct tag t;
    struct arena scratch;
    arena_init(&scratch);
    bool space = true;
    struct buf raw;
    buf_init(&raw, 0);
    for (size_t i = 0; i < n;) {
        const char *lt = memchr(html + i, '<', n - i);
        size_t run = lt ? (size_t)(lt - html) - i : n - i;
        if (dropping[0] == '\0') {
            buf_append(&raw, html + i, run);
        }
        i += run;
        if (i >= n) {
            break;
        }
        const char *cd;
        size_t cdlen = 0, k = feed_skip_markup_decl(html + i, n - i, &cd, &cdlen);
        if (k == 0) {
            k = feed_parse_tag(&scratch, html + i, n - i, &t);
            if (k == 0) {
                buf_appendc(&raw, '<');
                i++;
                continue;
            }
            if (dropping[0] != '\0') {
                if (t.end && strcmp(t.name, dropping) == 0) {
                    dropping[0] = '\0';
                }
            } else if (!t.end && IN_LIST(t.name, strlen(t.name), dropped_with_content) &&
                       !t.self_closing) {
                strcpy(dropping, t.name);
            }
        }
        buf_appendc(&raw, ' '); /* tags separate words */
        i += k;
    }
    struct buf dec;
    buf_init(&dec, 0);
    feed_decode_entities(&dec, raw.data ? raw.data : "", raw.len);
    for (size_t i = 0; i < dec.len; i++) {
        unsigned char c = (unsigned char)dec.data[i];
        if (isspace(c)) {
            space = true;
            continue;
        }
        if (space && out->len > 0) {
            buf_appendc(out, ' ');
        }
        space = false;
        buf_appendc(out, (char)c);
    }
    buf_fini(&dec);
    buf_fini(&raw);
    arena_fini(&scratch);
}
