/* Unit tests for the feed parser: what a reader of a Guild page would notice — scripts and
 * event handlers never get through, relative links work, dates and encodings come out right,
 * broken feeds are still read and flagged, attacks are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../core/err.h"
#include "feed.h"

static const char *sanitize(struct arena *a, const char *html, const char *base)
{
    struct buf b;
    buf_init(&b, 0);
    feed_sanitize_html(a, &b, html, base);
    const char *out = arena_strdup(a, buf_cstr(&b));
    buf_fini(&b);
    return out;
}

static void sanitiser_removes_what_could_run(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    assert_string_equal(sanitize(&a, "safe<script>alert(1)</script> <b>text</b>", NULL),
                        "safe <b>text</b>");
    assert_string_equal(sanitize(&a, "<img src=\"x.png\" onerror=\"alert(1)\">", "http://b.org/p/"),
                        "<img src=\"http://b.org/p/x.png\" />");
    assert_string_equal(sanitize(&a, "<a href=\"javascript:alert(1)\">x</a>", NULL), "<a>x</a>");
    assert_string_equal(sanitize(&a, "<a href=\" jav&#x09;ascript:x\">x</a>", NULL), "<a>x</a>");
    assert_string_equal(sanitize(&a, "<iframe src=\"http://e.com\"></iframe>ok", NULL), "ok");
    assert_string_equal(sanitize(&a, "<form action=\"http://e.com\"><input name=p></form>", NULL),
                        "");
    assert_string_equal(sanitize(&a, "<style>b{}</style><span style=\"color: red; "
                                     "background: url(http://e.com/x); position: absolute\">t</span>",
                                 NULL),
                        "<span style=\"color: red;\">t</span>");
    assert_string_equal(sanitize(&a, "<img src=\"data:image/png;base64,AAAA\">", NULL),
                        "<img src=\"data:image/png;base64,AAAA\" />");
    assert_string_equal(sanitize(&a, "<img src=\"data:text/html,x\">", NULL), "<img />");
    /* a control character inside "image" makes it no image for a browser (fuzzer-found);
     * inside "javascript" it is refused all the same */
    assert_string_equal(sanitize(&a, "<i loop=\"data:imag\x1f" "e/png,x\">t</i>", NULL),
                        "<i>t</i>");
    assert_string_equal(sanitize(&a, "<a href=\"java\x01script:x()\">t</a>", NULL), "<a>t</a>");
    arena_fini(&a);
}

static void sanitiser_output_is_balanced(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    /* an unclosed tag cannot swallow the rest of a Guild page */
    assert_string_equal(sanitize(&a, "<p>one <b>two", NULL), "<p>one <b>two</b></p>");
    assert_string_equal(sanitize(&a, "</div>stray end", NULL), "stray end");
    assert_string_equal(sanitize(&a, "a < b & c", NULL), "a &lt; b &amp; c");
    assert_string_equal(sanitize(&a, "<!-- hidden --><![CDATA[<b>]]>", NULL), "&lt;b&gt;");
    arena_fini(&a);
}

static void plain_text_for_search(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    feed_plain_text(&b, "<p>Caf&eacute;  <b>pricing</b></p><script>var x;</script>&amp; more");
    assert_string_equal(buf_cstr(&b), "Caf\xc3\xa9 pricing & more");
    buf_fini(&b);
}

static void dates_in_every_common_form(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Sat, 07 Sep 2002 00:00:01 GMT", "2002-09-07T00:00:01Z"},
        {"07 Sep 2002 09:00:01 +0900", "2002-09-07T00:00:01Z"},
        {"Sat, 7 Sep 02 00:00:01 EDT", "2002-09-07T04:00:01Z"},
        {"Saturday, 07 September 2002 00:00 PST", "2002-09-07T08:00:00Z"},
        {"2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"},
        {"2003-12-31T10:14:55.123-08:00", "2003-12-31T18:14:55Z"},
        {"2003-12-31", "2003-12-31T00:00:00Z"},
        {"2003-12", "2003-12-01T00:00:00Z"},
        {"20031231T101455Z", "2003-12-31T10:14:55Z"},
        {"2004-02-28 18:14:55", "2004-02-28T18:14:55Z"},
        {"Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t t;
        char out[32];
        assert_true(feed_parse_date(cases[i].in, &t));
        feed_format_date(t, out, sizeof(out));
        assert_string_equal(out, cases[i].out);
    }
    int64_t t;
    assert_false(feed_parse_date("yesterday", &t));
    assert_false(feed_parse_date("2003-13-45", &t));
    assert_false(feed_parse_date("", &t));
}

