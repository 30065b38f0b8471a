/* Internals shared by the XML walk's files (walk.c classifies and dispatches; walk_text.c
 * reads text, attributes and inherited context). Not part of the feed module's interface. */
#ifndef GUILD_FEED_WALK_INT_H
#define GUILD_FEED_WALK_INT_H

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
#define NS_MEDIA "http://search.yahoo.com/mrss"

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
    F_RSS_SUMMARY,  /* RSS <summary>: the summary, or content when a description came first */
    F_FALLBACK_TITLE,   /* media:title: the title when the item has no other */
    F_FALLBACK_SUMMARY, /* media:description */
    F_IMAGE_LINK,       /* itunes:link rel="image" */
};

struct walker {
    struct feed_doc *d;
    struct arena *a;
    bool atom03;
    const char *atom_ns; /* a <feed> root's own namespace, whatever it is, is Atom's */
    bool cdf;            /* CDF: attributes in any case */
    /* what gave the current item's title and summary: a fallback (media:title) gives way to
     * the real element; a second summary-like element becomes content. Reset per item. */
    enum field title_from, summary_from;
    xmlNodePtr second_summary; /* <summary> beside <description> in the current RSS item */
};

/* The namespace URI of an element ("" when none). Points into the document. */
const char *walk_ns_of(xmlNodePtr n);
/* An attribute's value by name (exact or any case); NULL when absent. Points into the
 * document: valid while it lives. */
const char *walk_attr(xmlNodePtr n, const char *name);
const char *walk_attr_ci(xmlNodePtr n, const char *name);
/* s without leading and trailing white space, in a. */
char *walk_trimmed(struct arena *a, const char *s);
/* An element's text content, trimmed, in a. */
char *walk_text_of(struct arena *a, xmlNodePtr n);
/* The same, with double-encoded UTF-8 repaired in UTF-8 documents. In w->a. */
const char *walk_text_read(struct walker *w, xmlNodePtr n);
/* The xml:base and xml:lang in effect at n (inherited), in w->a; NULL when none. */
const char *walk_base_of(struct walker *w, xmlNodePtr n);
const char *walk_lang_of(struct walker *w, xmlNodePtr n);
/* The inner markup of the node list n as HTML text, appended to b. */
void walk_serialize(struct buf *b, xmlNodePtr n);
bool walk_has_element_child(xmlNodePtr n);
/* An Atom text construct (type/mode: escaped, inline or base64) into t. */
void walk_read_atom_text(struct walker *w, xmlNodePtr n, struct feed_text *t);
/* RSS's untyped text (markup inside, escaped HTML or plain) into t; html: assume HTML. */
void walk_read_rss_text(struct walker *w, xmlNodePtr n, struct feed_text *t, bool html);

#endif
