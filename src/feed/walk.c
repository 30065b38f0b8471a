/* RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 trees (read by the safe XML reader) into a feed_doc:
 * each element is classified by namespace and name into the field it feeds, so RSS, RDF and
 * Atom share one walk. xml:base and xml:lang are inherited through libxml2's node lookups.
 * Pure: no I/O. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/esc.h"
#include "feed_int.h"

#define NS_ATOM10 "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC11 "http://purl.org/dc/elements/1.1/"
#define NS_DC10 "http://purl.org/dc/elements/1.0/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"

enum field {
    F_NONE,
    F_SKIP, /* known container whose children are not the item's (source, image, textinput) */
    F_CHANNEL,
    F_ITEM,
    F_TITLE,
    F_LINK,
    F_DESCRIPTION, /* RSS: untyped, HTML sniffed */
    F_SUMMARY,     /* Atom text construct */
    F_SUBTITLE,
    F_CONTENT,
    F_CONTENT_HTML, /* content:encoded, xhtml:body, fullitem */
    F_ID,
    F_GUID,
    F_AUTHOR,
    F_PERSON, /* Atom author: name/email/uri children */
    F_PUBLISHED,
    F_UPDATED,
    F_CATEGORY,
    F_LANGUAGE,
    F_IMAGE,
    F_LOGO,
    F_ICON,
    F_RIGHTS,
    F_TTL,
    F_ENCLOSURE,
    F_KEYWORDS, /* comma-separated tags */
};

struct walker {
    struct feed_doc *d;
    struct arena *a;
    bool atom03;
    const char *atom_ns; /* a <feed> root's own namespace, whatever it is, is Atom's */
    bool cdf;            /* CDF: element names in any case */
};

static const char *ns_of(xmlNodePtr n)
{
    return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

static bool is_rssish(const char *ns)
{
    return ns[0] == '\0' || strcmp(ns, NS_RSS10) == 0 || strcmp(ns, NS_RSS090) == 0 ||
           strstr(ns, "backend.userland.com/rss") || strstr(ns, "blogs.law.harvard.edu/tech/rss");
}

static bool is_atom(const char *ns)
{
    return strcmp(ns, NS_ATOM10) == 0 || strcmp(ns, NS_ATOM03) == 0;
}

static enum field classify(const struct walker *w, xmlNodePtr n)
{
    const char *ns = ns_of(n), *name = (const char *)n->name;
    bool atom = is_atom(ns) || (w->atom_ns != NULL && strcmp(ns, w->atom_ns) == 0);
    bool rss = !atom && is_rssish(ns), dc = !strcmp(ns, NS_DC11) || !strcmp(ns, NS_DC10);
    struct map {
        const char *name;
        enum field rss, atom;
    };
    static const struct map common[] = {
        {"channel", F_CHANNEL, F_NONE},     {"item", F_ITEM, F_NONE},
        {"entry", F_ITEM, F_ITEM},          {"title", F_TITLE, F_TITLE},
        {"link", F_LINK, F_LINK},           {"description", F_DESCRIPTION, F_NONE},
        {"summary", F_NONE, F_SUMMARY},     {"subtitle", F_NONE, F_SUBTITLE},
        {"tagline", F_NONE, F_SUBTITLE},    {"content", F_NONE, F_CONTENT},
        {"id", F_NONE, F_ID},               {"guid", F_GUID, F_NONE},
        {"author", F_AUTHOR, F_PERSON},     {"managingEditor", F_AUTHOR, F_NONE},
        {"pubDate", F_PUBLISHED, F_NONE},   {"published", F_NONE, F_PUBLISHED},
        {"issued", F_NONE, F_PUBLISHED},    {"lastBuildDate", F_UPDATED, F_NONE},
        {"updated", F_NONE, F_UPDATED},     {"modified", F_NONE, F_UPDATED},
        {"category", F_CATEGORY, F_CATEGORY}, {"language", F_LANGUAGE, F_NONE},
        {"image", F_IMAGE, F_NONE},         {"logo", F_NONE, F_LOGO},
        {"icon", F_NONE, F_ICON},           {"copyright", F_RIGHTS, F_RIGHTS},
        {"rights", F_NONE, F_RIGHTS},       {"ttl", F_TTL, F_NONE},
        {"enclosure", F_ENCLOSURE, F_NONE}, {"source", F_SKIP, F_SKIP},
        {"textinput", F_SKIP, F_NONE},      {"textInput", F_SKIP, F_NONE},
        {"fullitem", F_CONTENT_HTML, F_NONE}, {"info", F_NONE, F_SKIP},
        {"body", F_CONTENT_HTML, F_NONE},   {"abstract", F_DESCRIPTION, F_NONE},
    };
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
        if ((w->cdf ? strcasecmp(name, common[i].name) : strcmp(name, common[i].name)) == 0) {
            enum field f = rss ? common[i].rss : atom ? common[i].atom : F_NONE;
            if (f != F_NONE) {
                return f;
            }
        }
    }
    if (dc) {
        static const struct map dcmap[] = {
            {"title", F_TITLE, F_TITLE},       {"description", F_DESCRIPTION, F_DESCRIPTION},
            {"creator", F_AUTHOR, F_AUTHOR},   {"author", F_AUTHOR, F_AUTHOR},
            {"date", F_UPDATED, F_UPDATED},    {"subject", F_CATEGORY, F_CATEGORY},
            {"language", F_LANGUAGE, F_LANGUAGE}, {"rights", F_RIGHTS, F_RIGHTS},
            {"identifier", F_GUID, F_GUID},
        };
        for (size_t i = 0; i < sizeof(dcmap) / sizeof(dcmap[0]); i++) {
            if (strcmp(name, dcmap[i].name) == 0) {
                return dcmap[i].rss;
            }
        }
    }
    if (!strcmp(ns, NS_DCTERMS)) {
        return !strcmp(name, "issued") || !strcmp(name, "created") ? F_PUBLISHED
               : !strcmp(name, "modified")                         ? F_UPDATED
                                                                   : F_NONE;
    }
    if (!strcmp(ns, NS_CONTENT) && !strcmp(name, "encoded")) {
        return F_CONTENT_HTML;
    }
    if (!strcmp(ns, NS_XHTML) && !strcmp(name, "body")) {
        return F_CONTENT_HTML;
    }
    if (!strcasecmp(ns, NS_ITUNES)) {
        return !strcmp(name, "author")     ? F_AUTHOR
               : !strcmp(name, "keywords") ? F_KEYWORDS
               : !strcmp(name, "summary")  ? F_DESCRIPTION
               : !strcmp(name, "subtitle") ? F_SUBTITLE
               : !strcmp(name, "image")    ? F_LOGO
               : !strcmp(name, "category") ? F_CATEGORY
                                           : F_NONE;
    }
    return F_NONE;
}

