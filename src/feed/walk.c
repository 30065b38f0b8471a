/* RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 trees (read by the safe XML reader) into a feed_doc:
 * each element is classified by namespace and name into the field it feeds, so RSS, RDF and
 * Atom share one walk. xml:base and xml:lang are inherited through libxml2's node lookups.
 * Pure: no I/O. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/esc.h"
#include "walk_int.h"

static bool is_rss090_ns(const char *ns);

static bool is_rssish(const char *ns)
{
    return ns[0] == '\0' || strcmp(ns, NS_RSS10) == 0 || is_rss090_ns(ns) ||
           strstr(ns, "backend.userland.com/rss") || strstr(ns, "blogs.law.harvard.edu/tech/rss");
}

static bool is_atom(const char *ns)
{
    return strcmp(ns, NS_ATOM10) == 0 || strcmp(ns, NS_ATOM03) == 0;
}

static enum field classify(const struct walker *w, xmlNodePtr n)
{
    const char *ns = walk_ns_of(n), *name = (const char *)n->name;
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
        {"summary", F_RSS_SUMMARY, F_SUMMARY}, {"subtitle", F_NONE, F_SUBTITLE},
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
        if (strcasecmp(name, common[i].name) == 0) { /* <TiTlE> is read, as readers do */
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
               : !strcmp(name, "summary")  ? F_FALLBACK_SUMMARY
               : !strcmp(name, "subtitle") ? F_FALLBACK_SUMMARY
               : !strcmp(name, "image")    ? F_LOGO
               : !strcmp(name, "category") ? F_CATEGORY
               : !strcmp(name, "link")     ? F_IMAGE_LINK
                                           : F_NONE;
    }
    if (!strncmp(ns, NS_MEDIA, strlen(NS_MEDIA)) && (!ns[strlen(NS_MEDIA)] ||
                                                     !strcmp(ns + strlen(NS_MEDIA), "/"))) {
        return !strcmp(name, "title")         ? F_FALLBACK_TITLE
               : !strcmp(name, "description") ? F_FALLBACK_SUMMARY
               : !strcmp(name, "category")    ? F_CATEGORY
               : !strcmp(name, "thumbnail")   ? F_ICON
                                              : F_NONE;
    }
    return F_NONE;
}

