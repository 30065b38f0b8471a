/* JSON Feed 1.0 / 1.1 (jsonfeed.org) into a feed_doc, read with jansson. Pure. */
#include <jansson.h>
#include <string.h>

#include "../core/err.h"
#include "feed_int.h"

static const char *jstr(struct arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

static void jplain(struct feed_text *t, const char *s)
{
    if (s != NULL) {
        t->value = s;
        t->type = "text/plain";
    }
}

static void jdate(struct arena *a, json_t *o, const char *key, const char **field, int64_t *at)
{
    const char *s = jstr(a, o, key);
    int64_t t;
    if (s != NULL && feed_parse_date(s, &t)) {
        char *out = arena_alloc(a, 32);
        feed_format_date(t, out, 32);
        *field = out;
        *at = t;
    }
}

/* "author" (1.0) or the first of "authors" (1.1). */
static void jauthor(struct arena *a, json_t *o, struct feed_item *it)
{
    json_t *au = json_object_get(o, "author");
    json_t *list = json_object_get(o, "authors");
    if (!json_is_object(au) && json_is_array(list) && json_array_size(list) > 0) {
        au = json_array_get(list, 0);
    }
    if (json_is_object(au)) {
        it->author = it->author_name = jstr(a, au, "name");
        it->author_href = jstr(a, au, "url");
    }
}

static void jlink(struct arena *a, struct feed_item *it, const char *href, const char *rel,
                  const char *type, const char *base)
{
    if (href == NULL) {
        return;
    }
    struct feed_link *l = feed_add_link(a, it);
    l->href = feed_resolve_url(a, href, base);
    l->rel = rel;
    l->type = type;
}

int feed_parse_json(struct feed_doc *d, const char *data, size_t n, const char *base)
{
    struct arena *a = d->a;
    json_error_t err;
    json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &err);
    int rc = ERR_INVAL;
    if (!json_is_object(root)) {
        goto cleanup;
    }
    const char *version = jstr(a, root, "version");
    json_t *items = json_object_get(root, "items");
    if (version == NULL || strstr(version, "jsonfeed.org/version/") == NULL ||
        !json_is_array(items)) {
        goto cleanup;
    }
    d->version = strstr(version, "version/1.1") ? "json11" : "json1";
    struct feed_item *f = &d->feed;
    jplain(&f->title, jstr(a, root, "title"));
    jplain(&f->summary, jstr(a, root, "description"));
    const char *home = jstr(a, root, "home_page_url");
    jlink(a, f, home, "alternate", "text/html", base);
    f->link = f->nlinks ? f->links[0].href : NULL;
    jlink(a, f, jstr(a, root, "feed_url"), "self", "application/feed+json", base);
    const char *icon = jstr(a, root, "icon");
    f->image = icon ? feed_resolve_url(a, icon, base) : NULL;
    f->language = jstr(a, root, "language");
    jauthor(a, root, f);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (!json_is_object(item)) {
            continue;
        }
        struct feed_item *e = feed_add_entry(d);
        json_t *id = json_object_get(item, "id");
        e->id = json_is_string(id)    ? arena_strdup(a, json_string_value(id))
                : json_is_integer(id) ? arena_printf(a, "%lld", (long long)json_integer_value(id))
                                      : NULL;
        jplain(&e->title, jstr(a, item, "title"));
        jlink(a, e, jstr(a, item, "url"), "alternate", "text/html", base);
        e->link = e->nlinks ? e->links[0].href : NULL;
        jlink(a, e, jstr(a, item, "external_url"), "related", NULL, base);
        const char *html = jstr(a, item, "content_html"), *text = jstr(a, item, "content_text");
        if (html != NULL) {
            feed_set_text(a, feed_add_content(a, e), html, "text/html", base, NULL);
        }
        if (text != NULL) {
            feed_set_text(a, feed_add_content(a, e), text, "text/plain", base, NULL);
        }
        jplain(&e->summary, jstr(a, item, "summary"));
        jdate(a, item, "date_published", &e->published, &e->published_at);
        jdate(a, item, "date_modified", &e->updated, &e->updated_at);
        jauthor(a, item, e);
        json_t *tags = json_object_get(item, "tags"), *tag;
        size_t k;
        json_array_foreach(tags, k, tag)
        {
            if (json_is_string(tag)) {
                feed_add_tag(a, e, arena_strdup(a, json_string_value(tag)));
            }
        }
        json_t *atts = json_object_get(item, "attachments"), *att;
        json_array_foreach(atts, k, att)
        {
            if (json_is_object(att)) {
                jlink(a, e, jstr(a, att, "url"), "enclosure", jstr(a, att, "mime_type"), base);
            }
        }
    }
    rc = 0;
cleanup:
    json_decref(root);
    return rc;
}