static const char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        if (strcmp((const char *)at->name, name) == 0 && at->children && at->children->content) {
            return (const char *)at->children->content;
        }
    }
    return NULL;
}

static const char *attr_ci(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        if (strcasecmp((const char *)at->name, name) == 0 && at->children &&
            at->children->content) {
            return (const char *)at->children->content;
        }
    }
    return NULL;
}

static char *trimmed(struct arena *a, const char *s)
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

static char *text_of(struct arena *a, xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = trimmed(a, c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

/* An element's text as a reader means it: double-encoded UTF-8 repaired (UTF-8 documents). */
static const char *text_read(struct walker *w, xmlNodePtr n)
{
    const char *s = text_of(w->a, n);
    return strcmp(w->d->encoding, "utf-8") == 0 ? feed_undouble_utf8(w->a, s) : s;
}

static const char *base_of(struct walker *w, xmlNodePtr n)
{
    xmlChar *b = xmlNodeGetBase(n->doc, n);
    const char *s = b ? arena_strdup(w->a, (const char *)b) : NULL;
    xmlFree(b);
    return s;
}

static const char *lang_of(struct walker *w, xmlNodePtr n)
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
static void serialize(struct buf *b, xmlNodePtr n)
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
                }
                buf_appendz(b, (const char *)at->name);
                buf_appendz(b, "=\"");
                esc_html_attr(b, str_z((const char *)v));
                buf_appendc(b, '"');
                xmlFree(v);
            }
            buf_appendc(b, '>');
            serialize(b, c->children);
            buf_appendz(b, "</");
            buf_appendz(b, (const char *)c->name);
            buf_appendc(b, '>');
        }
    }
}

