#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/esc.h"
#include "text.h"

struct md_render {
    struct buf *out;
    int image_depth; /* inside an image: its text becomes the link text */
    int link_depth;  /* inside a link: mentions stay text */
    const char *begin, *end; /* the source: md4c 0.4.8 can hand out spans reaching past it */
};

/* Clamps a span md4c gave us to the source buffer. STYLE: defence against an md4c over-read
 * found by tests/fuzz/fuzz_markdown (an unterminated autolink at the end of the input). */
static struct str md_span(const struct md_render *r, const char *p, size_t n)
{
    if (p < r->begin || p > r->end) {
        return (struct str){p, n}; /* md4c's own buffer (attributes with entities) */
    }
    size_t room = (size_t)(r->end - p);
    return (struct str){p, n < room ? n : room};
}

static bool md_url_allowed(const char *p, size_t n)
{
    static const char *const ok[] = {"http://", "https://", "mailto:"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(ok[i]);
        if (n > k && strncasecmp(p, ok[i], k) == 0) {
            return true;
        }
    }
    return false;
}

/* href="..." rel=...; a disallowed scheme renders as a plain span, keeping the text. */
static void md_open_link(struct md_render *r, const MD_ATTRIBUTE *href)
{
    struct str url = md_span(r, href->text, href->size);
    if (!md_url_allowed(url.p, url.n)) {
        buf_appendz(r->out, "<span>");
        return;
    }
    buf_appendz(r->out, "<a href=\"");
    esc_html_attr(r->out, url);
    buf_appendz(r->out, "\" rel=\"nofollow ugc noopener\">");
}

static void md_close_link(struct md_render *r, const MD_ATTRIBUTE *href)
{
    struct str url = md_span(r, href->text, href->size);
    buf_appendz(r->out, md_url_allowed(url.p, url.n) ? "</a>" : "</span>");
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md_render *r = ud;
    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_QUOTE:
        buf_appendz(r->out, "<blockquote>");
        break;
    case MD_BLOCK_UL:
        buf_appendz(r->out, "<ul>");
        break;
    case MD_BLOCK_OL: {
        const MD_BLOCK_OL_DETAIL *d = detail;
        if (d->start != 1) {
            buf_appendf(r->out, "<ol start=\"%u\">", d->start);
        } else {
            buf_appendz(r->out, "<ol>");
        }
        break;
    }
    case MD_BLOCK_LI:
        buf_appendz(r->out, "<li>");
        break;
    case MD_BLOCK_HR:
        buf_appendz(r->out, "<hr>");
        break;
    case MD_BLOCK_H: {
        /* member headings sit below the page's own h1-h3 */
        const MD_BLOCK_H_DETAIL *d = detail;
        unsigned level = d->level + 3 > 6 ? 6 : d->level + 3;
        buf_appendf(r->out, "<h%u>", level);
        break;
    }
    case MD_BLOCK_CODE:
        buf_appendz(r->out, "<pre><code>");
        break;
    case MD_BLOCK_P:
        buf_appendz(r->out, "<p>");
        break;
    default:
        break; /* tables and raw HTML are off in the parser flags */
    }
    return 0;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    struct md_render *r = ud;
    switch (type) {
    case MD_BLOCK_QUOTE:
        buf_appendz(r->out, "</blockquote>\n");
        break;
    case MD_BLOCK_UL:
        buf_appendz(r->out, "</ul>\n");
        break;
    case MD_BLOCK_OL:
        buf_appendz(r->out, "</ol>\n");
        break;
    case MD_BLOCK_LI:
        buf_appendz(r->out, "</li>\n");
        break;
    case MD_BLOCK_H: {
        const MD_BLOCK_H_DETAIL *d = detail;
        unsigned level = d->level + 3 > 6 ? 6 : d->level + 3;
        buf_appendf(r->out, "</h%u>\n", level);
        break;
    }
    case MD_BLOCK_CODE:
        buf_appendz(r->out, "</code></pre>\n");
        break;
    case MD_BLOCK_P:
        buf_appendz(r->out, "</p>\n");
        break;
    default:
        break;
    }
    return 0;
}