static void add_link(struct walker *w, struct feed_item *it, xmlNodePtr n)
{
    const char *href = walk_attr(n, "href");
    if (href == NULL) {
        /* RSS <link>text</link>, or an Atom link that put its URL in the text */
        const char *text = walk_text_of(w->a, n);
        if (text[0] == '\0') {
            return;
        }
        const char *url = feed_resolve_url(w->a, text, walk_base_of(w, n));
        const char *rel = walk_attr(n, "rel"), *type = walk_attr(n, "type");
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
    l->href = feed_resolve_url(w->a, walk_trimmed(w->a, href), walk_base_of(w, n));
    const char *rel = walk_attr(n, "rel");
    l->rel = rel ? walk_trimmed(w->a, rel) : "alternate";
    const char *type = walk_attr(n, "type");
    l->type = type ? arena_strdup(w->a, type)
              : !strcmp(l->rel, "self") ? "application/atom+xml"
                                        : "text/html";
    const char *title = walk_attr(n, "title"), *length = walk_attr(n, "length");
    l->title = title ? arena_strdup(w->a, title) : NULL;
    l->length = length ? arena_strdup(w->a, length) : NULL;
    if (!strcmp(l->rel, "alternate") && it->link == NULL) {
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
            name = walk_text_of(w->a, c);
        } else if (!strcmp(cn, "email")) {
            email = walk_text_of(w->a, c);
        } else if (!strcmp(cn, "uri") || !strcmp(cn, "url") || !strcmp(cn, "homepage")) {
            uri = feed_resolve_url(w->a, walk_text_of(w->a, c), walk_base_of(w, c));
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
    char *outside = walk_trimmed(a, arena_strndup(a, s, (size_t)(sep - s)));
    char *inside = walk_trimmed(a, arena_strndup(a, sep + 1, (size_t)(close - sep - 1)));
    bool email_inside = strchr(inside, '@') != NULL;
    it->author_email = email_inside ? inside : outside;
    it->author_name = email_inside ? outside : inside;
    if (it->author_name[0] == '\0') {
        it->author_name = NULL;
    }
}

/* A date element: the last readable one of its kind wins (a feed that repeats <updated>
 * means the later value). */
static void set_date(struct walker *w, const char *text, const char **field, int64_t *at)
{
    int64_t t;
    if (feed_parse_date(text, &t)) {
        char *s = arena_alloc(w->a, 32);
        feed_format_date(t, s, 32);
        *field = s;
        *at = t;
    }
}

static void walk_children(struct walker *w, xmlNodePtr parent, struct feed_item *it, bool feed);

/* An entry (<item>, <entry>, CDF <ITEM HREF LASTMOD>), walked into a new feed_item. */
static void read_entry(struct walker *w, xmlNodePtr c)
{
    struct arena *a = w->a;
    struct feed_item *e = feed_add_entry(w->d);
    w->title_from = w->summary_from = F_NONE;
    const char *href = w->cdf ? walk_attr_ci(c, "href") : NULL;
    if (href != NULL) {
        struct feed_link *l = feed_add_link(a, e);
        l->href = e->link = feed_resolve_url(a, walk_trimmed(a, href), walk_base_of(w, c));
        l->rel = "alternate";
        l->type = "text/html";
    }
    const char *lastmod = w->cdf ? walk_attr_ci(c, "lastmod") : NULL;
    if (lastmod != NULL) {
        set_date(w, lastmod, &e->updated, &e->updated_at);
    }
    w->second_summary = NULL;
    walk_children(w, c, e, false);
    if (e->ncontent == 0 && w->second_summary != NULL) {
        walk_read_rss_text(w, w->second_summary, feed_add_content(a, e), true);
    }
    w->second_summary = NULL;
    const char *about = walk_attr(c, "about");
    if (e->id == NULL && about != NULL) {
        e->id = arena_strdup(a, about); /* RSS 1.0: rdf:about names the item */
    }
    w->title_from = w->summary_from = F_NONE;
}

/* Title, summary and their fallbacks: the first real one wins over a fallback; in RSS a
 * second summary-like element (<summary> beside <description>) is kept as content. */
static void read_titles(struct walker *w, xmlNodePtr c, struct feed_item *it, enum field f,
                        bool feed)
{
    bool atom = is_atom(walk_ns_of(c)) || (w->atom_ns && !strcmp(walk_ns_of(c), w->atom_ns));
    if (f == F_TITLE || f == F_FALLBACK_TITLE) {
        if (it->title.value == NULL || (w->title_from == F_FALLBACK_TITLE && f == F_TITLE)) {
            it->title = (struct feed_text){0};
            atom ? walk_read_atom_text(w, c, &it->title)
                 : walk_read_rss_text(w, c, &it->title, false);
            w->title_from = f;
        }
        return;
    }
    bool fallback = f == F_FALLBACK_SUMMARY;
    if (it->summary.value != NULL && !(w->summary_from == F_FALLBACK_SUMMARY && !fallback)) {
        if (!feed && !fallback && f != w->summary_from && w->second_summary == NULL &&
            (f == F_RSS_SUMMARY || f == F_DESCRIPTION)) {
            w->second_summary = c; /* content, unless the item has a real one (read_entry) */
        }
        return;
    }
    it->summary = (struct feed_text){0};
    if (f == F_SUMMARY || f == F_SUBTITLE) {
        walk_read_atom_text(w, c, &it->summary);
    } else {
        walk_read_rss_text(w, c, &it->summary, true); /* RSS descriptions are HTML */
    }
    w->summary_from = f;
}

/* Inline HTML content: content:encoded, fullitem, or an XHTML <body>. */
static void read_html_content(struct walker *w, xmlNodePtr c, struct feed_item *it)
{
    struct feed_text *t = feed_add_content(w->a, it);
    bool body = !strcmp((const char *)c->name, "body");
    if (walk_has_element_child(c) || body) {
        walk_read_rss_text(w, c, t, true);
    } else {
        feed_set_text(w->a, t, walk_text_of(w->a, c), "text/html", walk_base_of(w, c),
                      walk_lang_of(w, c));
    }
    t->type = body && !strcmp(walk_ns_of(c), NS_XHTML) ? "application/xhtml+xml" : "text/html";
}

static void read_id(struct walker *w, xmlNodePtr c, struct feed_item *it, enum field f)
{
    struct arena *a = w->a;
    if (it->id != NULL) {
        return;
    }
    it->id = walk_text_of(a, c);
    if (it->id[0] == '/' || !strncmp(it->id, "./", 2) || !strncmp(it->id, "../", 3)) {
        it->id = feed_resolve_url(a, it->id, walk_base_of(w, c));
    }
    const char *perm = walk_attr(c, "isPermaLink");
    if (f == F_GUID && !strcmp((const char *)c->name, "guid") &&
        !(perm && !strcasecmp(perm, "false")) && it->link == NULL && it->id[0]) {
        it->link = feed_resolve_url(a, it->id, walk_base_of(w, c));
    }
}

/* A category (term=, text= or its text); iTunes nests subcategories inside it. */
static void read_category(struct walker *w, xmlNodePtr c, struct feed_item *it)
{
    const char *term = walk_attr(c, "term");
    if (term == NULL) {
        term = walk_attr(c, "text");
    }
    const char *t = term ? walk_trimmed(w->a, term) : walk_text_of(w->a, c);
    if (t[0] != '\0') {
        feed_add_tag(w->a, it, t);
    }
    for (xmlNodePtr k = c->children; k; k = k->next) {
        if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "category") &&
            !strcasecmp(walk_ns_of(k), NS_ITUNES)) {
            read_category(w, k, it);
        }
    }
}