static bool has_element_child(xmlNodePtr n)
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
static void read_atom_text(struct walker *w, xmlNodePtr n, struct feed_text *t)
{
    const char *type = attr(n, "type"), *mode = attr(n, "mode");
    const char *base = base_of(w, n), *lang = lang_of(w, n);
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
        raw = base64_decode(w->a, text_of(w->a, n));
    } else if ((mode && !strcmp(mode, "xml")) || (!mode && xmlish) ||
               (!mode && w->atom03 && has_element_child(n))) {
        struct buf b;
        buf_init(&b, 0);
        xmlNodePtr kids = n->children;
        if (!strcmp(mime, "application/xhtml+xml") && !w->atom03) {
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "div") &&
                    !strcmp(ns_of(c), NS_XHTML)) {
                    kids = c->children; /* the wrapping div is not content */
                    break;
                }
            }
        }
        serialize(&b, kids);
        raw = trimmed(w->a, buf_cstr(&b));
        buf_fini(&b);
        if (strcmp(mime, "application/xhtml+xml") != 0) {
            mime = "text/html";
        }
    } else {
        raw = text_read(w, n);
    }
    /* the type reported is the one the value was treated as (an unknown type is plain) */
    feed_set_text(w->a, t, raw, textish ? mime : "text/plain", base, lang);
}

/* RSS's untyped text: markup inside the element, or escaped HTML, or plain text. */
static void read_rss_text(struct walker *w, xmlNodePtr n, struct feed_text *t, bool html)
{
    const char *base = base_of(w, n), *lang = lang_of(w, n);
    if (has_element_child(n)) {
        struct buf b;
        buf_init(&b, 0);
        serialize(&b, n->children);
        feed_set_text(w->a, t, trimmed(w->a, buf_cstr(&b)), "text/html", base, lang);
        buf_fini(&b);
        return;
    }
    const char *raw = text_read(w, n);
    const char *type = attr(n, "type");
    if (type && !strcmp(type, "html")) {
        html = true;
    }
    feed_set_text(w->a, t, raw, html || feed_looks_like_html(raw) ? "text/html" : "text/plain",
                  base, lang);
}

static void add_link(struct walker *w, struct feed_item *it, xmlNodePtr n)
{
    const char *href = attr(n, "href");
    if (href == NULL) {
        /* RSS <link>text</link>, or an Atom link that put its URL in the text */
        const char *text = text_of(w->a, n);
        if (text[0] == '\0') {
            return;
        }
        const char *url = feed_resolve_url(w->a, text, base_of(w, n));
        const char *rel = attr(n, "rel"), *type = attr(n, "type");
        struct feed_link *l = feed_add_link(w->a, it);
        l->href = url;
        l->rel = rel ? arena_strdup(w->a, rel) : "alternate";
        l->type = type ? arena_strdup(w->a, type) : "text/html";
        if (it->link == NULL && !strcmp(l->rel, "alternate")) {
            it->link = url;
        }
        return;
    }
    struct feed_link *l = feed_add_link(w->a, it);
    l->href = feed_resolve_url(w->a, trimmed(w->a, href), base_of(w, n));
    const char *rel = attr(n, "rel");
    l->rel = rel ? trimmed(w->a, rel) : "alternate";
    const char *type = attr(n, "type");
    l->type = type ? arena_strdup(w->a, type)
              : !strcmp(l->rel, "self") ? "application/atom+xml"
                                        : "text/html";
    const char *title = attr(n, "title"), *length = attr(n, "length");
    l->title = title ? arena_strdup(w->a, title) : NULL;
    l->length = length ? arena_strdup(w->a, length) : NULL;
    if (!strcmp(l->rel, "alternate") && it->link == NULL) {
        it->link = l->href;
    }
    if (!strcmp(l->rel, "enclosure") && it->link == NULL && 0) {
        it->link = l->href;
    }
}

static void read_person(struct walker *w, struct feed_item *it, xmlNodePtr n)
{
    const char *name = NULL, *email = NULL, *uri = NULL;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        const char *cn = (const char *)c->name;
        if (!strcmp(cn, "name")) {
            name = text_of(w->a, c);
        } else if (!strcmp(cn, "email")) {
            email = text_of(w->a, c);
        } else if (!strcmp(cn, "uri") || !strcmp(cn, "url")) {
            uri = feed_resolve_url(w->a, text_of(w->a, c), base_of(w, c));
        }
    }
    if (it->author != NULL) {
        return;
    }
    it->author = name && email ? arena_printf(w->a, "%s (%s)", name, email) : name ? name : email;
    it->author_name = name;
    it->author_email = email;
    it->author_href = uri;
}