static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    struct md_render *r = ud;
    if (r->image_depth > 0) {
        if (type == MD_SPAN_IMG) {
            r->image_depth++;
        }
        return 0; /* only text inside an image's alt */
    }
    switch (type) {
    case MD_SPAN_EM:
        buf_appendz(r->out, "<em>");
        break;
    case MD_SPAN_STRONG:
        buf_appendz(r->out, "<strong>");
        break;
    case MD_SPAN_CODE:
        buf_appendz(r->out, "<code>");
        break;
    case MD_SPAN_A:
        md_open_link(r, &((const MD_SPAN_A_DETAIL *)detail)->href);
        r->link_depth++;
        break;
    case MD_SPAN_IMG:
        /* STYLE: no remote images in comments (tracking pixels); show a link instead */
        md_open_link(r, &((const MD_SPAN_IMG_DETAIL *)detail)->src);
        r->image_depth = 1;
        break;
    default:
        break;
    }
    return 0;
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    struct md_render *r = ud;
    if (r->image_depth > 0) {
        if (type == MD_SPAN_IMG && --r->image_depth == 0) {
            md_close_link(r, &((const MD_SPAN_IMG_DETAIL *)detail)->src);
        }
        return 0;
    }
    switch (type) {
    case MD_SPAN_EM:
        buf_appendz(r->out, "</em>");
        break;
    case MD_SPAN_STRONG:
        buf_appendz(r->out, "</strong>");
        break;
    case MD_SPAN_CODE:
        buf_appendz(r->out, "</code>");
        break;
    case MD_SPAN_A:
        md_close_link(r, &((const MD_SPAN_A_DETAIL *)detail)->href);
        r->link_depth--;
        break;
    default:
        break;
    }
    return 0;
}

/* Text with each @handle a link to the member's profile. */
static void md_text_mentions(struct md_render *r, struct str t)
{
    size_t from = 0, at, len;
    while (text_mention_next(t, from, &at, &len)) {
        esc_html_text(r->out, (struct str){t.p + from, at - from});
        buf_appendz(r->out, "<a class=\"mention\" href=\"/u/");
        esc_html_attr(r->out, (struct str){t.p + at + 1, len - 1});
        buf_appendz(r->out, "\">");
        esc_html_text(r->out, (struct str){t.p + at, len});
        buf_appendz(r->out, "</a>");
        from = at + len;
    }
    esc_html_text(r->out, (struct str){t.p + from, t.n - from});
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud)
{
    struct md_render *r = ud;
    switch (type) {
    case MD_TEXT_NULLCHAR:
        buf_appendz(r->out, "\xEF\xBF\xBD");
        break;
    case MD_TEXT_BR:
        buf_appendz(r->out, r->image_depth ? " " : "<br>");
        break;
    case MD_TEXT_SOFTBR:
        buf_appendc(r->out, '\n');
        break;
    case MD_TEXT_NORMAL:
        if (r->link_depth == 0 && r->image_depth == 0) {
            md_text_mentions(r, md_span(r, text, size));
            break;
        }
        esc_html_text(r->out, md_span(r, text, size));
        break;
    case MD_TEXT_ENTITY:
        /* entities are shown as typed (escaped): no decoding table needed, nothing unsafe */
    default:
        esc_html_text(r->out, md_span(r, text, size));
        break;
    }
    return 0;
}

int text_markdown_html(struct buf *out, struct str src)
{
    /* a NUL-terminated copy: md4c's own reads one past the end then stay in our allocation */
    char *copy = xmalloc(src.n + 1);
    memcpy(copy, src.p, src.n);
    copy[src.n] = '\0';
    struct md_render r = {out, 0, 0, copy, copy + src.n};
    MD_PARSER parser;
    memset(&parser, 0, sizeof(parser));
    parser.flags = MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_STRIKETHROUGH;
    parser.enter_block = md_enter_block;
    parser.leave_block = md_leave_block;
    parser.enter_span = md_enter_span;
    parser.leave_span = md_leave_span;
    parser.text = md_text;
    int rc = md_parse(copy, (MD_SIZE)src.n, &parser, &r) != 0 ? ERR_INVAL : 0;
    free(copy);
    if (rc != 0) {
        return rc;
    }
    return buf_err(out) ? ERR_TOOBIG : 0;
}

void text_excerpt(struct buf *out, struct str src, size_t max_chars)
{
    size_t chars = 0, i = 0, last_space = 0;
    while (i < src.n && chars < max_chars) {
        if (src.p[i] == ' ' || src.p[i] == '\n') {
            last_space = i;
        }
        i++;
        while (i < src.n && ((unsigned char)src.p[i] & 0xc0) == 0x80) {
            i++;
        }
        chars++;
    }
    if (i >= src.n) {
        esc_html_text(out, src);
        return;
    }
    size_t cut = last_space > 0 ? last_space : i;
    esc_html_text(out, (struct str){src.p, cut});
    buf_appendz(out, "\xE2\x80\xA6");
}
