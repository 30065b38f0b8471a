/* Submitting a link and nominating a blog. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "web_int.h"

static const char *field_value(struct http_request *rq, const char *name)
{
    const char *v = http_form(rq, name);
    if (v == NULL && strcmp(rq->method, "GET") == 0) {
        v = http_query(rq, name); /* prefilled links (OPML import's "nominate it") */
    }
    return v ? v : "";
}

static int render_submit(struct http_request *rq, bool blog, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, blog ? "Nominate a blog" : "Submit a link");
    HTML_LIT(b, "<h1>");
    html_text(b, blog ? "Nominate a blog" : "Submit a link");
    HTML_LIT(b, "</h1>\n<p class=\"tabs\"><a href=\"/submit\">Submit a link</a> · "
                "<a href=\"/submit?kind=blog\">Nominate a blog</a></p>\n");
    if (blog) {
        HTML_LIT(b, "<p class=\"intro\">The honor rule: nominate blogs you read, not your own "
                    "organisation's.</p>\n");
    } else {
        HTML_LIT(b, "<p class=\"intro\">Links to your own organisation's site are allowed but "
                    "marked as such, and count on your profile.</p>\n");
        bool promoter = false;
        if (rules_self_promoter(http_db(rq), &rq->app->cfg.policy, rq->user, &promoter) == 0 &&
            promoter) {
            HTML_LIT(b, "<p class=\"error\" role=\"alert\">More than one in six of your recent "
                        "links are your own organisation's or your own writing. Share more "
                        "from others: until then your own links wait for a moderator before "
                        "they are listed.</p>\n");
        }
    }
    HTML_LIT(b, "<form class=\"stack\" method=\"post\" action=\"/submit\">");
    html_csrf(rq);
    html_error_box(b, error);
    HTML_LIT(b, "<input type=\"hidden\" name=\"kind\" value=\"");
    html_attr(b, blog ? "blog" : "link");
    HTML_LIT(b, "\">");
    html_field(b, "url", blog ? "Blog address" : "Link", "url", field_value(rq, "url"), NULL, true,
               NULL);
    html_field_max(b, "title", "Title", "text", field_value(rq, "title"), NULL, true, NULL,
                   RULES_TITLE_MAX);
    if (blog) {
        html_field(b, "feed_url", "Feed address (optional)", "url", field_value(rq, "feed_url"),
                   NULL, false, "RSS or Atom; we can find it later if you leave it empty.");
    }
    HTML_LIT(b, "<label for=\"text\">");
    html_text(b, blog ? "What makes it worth reading" : "Your commentary (optional, Markdown)");
    HTML_LIT(b, "</label><textarea id=\"text\" name=\"text\" rows=\"5\">");
    html_text(b, field_value(rq, "text"));
    HTML_LIT(b, "</textarea><fieldset class=\"tags\"><legend>Tags (up to 4)</legend>");
    for (size_t i = 0; rules_tags[i] != NULL; i++) {
        const char *name = arena_printf(&rq->arena, "tag_%s", rules_tags[i]);
        HTML_LIT(b, "<label class=\"tag\"><input type=\"checkbox\" name=\"");
        html_attr(b, name);
        HTML_LIT(b, "\" value=\"1\"");
        if (http_form(rq, name) != NULL) {
            HTML_LIT(b, " checked");
        }
        HTML_LIT(b, "> ");
        html_text(b, rules_tags[i]);
        HTML_LIT(b, "</label> ");
    }
    HTML_LIT(b, "</fieldset>");
    if (!blog) {
        HTML_LIT(b, "<label class=\"tag\"><input type=\"checkbox\" name=\"authored\" value=\"1\"");
        if (http_form(rq, "authored") != NULL) {
            HTML_LIT(b, " checked");
        }
        HTML_LIT(b, "> I wrote this</label>");
    }
    HTML_LIT(b, "<button>");
    html_text(b, blog ? "Nominate" : "Submit");
    HTML_LIT(b, "</button></form>\n");
    page_end(rq);
    return 0;
}

int web_submit_form(struct http_request *rq)
{
    const char *kind = http_query(rq, "kind");
    return render_submit(rq, kind != NULL && strcmp(kind, "blog") == 0, NULL);
}

int web_submit(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (limited != 0) {
        return limited;
    }
    struct buf tags;
    buf_init(&tags, 1024);
    for (size_t i = 0; rules_tags[i] != NULL; i++) {
        if (http_form(rq, arena_printf(&rq->arena, "tag_%s", rules_tags[i])) != NULL) {
            buf_appendz(&tags, rules_tags[i]);
            buf_appendc(&tags, ' ');
        }
    }
    struct rules_submission in = {.kind = http_form(rq, "kind"),
                                  .url = http_form(rq, "url"),
                                  .title = http_form(rq, "title"),
                                  .text = http_form(rq, "text"),
                                  .feed_url = http_form(rq, "feed_url"),
                                  .tags = arena_strdup(&rq->arena, buf_cstr(&tags)),
                                  .authored = http_form(rq, "authored") != NULL};
    buf_fini(&tags);
    in.topic_known = app_topic_score(rq->app, in.title, in.text, &in.topic_score,
                                     &in.topic_removals);
    int64_t id = 0;
    struct rules_error e = {0};
    int rc = rules_submit(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in, &id, &e);
    if (rc == 0 || rc == ERR_EXISTS) {
        app_note_write(rq->app);
        return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld%s", (long long)id,
                                              rc == ERR_EXISTS ? "?existing=1" : ""));
    }
    if (rc == ERR_INVAL || rc == ERR_DENIED) {
        web_form_status(rq, rc);
        return render_submit(rq, in.kind != NULL && strcmp(in.kind, "blog") == 0,
                             web_rules_message(&e));
    }
    return rc;
}