/* RSS's "email (Name)", "Name <email>" or just a name. */
static void read_rss_author(struct arena *a, struct feed_item *it, const char *s)
{
    it->author = s;
    const char *at = strchr(s, '@');
    if (at == NULL) {
        it->author_name = s;
        return;
    }
    const char *open = strchr(s, '('), *lt = strchr(s, '<');
    const char *sep = open && strchr(open, ')') ? open : lt && strchr(lt, '>') ? lt : NULL;
    if (sep == NULL) {
        it->author_email = s;
        return;
    }
    const char *close = strchr(sep, sep == open ? ')' : '>');
    char *outside = trimmed(a, arena_strndup(a, s, (size_t)(sep - s)));
    char *inside = trimmed(a, arena_strndup(a, sep + 1, (size_t)(close - sep - 1)));
    bool email_inside = strchr(inside, '@') != NULL;
    it->author_email = email_inside ? inside : outside;
    it->author_name = email_inside ? outside : inside;
    if (it->author_name[0] == '\0') {
        it->author_name = NULL;
    }
}

static void set_date(struct walker *w, xmlNodePtr n, const char **field, int64_t *at)
{
    int64_t t;
    if (*field == NULL && feed_parse_date(text_of(w->a, n), &t)) {
        char *s = arena_alloc(w->a, 32);
        feed_format_date(t, s, 32);
        *field = s;
        *at = t;
    }
}

static void walk_children(struct walker *w, xmlNodePtr parent, struct feed_item *it, bool feed);

static void handle(struct walker *w, xmlNodePtr c, struct feed_item *it, bool feed)
{
    struct arena *a = w->a;
    switch (classify(w, c)) {
    case F_CHANNEL:
        if (feed) {
            walk_children(w, c, it, true);
        }
        break;
    case F_ITEM:
        if (feed) {
            struct feed_item *e = feed_add_entry(w->d);
            const char *href = w->cdf ? attr_ci(c, "href") : NULL;
            if (href != NULL) { /* CDF: <ITEM HREF="..."> */
                struct feed_link *l = feed_add_link(a, e);
                l->href = e->link = feed_resolve_url(a, trimmed(a, href), base_of(w, c));
                l->rel = "alternate";
                l->type = "text/html";
            }
            walk_children(w, c, e, false);
            const char *about = attr(c, "about");
            if (e->id == NULL && about != NULL) {
                e->id = arena_strdup(a, about); /* RSS 1.0: rdf:about names the item */
            }
        }
        break;
    case F_TITLE:
        if (it->title.value == NULL) {
            if (is_atom(ns_of(c))) {
                read_atom_text(w, c, &it->title);
            } else {
                read_rss_text(w, c, &it->title, false);
            }
        }
        break;
    case F_LINK:
        add_link(w, it, c);
        break;
    case F_DESCRIPTION:
        if (it->summary.value == NULL) {
            read_rss_text(w, c, &it->summary, true); /* RSS descriptions are HTML */
        }
        break;
    case F_SUMMARY:
    case F_SUBTITLE:
        if (it->summary.value == NULL) {
            read_atom_text(w, c, &it->summary);
        }
        break;
    case F_CONTENT: {
        struct feed_text *t = feed_add_content(a, it);
        read_atom_text(w, c, t);
        const char *src = attr(c, "src");
        if (src && t->value[0] == '\0') {
            t->value = "";
        }
        break;
    }
    case F_CONTENT_HTML: {
        struct feed_text *t = feed_add_content(a, it);
        if (has_element_child(c) || !strcmp((const char *)c->name, "body")) {
            read_rss_text(w, c, t, true);
        } else {
            feed_set_text(a, t, text_of(a, c), "text/html", base_of(w, c), lang_of(w, c));
        }
        t->type = "text/html";
        break;
    }
    case F_ID:
    case F_GUID:
        if (it->id == NULL) {
            it->id = text_of(a, c);
            if (it->id[0] == '/' || !strncmp(it->id, "./", 2) || !strncmp(it->id, "../", 3)) {
                it->id = feed_resolve_url(a, it->id, base_of(w, c));
            }
            const char *perm = attr(c, "isPermaLink");
            if (classify(w, c) == F_GUID && !strcmp((const char *)c->name, "guid") &&
                !(perm && !strcasecmp(perm, "false")) && it->link == NULL && it->id[0]) {
                it->link = feed_resolve_url(a, it->id, base_of(w, c));
            }
        }
        break;
    case F_AUTHOR:
        if (it->author == NULL) {
            read_rss_author(a, it, text_of(a, c));
        }
        break;
    case F_PERSON:
        read_person(w, it, c);
        break;
    case F_PUBLISHED:
        set_date(w, c, &it->published, &it->published_at);
        break;
    case F_UPDATED:
        set_date(w, c, &it->updated, &it->updated_at);
        break;
    case F_CATEGORY: {
        const char *term = attr(c, "term");
        if (term == NULL) {
            term = attr(c, "text");
        }
        feed_add_tag(a, it, term ? trimmed(a, term) : text_of(a, c));
        break;
    }
    case F_KEYWORDS: {
        char *save = NULL, *list = text_of(a, c);
        for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
            feed_add_tag(a, it, trimmed(a, k));
        }
        break;
    }
    case F_LANGUAGE:
        if (it->language == NULL) {
            it->language = text_of(a, c);
        }
        break;
    case F_IMAGE:
        for (xmlNodePtr k = c->children; k; k = k->next) {
            if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "url") &&
                it->image == NULL) {
                it->image = feed_resolve_url(a, text_of(a, k), base_of(w, k));
            }
        }
        break;
    case F_LOGO:
    case F_ICON: {
        const char *href = attr(c, "href");
        const char *u = href ? trimmed(a, href) : text_of(a, c);
        if (u[0] && (it->image == NULL || classify(w, c) == F_LOGO)) {
            it->image = feed_resolve_url(a, u, base_of(w, c));
        }
        break;
    }
    case F_RIGHTS:
        if (it->rights.value == NULL) {
            if (is_atom(ns_of(c))) {
                read_atom_text(w, c, &it->rights);
            } else {
                read_rss_text(w, c, &it->rights, false);
            }
        }
        break;
    case F_TTL:
        it->ttl_minutes = atoi(text_of(a, c));
        break;
    case F_ENCLOSURE: {
        const char *url = attr(c, "url");
        if (url) {
            struct feed_link *l = feed_add_link(a, it);
            l->href = feed_resolve_url(a, trimmed(a, url), base_of(w, c));
            l->rel = "enclosure";
            const char *type = attr(c, "type"), *len = attr(c, "length");
            l->type = type ? arena_strdup(a, type) : NULL;
            l->length = len ? arena_strdup(a, len) : NULL;
        }
        break;
    }
    case F_SKIP:
    case F_NONE:
        break;
    }
}

