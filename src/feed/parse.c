/* feed_parse: encoding to UTF-8, JSON Feed or the safe XML reader, the tree walk, and the
 * interface JSON. Also the growable arrays and text helpers the walkers share. Pure. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <string.h>

#include "../core/err.h"
#include "../core/json.h"
#include "feed_int.h"

#define FEED_MAX_BYTES (16 * 1024 * 1024)

/* Doubles an arena array (the old block stays in the arena until it is freed). */
static void *grow(struct arena *a, void *old, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) {
        return old;
    }
    size_t nc = *cap ? *cap * 2 : 4;
    void *p = arena_alloc(a, nc * size);
    if (old != NULL) {
        memcpy(p, old, n * size);
    }
    *cap = nc;
    return p;
}

struct feed_item *feed_add_entry(struct feed_doc *d)
{
    d->entries = grow(d->a, d->entries, &d->capentries, d->nentries, sizeof(*d->entries));
    struct feed_item *e = &d->entries[d->nentries++];
    memset(e, 0, sizeof(*e));
    return e;
}

struct feed_link *feed_add_link(struct arena *a, struct feed_item *it)
{
    it->links = grow(a, it->links, &it->caplinks, it->nlinks, sizeof(*it->links));
    struct feed_link *l = &it->links[it->nlinks++];
    memset(l, 0, sizeof(*l));
    return l;
}

void feed_add_tag(struct arena *a, struct feed_item *it, const char *term)
{
    if (term == NULL || term[0] == '\0') {
        return;
    }
    for (size_t i = 0; i < it->ntags; i++) {
        if (strcmp(it->tags[i], term) == 0) {
            return;
        }
    }
    it->tags = grow(a, it->tags, &it->captags, it->ntags, sizeof(*it->tags));
    it->tags[it->ntags++] = term;
}

struct feed_text *feed_add_content(struct arena *a, struct feed_item *it)
{
    it->content = grow(a, it->content, &it->capcontent, it->ncontent, sizeof(*it->content));
    struct feed_text *t = &it->content[it->ncontent++];
    memset(t, 0, sizeof(*t));
    return t;
}

bool feed_looks_like_html(const char *s)
{
    for (const char *p = s; (p = strchr(p, '<')) != NULL; p++) {
        if (p[1] == '/' && isalpha((unsigned char)p[2])) {
            const char *q = p + 2;
            while (isalnum((unsigned char)*q)) {
                q++;
            }
            if (*q == '>') {
                return true; /* an end tag */
            }
        }
    }
    for (const char *p = s; (p = strchr(p, '&')) != NULL; p++) {
        const char *q = p + 1 + (p[1] == '#');
        const char *start = q;
        while (isalnum((unsigned char)*q)) {
            q++;
        }
        if (q > start && *q == ';') {
            return true; /* a character reference */
        }
    }
    return false;
}

void feed_set_text(struct arena *a, struct feed_text *t, const char *raw, const char *type,
                   const char *base, const char *lang)
{
    t->type = type;
    t->base = base;
    t->language = lang;
    raw = feed_fix_c1(a, raw);
    if (strstr(type, "html") != NULL) { /* any HTML-ish type is treated as HTML */
        struct buf b;
        buf_init(&b, 0);
        feed_sanitize_html(a, &b, raw, base);
        const char *v = buf_cstr(&b);
        size_t n = b.len;
        while (n > 0 && isspace((unsigned char)v[n - 1])) {
            n--;
        }
        while (n > 0 && isspace((unsigned char)*v)) {
            v++;
            n--;
        }
        t->value = arena_strndup(a, v, n);
        buf_fini(&b);
    } else {
        t->value = raw;
    }
}

static bool looks_like_json(const char *data, size_t n, const char *content_type)
{
    if (content_type && strstr(content_type, "json")) {
        return true;
    }
    size_t i = 0;
    if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        i = 3;
    }
    while (i < n && isspace((unsigned char)data[i])) {
        i++;
    }
    return i < n && data[i] == '{';
}

