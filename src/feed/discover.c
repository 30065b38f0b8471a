/* Feed discovery: a blog's page names its feed with <link rel="alternate" type="...">.
 * Read with libxml2's HTML parser (network off, errors ignored). Pure. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

#include "feed_int.h"

static const char *const feed_types[] = {"application/rss+xml", "application/atom+xml",
                                         "application/feed+json", "application/rdf+xml",
                                         "application/json", "text/xml", "application/xml"};

static bool rel_has_alternate(const char *rel)
{
    for (const char *p = rel; (p = strcasestr(p, "alternate")) != NULL; p += 9) {
        bool start = p == rel || p[-1] == ' ';
        bool end = p[9] == '\0' || p[9] == ' ';
        if (start && end) {
            return true;
        }
    }
    return false;
}

static xmlNodePtr find_feed_link(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, "link") == 0) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
            bool ok = rel && type && rel_has_alternate((const char *)rel);
            bool typed = false;
            for (size_t i = 0; ok && i < sizeof(feed_types) / sizeof(feed_types[0]); i++) {
                typed |= strncasecmp((const char *)type, feed_types[i], strlen(feed_types[i])) == 0;
            }
            xmlFree(rel);
            xmlFree(type);
            if (ok && typed && xmlHasProp(n, (const xmlChar *)"href")) {
                return n;
            }
        }
        xmlNodePtr found = find_feed_link(n->children);
        if (found != NULL) {
            return found;
        }
    }
    return NULL;
}

const char *feed_discover(struct arena *a, const char *html, size_t n, const char *base)
{
    if (n > 16 * 1024 * 1024) {
        return NULL;
    }
    htmlDocPtr doc = htmlReadMemory(html, (int)n, base, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
    if (doc == NULL) {
        return NULL;
    }
    const char *out = NULL;
    xmlNodePtr link = find_feed_link(xmlDocGetRootElement(doc));
    if (link != NULL) {
        xmlChar *href = xmlGetProp(link, (const xmlChar *)"href");
        out = feed_resolve_url(a, (const char *)href, base);
        xmlFree(href);
    }
    xmlFreeDoc(doc);
    return out;
}