/* RSS <image>: its URL, and the title, link and description that go with it. */
static void read_image(struct walker *w, xmlNodePtr c, struct feed_item *it)
{
    struct arena *a = w->a;
    for (xmlNodePtr k = c->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) {
            continue;
        }
        const char *name = (const char *)k->name;
        if (!strcasecmp(name, "url") && it->image == NULL) {
            it->image = feed_resolve_url(a, walk_text_of(a, k), walk_base_of(w, k));
        } else if (!strcasecmp(name, "title")) {
            it->image_title = walk_text_read(w, k);
        } else if (!strcasecmp(name, "link")) {
            it->image_link = feed_resolve_url(a, walk_text_of(a, k), walk_base_of(w, k));
        } else if (!strcasecmp(name, "description")) {
            it->image_description = walk_text_read(w, k);
        }
    }
}

/* An image given by an attribute (href=, url=) or text: a logo replaces an icon or a
 * thumbnail; the others fill only an empty image. */
static void read_image_ref(struct walker *w, xmlNodePtr c, struct feed_item *it, enum field f)
{
    const char *href = walk_attr(c, "href");
    if (href == NULL) {
        href = walk_attr(c, "url");
    }
    if (f == F_IMAGE_LINK) {
        const char *rel = walk_attr(c, "rel");
        if (rel == NULL || strcmp(rel, "image") != 0 || href == NULL) {
            return;
        }
    }
    const char *u = href ? walk_trimmed(w->a, href) : walk_text_of(w->a, c);
    if (u[0] && (it->image == NULL || f == F_LOGO)) {
        it->image = feed_resolve_url(w->a, u, walk_base_of(w, c));
    }
}

static void read_enclosure(struct walker *w, xmlNodePtr c, struct feed_item *it)
{
    const char *url = walk_attr(c, "url");
    if (url == NULL) {
        return;
    }
    struct feed_link *l = feed_add_link(w->a, it);
    l->href = feed_resolve_url(w->a, walk_trimmed(w->a, url), walk_base_of(w, c));
    l->rel = "enclosure";
    const char *type = walk_attr(c, "type"), *len = walk_attr(c, "length");
    l->type = type ? arena_strdup(w->a, type) : NULL;
    l->length = len ? arena_strdup(w->a, len) : NULL;
}

static void read_keywords(struct walker *w, xmlNodePtr c, struct feed_item *it)
{
    char *save = NULL, *list = walk_text_of(w->a, c);
    for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        feed_add_tag(w->a, it, walk_trimmed(w->a, k));
    }
}

static void handle(struct walker *w, xmlNodePtr c, struct feed_item *it, bool feed)
{
    struct arena *a = w->a;
    enum field f = classify(w, c);
    switch (f) {
    case F_CHANNEL:
        if (feed) {
            walk_children(w, c, it, true);
        }
        break;
    case F_ITEM:
        if (feed) {
            read_entry(w, c);
        }
        break;
    case F_TITLE:
    case F_FALLBACK_TITLE:
    case F_DESCRIPTION:
    case F_RSS_SUMMARY:
    case F_SUMMARY:
    case F_SUBTITLE:
    case F_FALLBACK_SUMMARY:
        read_titles(w, c, it, f, feed);
        break;
    case F_LINK:
        add_link(w, it, c);
        break;
    case F_CONTENT: {
        struct feed_text *t = feed_add_content(a, it);
        walk_read_atom_text(w, c, t);
        break;
    }
    case F_CONTENT_HTML:
        read_html_content(w, c, it);
        break;
    case F_ID:
    case F_GUID:
        read_id(w, c, it, f);
        break;
    case F_AUTHOR:
        if (it->author == NULL) {
            read_rss_author(a, it, walk_text_of(a, c));
        }
        break;
    case F_PERSON:
        read_person(w, it, c);
        break;
    case F_PUBLISHED:
        set_date(w, walk_text_of(a, c), &it->published, &it->published_at);
        break;
    case F_UPDATED:
        set_date(w, walk_text_of(a, c), &it->updated, &it->updated_at);
        break;
    case F_CATEGORY:
        read_category(w, c, it);
        break;
    case F_KEYWORDS:
        read_keywords(w, c, it);
        break;
    case F_LANGUAGE:
        if (it->language == NULL) {
            it->language = walk_text_of(a, c);
        }
        break;
    case F_IMAGE:
        read_image(w, c, it);
        break;
    case F_LOGO:
    case F_ICON:
    case F_IMAGE_LINK:
        read_image_ref(w, c, it, f);
        break;
    case F_RIGHTS:
        if (it->rights.value == NULL) {
            is_atom(walk_ns_of(c)) ? walk_read_atom_text(w, c, &it->rights)
                                   : walk_read_rss_text(w, c, &it->rights, false);
        }
        break;
    case F_TTL:
        it->ttl_minutes = atoi(walk_text_of(a, c));
        break;
    case F_ENCLOSURE:
        read_enclosure(w, c, it);
        break;
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
        it->language = walk_lang_of(w, parent);
    }
}