/* True when s holds nothing but white space, comments, processing instructions and
 * declarations: an empty document, not a document of something else. */
static bool no_content(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (isspace((unsigned char)s[i])) {
            i++;
            continue;
        }
        if (s[i] != '<' || i + 1 >= n || (s[i + 1] != '!' && s[i + 1] != '?')) {
            return false;
        }
        bool comment = n - i >= 4 && memcmp(s + i, "<!--", 4) == 0;
        const char *end = comment ? memmem(s + i + 4, n - i - 4, "-->", 3)
                                  : memchr(s + i, '>', n - i);
        if (end == NULL) {
            return false;
        }
        i = (size_t)(end - s) + (comment ? 3 : 1);
    }
    return true;
}

/* A snippet for every entry that has a body, whatever the format. */
static void summaries_from_content(struct feed_doc *d)
{
    for (size_t i = 0; i < d->nentries; i++) {
        struct feed_item *e = &d->entries[i];
        if (e->summary.value == NULL && e->ncontent > 0) {
            e->summary = e->content[0];
        }
    }
}

int feed_parse(struct arena *a, const char *data, size_t n, const struct feed_headers *h,
               const char *base, struct feed_doc **out, const char **refused)
{
    const char *content_type = h ? h->content_type : NULL;
    *out = NULL;
    *refused = NULL;
    if (n > FEED_MAX_BYTES) {
        *refused = "the feed is larger than 16 MiB";
        return ERR_TOOBIG;
    }
    struct feed_doc *d = arena_alloc(a, sizeof(*d));
    d->a = a;
    d->version = "";
    if (looks_like_json(data, n, content_type)) {
        d->encoding = "utf-8";
        if (feed_parse_json(d, data, n, base) != 0) {
            *refused = "not a JSON Feed (the document is not JSON, or has no items)";
            return ERR_INVAL;
        }
        summaries_from_content(d);
        *out = d;
        return 0;
    }
    size_t un = 0;
    const char *msg = NULL;
    char *utf8 = feed_to_utf8(a, data, n, content_type, &d->encoding, &un, &d->bozo, &msg);
    d->bozo_message = msg;
    struct feed_xml *x = NULL;
    bool xml_bozo = false;
    char xml_msg[256];
    int rc = feed_xml_read_enc(utf8, un, "UTF-8", &x, &xml_bozo, xml_msg, sizeof(xml_msg),
                               refused);
    if (rc == ERR_INVAL && no_content(utf8, un)) {
        d->bozo = true; /* an empty feed: read, with nothing in it */
        d->bozo_message = "the document is empty (no root element)";
        *refused = NULL;
        *out = d;
        return 0;
    }
    if (rc != 0) {
        return rc;
    }
    if (xml_bozo) {
        d->bozo = true;
        d->bozo_message = arena_strdup(a, xml_msg); /* the XML problem is the one to report */
    }
    feed_walk(d, feed_xml_doc(x), base, h ? h->content_language : NULL);
    feed_xml_free(x);
    summaries_from_content(d);
    *out = d;
    return 0;
}

static void json_text_detail(struct json_w *w, const char *key, const struct feed_text *t)
{
    json_w_key(w, key);
    if (t->value == NULL) {
        json_w_null(w);
        return;
    }
    json_w_begin_object(w);
    json_w_kstr(w, "type", t->type);
    json_w_kstr(w, "value", t->value);
    json_w_kstr(w, "language", t->language);
    json_w_kstr(w, "base", t->base);
    json_w_end(w, '}');
}

/* RSS <image>'s title, link and description beside its URL, when it has any. */
static void json_image_detail(struct json_w *w, const struct feed_item *it)
{
    if (it->image_title == NULL && it->image_link == NULL && it->image_description == NULL) {
        return;
    }
    json_w_key(w, "image_detail");
    json_w_begin_object(w);
    json_w_kstr(w, "href", it->image);
    json_w_kstr(w, "title", it->image_title);
    json_w_kstr(w, "link", it->image_link);
    json_w_kstr(w, "description", it->image_description);
    json_w_end(w, '}');
}