static struct feed_doc *parse(struct arena *a, const char *xml, size_t n, const char *ctype)
{
    struct feed_doc *d = NULL;
    const char *refused = NULL;
    struct feed_headers h = {ctype, NULL};
    assert_int_equal(feed_parse(a, xml, n, &h, "http://blog.example/feed/", &d, &refused), 0);
    return d;
}

static void encodings_become_utf8(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    /* Latin-1 as declared; 0x92 is the curly apostrophe Windows-1252 means */
    const char latin[] = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\">"
                         "<channel><title>Caf\xe9 don\x92t</title></channel></rss>";
    struct feed_doc *d = parse(&a, latin, sizeof(latin) - 1, NULL);
    assert_string_equal(d->encoding, "iso-8859-1");
    assert_string_equal(d->feed.title.value, "Caf\xc3\xa9 don\xe2\x80\x99t");
    assert_false(d->bozo);
    /* UTF-16 with a byte-order mark */
    const char *ascii = "<rss><channel><title>wide</title></channel></rss>";
    char wide[128] = "\xff\xfe";
    size_t n = 2;
    for (const char *p = ascii; *p; p++) {
        wide[n++] = *p;
        wide[n++] = 0;
    }
    d = parse(&a, wide, n, NULL);
    assert_string_equal(d->feed.title.value, "wide");
    /* a charset that lies: read anyway, flagged */
    const char lying[] = "<rss><channel><title>na\xc3\xafve</title></channel></rss>";
    d = parse(&a, lying, sizeof(lying) - 1, "text/xml; charset=us-ascii");
    assert_true(d->bozo);
    assert_non_null(strstr(d->feed.title.value, "na"));
    arena_fini(&a);
}

static void formats_share_one_shape(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char atom[] =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://blog.example/\">"
        "<title type=\"html\">B2B &lt;i&gt;notes&lt;/i&gt;</title><entry><id>tag:x,1</id>"
        "<title>Pricing pages</title><link href=\"/posts/1\"/><updated>2026-11-20T10:00:00+01:00"
        "</updated><author><name>Ada</name></author><category term=\"pricing\"/>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"x()\">"
        "Body <a href=\"a.html\">link</a></p></div></content></entry></feed>";
    struct feed_doc *d = parse(&a, atom, sizeof(atom) - 1, NULL);
    assert_string_equal(d->version, "atom10");
    assert_string_equal(d->feed.title.value, "B2B <i>notes</i>");
    assert_int_equal(d->nentries, 1);
    struct feed_item *e = &d->entries[0];
    assert_string_equal(e->link, "http://blog.example/posts/1");
    assert_string_equal(e->updated, "2026-11-20T09:00:00Z");
    assert_string_equal(e->author, "Ada");
    assert_string_equal(e->tags[0], "pricing");
    assert_string_equal(e->content[0].value,
                        "<p>Body <a href=\"http://blog.example/a.html\">link</a></p>");
    assert_string_equal(e->summary.value, e->content[0].value); /* a snippet from the body */

    const char rss[] = "<rss version=\"2.0\"><channel><title>T</title><ttl>90</ttl><item>"
                       "<guid>http://blog.example/p/2</guid><description>&lt;b&gt;Hi&lt;/b&gt; "
                       "&amp;amp; bye</description><pubDate>Mon, 23 Nov 2026 08:00:00 GMT"
                       "</pubDate></item></channel></rss>";
    d = parse(&a, rss, sizeof(rss) - 1, NULL);
    assert_string_equal(d->version, "rss20");
    assert_int_equal(d->feed.ttl_minutes, 90);
    assert_string_equal(d->entries[0].link, "http://blog.example/p/2"); /* a permalink guid */
    assert_string_equal(d->entries[0].summary.value, "<b>Hi</b> &amp; bye");
    assert_string_equal(d->entries[0].published, "2026-11-23T08:00:00Z");

    const char json[] = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\","
                        "\"items\":[{\"id\":7,\"url\":\"/j/7\",\"content_html\":"
                        "\"<p>x</p><script>y</script>\"}]}";
    d = parse(&a, json, sizeof(json) - 1, "application/feed+json");
    assert_string_equal(d->version, "json11");
    assert_string_equal(d->entries[0].id, "7");
    assert_string_equal(d->entries[0].link, "http://blog.example/j/7");
    assert_string_equal(d->entries[0].content[0].value, "<p>x</p>");
    arena_fini(&a);
}