static void walk_children(struct walker *w, xmlNodePtr parent, struct feed_item *it, bool feed)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            handle(w, c, it, feed);
        }
    }
    if (it->language == NULL) {
        it->language = lang_of(w, parent);
    }
}

static const char *rss_version(xmlNodePtr root)
{
    const char *v = attr(root, "version");
    if (v == NULL) {
        return "rss";
    }
    if (!strncmp(v, "2.", 2) || !strcmp(v, "2")) {
        return "rss20";
    }
    static const char *const map[][2] = {{"0.91", "rss091u"}, {"0.92", "rss092"},
                                         {"0.93", "rss093"},  {"0.94", "rss094"},
                                         {"0.90", "rss090"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (!strcmp(v, map[i][0])) {
            if (!strcmp(v, "0.91") && root->doc->intSubset && root->doc->intSubset->ExternalID &&
                strstr((const char *)root->doc->intSubset->ExternalID, "Netscape")) {
                return "rss091n";
            }
            return map[i][1];
        }
    }
    return "rss";
}

void feed_walk(struct feed_doc *d, xmlDocPtr doc, const char *base)
{
    struct walker w = {.d = d, .a = d->a};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (base != NULL) {
        xmlFree((xmlChar *)(uintptr_t)doc->URL);
        doc->URL = xmlStrdup((const xmlChar *)base);
    }
    const char *name = (const char *)root->name, *ns = ns_of(root);
    if (!strcmp(name, "rss")) {
        d->version = rss_version(root);
    } else if (!strcmp(name, "RDF")) {
        d->version = "rss10";
        for (xmlNodePtr c = root->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && !strcmp(ns_of(c), NS_RSS090)) {
                d->version = "rss090";
            }
        }
    } else if (!strcmp(name, "feed")) {
        const char *v = attr(root, "version");
        w.atom03 = !strcmp(ns, NS_ATOM03);
        w.atom_ns = ns;
        d->version = !strcmp(ns, NS_ATOM10) ? "atom10"
                     : w.atom03 && v && !strcmp(v, "0.1") ? "atom01"
                     : w.atom03 && v && !strcmp(v, "0.2") ? "atom02"
                     : w.atom03                           ? "atom03"
                                                          : "atom";
    } else if (!strcasecmp(name, "channel")) {
        d->version = "cdf";
        w.cdf = true;
        struct feed_item *it = &d->feed;
        const char *href = attr_ci(root, "href");
        if (href != NULL) {
            it->link = feed_resolve_url(d->a, href, base_of(&w, root));
        }
    } else {
        d->version = "";
        d->bozo = true;
        d->bozo_message = arena_printf(d->a, "<%s> is not a feed's root element", name);
        return;
    }
    walk_children(&w, root, &d->feed, true);
}
