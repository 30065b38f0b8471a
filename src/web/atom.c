/* Atom feeds: every Atom document the site serves is written here (front page, directory,
 * river, digest, saved searches). Text goes through the one escaping path. */
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "web_int.h"

const char *web_base_url(struct http_request *rq)
{
    return app_base_url(rq);
}

static void atom_time(struct buf *b, int64_t t)
{
    char s[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_appendz(b, s);
}

void atom_begin(struct http_request *rq, const char *title, const char *self, int64_t updated)
{
    struct buf *b = &rq->out;
    const char *base = web_base_url(rq);
    rq->content_type = "application/atom+xml; charset=utf-8";
    HTML_LIT(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    esc_xml_text(b, str_z(rq->app->cfg.site_name));
    HTML_LIT(b, ": ");
    esc_xml_text(b, str_z(title));
    HTML_LIT(b, "</title>\n<id>");
    esc_xml_text(b, str_z(base));
    esc_xml_text(b, str_z(self));
    HTML_LIT(b, "</id>\n<link rel=\"self\" href=\"");
    esc_xml_text(b, str_z(base));
    esc_xml_text(b, str_z(self));
    HTML_LIT(b, "\"/>\n<updated>");
    atom_time(b, updated ? updated : rq->now);
    HTML_LIT(b, "</updated>\n");
    char *about;
    if (store_setting_get(http_db(rq), &rq->arena, "about", &about) == 0 && about[0] != '\0') {
        HTML_LIT(b, "<subtitle>");
        esc_xml_text(b, str_z(about));
        HTML_LIT(b, "</subtitle>\n"); /* the guild's description, in the admins' words */
    }
}

void atom_entry(struct http_request *rq, const char *id, const char *title, const char *link,
                const char *replies, const char *author, int64_t updated, const char *summary)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<entry>\n<title>");
    esc_xml_text(b, str_z(title));
    HTML_LIT(b, "</title>\n<id>");
    esc_xml_text(b, str_z(id));
    HTML_LIT(b, "</id>\n<link href=\"");
    esc_xml_text(b, str_z(link));
    HTML_LIT(b, "\"/>\n");
    if (replies != NULL) {
        HTML_LIT(b, "<link rel=\"replies\" href=\"");
        esc_xml_text(b, str_z(replies));
        HTML_LIT(b, "\"/>\n");
    }
    HTML_LIT(b, "<author><name>");
    esc_xml_text(b, str_z(author && author[0] ? author : "unknown"));
    HTML_LIT(b, "</name></author>\n<updated>");
    atom_time(b, updated);
    HTML_LIT(b, "</updated>\n<summary>");
    esc_xml_text(b, str_z(summary));
    HTML_LIT(b, "</summary>\n</entry>\n");
}

void atom_end(struct http_request *rq)
{
    HTML_LIT(&rq->out, "</feed>\n");
}