static void broken_feeds_read_and_flagged(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char broken[] = "<rss><channel><title>Caf&eacute; &amp; bar</title><link>"
                          "http://x.example/?a=1&b=2</link><item><title>one</title></item>";
    struct feed_doc *d = parse(&a, broken, sizeof(broken) - 1, NULL);
    assert_true(d->bozo);
    assert_non_null(d->bozo_message);
    assert_string_equal(d->feed.title.value, "Caf\xc3\xa9 & bar");
    assert_string_equal(d->feed.link, "http://x.example/?a=1&b=2");
    assert_int_equal(d->nentries, 1);
    /* only plain-text entities expand: a nested one (a bomb's start), an external one and a
     * parameter one are dropped and their uses stay as text */
    const char bomb[] = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aa'a\">"
                        "<!ENTITY b \"&a;&a;&a;\"><!ENTITY x SYSTEM \"file:///etc/passwd\">"
                        "<!ENTITY % p SYSTEM \"http://x.example/p\"> %p;]>"
                        "<rss><channel><title a='&a;'>&b; &x; &a;</title></channel></rss>";
    struct feed_doc *defused = NULL;
    const char *refused = NULL;
    assert_int_equal(feed_parse(&a, bomb, sizeof(bomb) - 1, NULL, NULL, &defused, &refused), 0);
    assert_string_equal(defused->feed.title.value, "&b; &x; aa'a");
    assert_true(defused->bozo);
    /* each use expands to at most its value; the whole expansion is capped */
    struct buf many;
    buf_init(&many, 0);
    buf_appendz(&many, "<!DOCTYPE r [<!ENTITY k \"");
    for (int i = 0; i < 1000; i++) {
        buf_appendz(&many, "k");
    }
    buf_appendz(&many, "\">]><rss><channel><title>");
    for (int i = 0; i < 20000; i++) {
        buf_appendz(&many, "&k;");
    }
    buf_appendz(&many, "</title></channel></rss>");
    assert_int_equal(feed_parse(&a, buf_cstr(&many), many.len, NULL, NULL, &defused, &refused), 0);
    assert_true(defused->bozo);
    assert_true(strlen(defused->feed.title.value) < (2u << 20)); /* 20 MB unbounded */
    assert_non_null(strstr(defused->feed.title.value, "&k;"));
    buf_fini(&many);
    struct feed_doc *none = NULL;
    assert_int_equal(feed_parse(&a, "not a feed", 10, NULL, NULL, &none, &refused), ERR_INVAL);
    arena_fini(&a);
}

static void discovery_finds_the_feed_link(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char page[] = "<html><head><title>Blog</title><link rel=\"stylesheet\" href=\"s.css\">"
                        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\">"
                        "</head><body>hi</body></html>";
    assert_string_equal(feed_discover(&a, page, sizeof(page) - 1, "http://blog.example/about/"),
                        "http://blog.example/feed.atom");
    const char none[] = "<html><head><link rel=\"icon\" href=\"/f.ico\"></head></html>";
    assert_null(feed_discover(&a, none, sizeof(none) - 1, "http://blog.example/"));
    arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sanitiser_removes_what_could_run),
        cmocka_unit_test(sanitiser_output_is_balanced),
        cmocka_unit_test(plain_text_for_search),
        cmocka_unit_test(dates_in_every_common_form),
        cmocka_unit_test(encodings_become_utf8),
        cmocka_unit_test(formats_share_one_shape),
        cmocka_unit_test(broken_feeds_read_and_flagged),
        cmocka_unit_test(discovery_finds_the_feed_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
