/* Reading text from the XML tree for the walk: attributes, trimmed text, inherited xml:base
 * and xml:lang, inline markup serialised as HTML, and the text constructs of Atom and RSS
 * (escaped, inline XHTML, base64). Pure: no I/O. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/esc.h"
#include "walk_int.h"

const char *walk_ns_of(xmlNodePtr n)
{
    return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

const char *walk_attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        if (strcmp((const char *)at->name, name) == 0 && at->children && at->children->content) {
            return (const char *)at->children->content;
        }
    }
    return NULL;
}

const char *walk_attr_ci(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        if (strcasecmp((const char *)at->name, name) == 0 && at->children &&
            at->children->content) {
            return (const char *)at->children->content;
        }
    }
    return NULL;
}

char *walk_trimmed(struct arena *a, const char *s)
{
    while (*s && isspace((unsigned char)*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    return arena_strndup(a, s, n);
}

char *walk_text_of(struct arena *a, xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = walk_trimmed(a, c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

/* An element's text as a reader means it: double-encoded UTF-8 repaired (UTF-8 documents). */
const char *walk_text_read(struct walker *w, xmlNodePtr n)
{
    const char *s = walk_text_of(w->a, n);
    return strcmp(w->d->encoding, "utf-8") == 0 ? feed_undouble_utf8(w->a, s) : s;
}

const char *walk_base_of(struct walker *w, xmlNodePtr n)
{
    xmlChar *b = xmlNodeGetBase(n->doc, n);
    const char *s = b ? arena_strdup(w->a, (const char *)b) : NULL;
    xmlFree(b);
    return s;
}

const char *walk_lang_of(struct walker *w, xmlNodePtr n)
{
    xmlChar *l = xmlNodeGetLang(n);
    char *s = l && l[0] ? arena_strdup(w->a, (const char *)l) : NULL;
    xmlFree(l);
    for (char *p = s; p && *p; p++) {
        *p = *p == '_' ? '-' : *p; /* "en_US" is how people misspell "en-US" */
    }
    return s;
}

/* Inner markup of an element as HTML text (for inline XHTML and unescaped RSS markup). */
void walk_serialize(struct buf *b, xmlNodePtr n)
{
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            esc_html_text(b, str_z((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE) {
            buf_appendc(b, '<');
            buf_appendz(b, (const char *)c->name);
            for (xmlAttrPtr at = c->properties; at; at = at->next) {
                xmlChar *v = xmlNodeListGetString(c->doc, at->children, 1);
                buf_appendc(b, ' ');
                if (at->ns && at->ns->prefix && !strcmp((const char *)at->ns->prefix, "xml")) {
                    buf_appendz(b, "xml:");
                } else if (at->ns && !strcmp((const char *)at->ns->href,
                                             "http://www.w3.org/1999/xlink")) {
                    buf_appendz(b, "xlink:"); /* whatever prefix the feed gave it */
                }
                buf_appendz(b, (const char *)at->name);
                buf_appendz(b, "=\"");
                esc_html_attr(b, str_z((const char *)v));
                buf_appendc(b, '"');
                xmlFree(v);
            }
            buf_appendc(b, '>');
            walk_serialize(b, c->children);
            buf_appendz(b, "</");
            buf_appendz(b, (const char *)c->name);
            buf_appendc(b, '>');
        }
    }
}

bool walk_has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            return true;
        }
    }
    return false;
}

static char *base64_decode(struct arena *a, const char *s)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = arena_alloc(a, strlen(s) + 1);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (const char *p = s; *p && *p != '='; p++) {
        const char *k = strchr(alphabet, *p);
        if (k == NULL || *p == '\0') {
            continue; /* whitespace and junk */
        }
        acc = (acc << 6) | (unsigned)(k - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[o] = '\0';
    return out;
}

/* An Atom text construct (or content) into t: type/mode decide escaped, inline or base64. */
void walk_read_atom_text(struct walker *w, xmlNodePtr n, struct feed_text *t)
{
    const char *type = walk_attr(n, "type"), *mode = walk_attr(n, "mode");
    const char *base = walk_base_of(w, n), *lang = walk_lang_of(w, n);
    char *mime = arena_strdup(w->a, type ? type : "text");
    ascii_lower(mime);
    if (!strcmp(mime, "text") || mime[0] == '\0') {
        mime = "text/plain";
    } else if (!strcmp(mime, "html")) {
        mime = "text/html";
    } else if (!strcmp(mime, "xhtml")) {
        mime = "application/xhtml+xml";
    }
    bool xmlish = strstr(mime, "xml") != NULL;
    bool textish = !strncmp(mime, "text/", 5) || xmlish;
    const char *raw;
    if ((mode && !strcmp(mode, "base64")) || (!mode && !textish && !w->atom03)) {
        raw = base64_decode(w->a, walk_text_of(w->a, n));
    } else if ((mode && !strcmp(mode, "xml")) || (!mode && xmlish) ||
               (!mode && w->atom03 && walk_has_element_child(n))) {
        struct buf b;
        buf_init(&b, 0);
        xmlNodePtr kids = n->children;
        if (!strcmp(mime, "application/xhtml+xml") && !w->atom03) {
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "div") &&
                    !strcmp(walk_ns_of(c), NS_XHTML)) {
                    kids = c->children; /* the wrapping div is not content */
                    break;
                }
            }
        }
        walk_serialize(&b, kids);
        raw = walk_trimmed(w->a, buf_cstr(&b));
        buf_fini(&b);
        if (strcmp(mime, "application/xhtml+xml") != 0) {
            mime = "text/html";
        }
    } else {
        raw = walk_text_read(w, n);
    }
    /* the type reported is the one the value was treated as (an unknown type is plain) */
    feed_set_text(w->a, t, raw, textish ? mime : "text/plain", base, lang);
}

/* RSS's untyped text: markup inside the element, or escaped HTML, or plain text. */
void walk_read_rss_text(struct walker *w, xmlNodePtr n, struct feed_text *t, bool html)
{
    const char *base = walk_base_of(w, n), *lang = walk_lang_of(w, n);
    if (walk_has_element_child(n)) {
        struct buf b;
        buf_init(&b, 0);
        walk_serialize(&b, n->children);
        feed_set_text(w->a, t, walk_trimmed(w->a, buf_cstr(&b)), "text/html", base, lang);
        buf_fini(&b);
        return;
    }
    const char *raw = walk_text_read(w, n);
    const char *type = walk_attr(n, "type");
    if (type && !strcmp(type, "html")) {
        html = true;
    }
    feed_set_text(w->a, t, raw, html || feed_looks_like_html(raw) ? "text/html" : "text/plain",
                  base, lang);
}