static const char *rss_version(xmlNodePtr root)
{
    const char *v = walk_attr(root, "version");
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

/* Netscape's RSS 0.90 namespace, with or without its final slash. */
static bool is_rss090_ns(const char *ns)
{
    size_t k = strlen(NS_RSS090) - 1;
    return ns != NULL && strncmp(ns, NS_RSS090, k) == 0 && (!ns[k] || !strcmp(ns + k, "/"));
}

/* The version of an RDF root: RSS 0.90 when it declares 0.90's namespace as its default or
 * its channel or items are in it; else RSS 1.0. */
static const char *rdf_version(xmlNodePtr root)
{
    for (xmlNsPtr ns = root->nsDef; ns; ns = ns->next) {
        if (ns->prefix == NULL && is_rss090_ns((const char *)ns->href)) {
            return "rss090";
        }
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && is_rss090_ns(walk_ns_of(c))) {
            return "rss090";
        }
    }
    return "rss10";
}

static const char *atom_version(struct walker *w, xmlNodePtr root)
{
    const char *v = walk_attr(root, "version"), *ns = walk_ns_of(root);
    w->atom03 = !strcmp(ns, NS_ATOM03);
    w->atom_ns = ns;
    return !strcmp(ns, NS_ATOM10)                   ? "atom10"
           : w->atom03 && v && !strcmp(v, "0.1") ? "atom01"
           : w->atom03 && v && !strcmp(v, "0.2") ? "atom02"
           : w->atom03                           ? "atom03"
                                                 : "atom";
}

/* CDF: <CHANNEL BASE HREF LASTMOD>; BASE is its xml:base. */
static void read_cdf_channel(struct walker *w, xmlNodePtr root)
{
    struct feed_item *it = &w->d->feed;
    const char *base = walk_attr_ci(root, "base");
    if (base != NULL) {
        xmlNodeSetBase(root, (const xmlChar *)base);
    }
    const char *href = walk_attr_ci(root, "href");
    if (href != NULL) {
        struct feed_link *l = feed_add_link(w->a, it);
        l->href = it->link = feed_resolve_url(w->a, walk_trimmed(w->a, href),
                                              walk_base_of(w, root));
        l->rel = "alternate";
        l->type = "text/html";
    }
    const char *lastmod = walk_attr_ci(root, "lastmod");
    if (lastmod != NULL) {
        set_date(w, lastmod, &it->updated, &it->updated_at);
    }
}

void feed_walk(struct feed_doc *d, xmlDocPtr doc, const char *base, const char *language)
{
    struct walker w = {.d = d, .a = d->a};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (base != NULL) {
        xmlFree((xmlChar *)(uintptr_t)doc->URL);
        doc->URL = xmlStrdup((const xmlChar *)base);
    }
    if (language != NULL && language[0] != '\0' && walk_lang_of(&w, root) == NULL) {
        xmlNodeSetLang(root, (const xmlChar *)language); /* HTTP Content-Language: a default */
    }
    const char *name = (const char *)root->name;
    if (!strcmp(name, "rss")) {
        d->version = rss_version(root);
    } else if (!strcmp(name, "RDF")) {
        d->version = rdf_version(root);
    } else if (!strcmp(name, "feed")) {
        d->version = atom_version(&w, root);
    } else if (!strcasecmp(name, "channel")) {
        d->version = "cdf";
        w.cdf = true;
        read_cdf_channel(&w, root);
    } else {
        d->version = "";
        d->bozo = true;
        d->bozo_message = arena_printf(d->a, "<%s> is not a feed's root element", name);
        return;
    }
    walk_children(&w, root, &d->feed, true);
}
