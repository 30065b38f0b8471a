/* The safe XML reader (libxml2): no network, no DTD loading, no entity substitution, and no
 * document that declares entities at all. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "feed_int.h"

#define FEED_XML_MAX (16 * 1024 * 1024)

struct feed_xml {
    xmlDocPtr doc;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser(); /* STYLE: once per process, before threads parse */
}

/* Declarations are refused before parsing: with no declaration there is nothing to expand. */
static const char *xml_prescan(const char *data, size_t n)
{
    static const char *const needles[] = {"<!ENTITY", "<!entity"};
    for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
        size_t k = strlen(needles[i]);
        for (size_t j = 0; j + k <= n; j++) {
            if (data[j] == '<' && memcmp(data + j, needles[i], k) == 0) {
                return "the feed declares XML entities, which are refused (entity expansion "
                       "and external entities are attacks)";
            }
        }
    }
    return NULL;
}

static bool known_public_dtd(const char *public_id)
{
    static const char *const known[] = {"-//Netscape Communications//DTD RSS 0.91//EN",
                                        "-//W3C//DTD XHTML 1.0 Strict//EN",
                                        "-//W3C//DTD XHTML 1.0 Transitional//EN",
                                        "-//W3C//DTD XHTML 1.1//EN"};
    for (size_t i = 0; public_id != NULL && i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(public_id, known[i]) == 0) {
            return true;
        }
    }
    return false;
}

int feed_xml_read(const char *data, size_t n, struct feed_xml **out, bool *bozo, char *msg,
                  size_t msgsz, const char **refused)
{
    return feed_xml_read_enc(data, n, NULL, out, bozo, msg, msgsz, refused);
}

int feed_xml_read_enc(const char *data, size_t n, const char *encoding, struct feed_xml **out,
                      bool *bozo, char *msg, size_t msgsz, const char **refused)
{
    pthread_once(&xml_once, xml_init);
    *out = NULL;
    *bozo = false;
    *refused = NULL;
    if (msgsz > 0) {
        msg[0] = '\0';
    }
    if (n > FEED_XML_MAX) {
        *refused = "the feed is larger than 16 MiB";
        return ERR_TOOBIG;
    }
    if ((*refused = xml_prescan(data, n)) != NULL) {
        return ERR_DENIED;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        return ERR_NOMEM;
    }
    /* no XML_PARSE_NOENT (substitution), no DTDLOAD/DTDATTR, no HUGE (keeps libxml2's limits) */
    int opts = XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)n, NULL, encoding, opts);
    if (ctxt->wellFormed == 0 || ctxt->lastError.code != XML_ERR_OK) {
        *bozo = true;
        if (msgsz > 0) {
            snprintf(msg, msgsz, "ill-formed XML at line %d: %s", ctxt->lastError.line,
                     ctxt->lastError.message ? ctxt->lastError.message : "unknown error");
            msg[strcspn(msg, "\n")] = '\0';
        }
    }
    xmlFreeParserCtxt(ctxt);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        xmlFreeDoc(doc);
        *refused = "not XML";
        return ERR_INVAL;
    }
    /* Entity declarations that slipped past the prescan are refused. An external DTD is never
     * loaded (no DTDLOAD, no network), but naming one is how XXE starts: only the public DTDs
     * real feeds carry (Netscape's RSS 0.91, W3C's XHTML) are accepted. */
    if (doc->intSubset != NULL &&
        (doc->intSubset->entities != NULL || doc->intSubset->pentities != NULL)) {
        xmlFreeDoc(doc);
        *refused = "the feed declares XML entities, which are refused";
        return ERR_DENIED;
    }
    if (doc->intSubset != NULL && doc->intSubset->SystemID != NULL &&
        !known_public_dtd((const char *)doc->intSubset->ExternalID)) {
        xmlFreeDoc(doc);
        *refused = "the feed names an external DTD, which is refused (external entities are "
                   "an attack)";
        return ERR_DENIED;
    }
    struct feed_xml *x = calloc(1, sizeof(*x));
    if (x == NULL) {
        xmlFreeDoc(doc);
        return ERR_NOMEM;
    }
    x->doc = doc;
    *out = x;
    return 0;
}

xmlDocPtr feed_xml_doc(const struct feed_xml *x)
{
    return x->doc;
}

const char *feed_xml_root_name(const struct feed_xml *doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc->doc);
    return root ? (const char *)root->name : "";
}

static xmlNodePtr child_named(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

char *feed_xml_first_text(const struct feed_xml *doc, const char *parent, const char *name)
{
    xmlNodePtr root = xmlDocGetRootElement(doc->doc);
    xmlNodePtr p = parent ? child_named(root, parent) : root;
    xmlNodePtr n = child_named(p, name);
    if (n == NULL) {
        return NULL;
    }
    xmlChar *t = xmlNodeGetContent(n);
    char *s = t ? strdup((const char *)t) : NULL;
    xmlFree(t);
    return s;
}

void feed_xml_free(struct feed_xml *doc)
{
    if (doc != NULL) {
        xmlFreeDoc(doc->doc);
        free(doc);
    }
}