static void json_item(struct json_w *w, const struct feed_item *it, bool feed)
{
    json_w_begin_object(w);
    if (feed) {
        json_w_kstr(w, "title", it->title.value);
        json_w_kstr(w, "link", it->link);
    } else {
        json_w_kstr(w, "id", it->id);
        json_w_kstr(w, "title", it->title.value);
        json_w_kstr(w, "link", it->link);
    }
    json_w_key(w, "links");
    json_w_begin_array(w);
    for (size_t i = 0; i < it->nlinks; i++) {
        const struct feed_link *l = &it->links[i];
        json_w_begin_object(w);
        json_w_kstr(w, "href", l->href);
        json_w_kstr(w, "rel", l->rel);
        json_w_kstr(w, "type", l->type);
        if (l->title) {
            json_w_kstr(w, "title", l->title);
        }
        if (l->length) {
            json_w_kstr(w, "length", l->length);
        }
        json_w_end(w, '}');
    }
    json_w_end(w, ']');
    if (feed) {
        json_w_kstr(w, "subtitle", it->summary.value);
        json_w_kstr(w, "id", it->id);
    }
    json_w_kstr(w, "author", it->author);
    if (it->author || it->author_email || it->author_href) {
        json_w_key(w, "author_detail");
        json_w_begin_object(w);
        json_w_kstr(w, "name", it->author_name);
        json_w_kstr(w, "email", it->author_email);
        json_w_kstr(w, "href", it->author_href);
        json_w_end(w, '}');
    }
    if (!feed) {
        json_w_kstr(w, "published", it->published);
    }
    json_w_kstr(w, "updated", it->updated);
    if (feed) {
        json_w_kstr(w, "published", it->published);
        json_w_kstr(w, "language", it->language);
        json_w_kstr(w, "image", it->image);
        json_image_detail(w, it);
        if (it->ttl_minutes > 0) {
            json_w_ki64(w, "ttl", it->ttl_minutes);
        }
    } else {
        json_w_kstr(w, "summary", it->summary.value);
        json_w_kstr(w, "language", it->language);
        if (it->image) {
            json_w_kstr(w, "image", it->image);
        }
        json_w_key(w, "content");
        json_w_begin_array(w);
        for (size_t i = 0; i < it->ncontent; i++) {
            const struct feed_text *c = &it->content[i];
            json_w_begin_object(w);
            json_w_kstr(w, "type", c->type);
            json_w_kstr(w, "value", c->value);
            json_w_kstr(w, "language", c->language);
            json_w_kstr(w, "base", c->base);
            json_w_end(w, '}');
        }
        json_w_end(w, ']');
    }
    json_w_key(w, "tags");
    json_w_begin_array(w);
    for (size_t i = 0; i < it->ntags; i++) {
        json_w_str(w, it->tags[i]);
    }
    json_w_end(w, ']');
    json_w_kstr(w, "rights", it->rights.value);
    json_text_detail(w, "rights_detail", &it->rights);
    json_text_detail(w, "title_detail", &it->title);
    json_text_detail(w, feed ? "subtitle_detail" : "summary_detail", &it->summary);
    json_w_end(w, '}');
}

void feed_doc_json(struct buf *b, const struct feed_doc *d)
{
    struct json_w w;
    json_w_init(&w, b);
    json_w_begin_object(&w);
    json_w_kstr(&w, "version", d->version);
    json_w_kbool(&w, "bozo", d->bozo);
    json_w_kstr(&w, "bozo_message", d->bozo_message ? d->bozo_message : "");
    json_w_kstr(&w, "encoding", d->encoding);
    json_w_key(&w, "feed");
    json_item(&w, &d->feed, true);
    json_w_key(&w, "entries");
    json_w_begin_array(&w);
    for (size_t i = 0; i < d->nentries; i++) {
        json_item(&w, &d->entries[i], false);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    buf_appendc(b, '\n');
}
