/* OPML reading lists: the feed outlines of a subscription list, through the safe XML reader.
 * Pure: no I/O. */
#include <string.h>

#include "../core/err.h"
#include "feed_int.h"

#define OPML_MAX_OUTLINES 2000

static const char *prop(struct arena *a, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    const char *s = v && v[0] ? arena_strdup(a, (const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static void collect(struct arena *a, xmlNodePtr n, struct feed_outline *out, size_t *k)
{
    for (; n != NULL && *k < OPML_MAX_OUTLINES; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (strcmp((const char *)n->name, "outline") == 0) {
            const char *xml = prop(a, n, "xmlUrl");
            if (xml != NULL) {
                struct feed_outline *o = &out[(*k)++];
                o->xml_url = xml;
                o->html_url = prop(a, n, "htmlUrl");
                o->title = prop(a, n, "title");
                if (o->title == NULL) {
                    o->title = prop(a, n, "text");
                }
            }
        }
        collect(a, n->children, out, k); /* folders nest outlines */
    }
}

int feed_opml_parse(struct arena *a, const char *data, size_t n, struct feed_outline **out,
                    size_t *count, const char **why)
{
    *out = NULL;
    *count = 0;
    struct feed_xml *x = NULL;
    bool bozo = false;
    char msg[256];
    /* the text is UTF-8 whatever its declaration says (a form field is; a declaration of
     * UTF-16 or EBCDIC would make libxml2 misread every byte and complain on stderr) */
    int rc = feed_xml_read_enc(data, n, "UTF-8", &x, &bozo, msg, sizeof(msg), why);
    if (rc != 0) {
        return rc;
    }
    xmlNodePtr root = xmlDocGetRootElement(feed_xml_doc(x));
    if (strcmp((const char *)root->name, "opml") != 0) {
        feed_xml_free(x);
        *why = "its root element is not <opml>";
        return ERR_INVAL;
    }
    struct feed_outline *list = arena_alloc(a, OPML_MAX_OUTLINES * sizeof(*list));
    collect(a, root->children, list, count);
    feed_xml_free(x);
    *out = list;
    return 0;
}
