/* Unit tests for the classes of feed that Guild once read worse than feedparser on cases
 * nobody here had looked at: undeclared legacy encodings, bogus declarations, RSS 0.90, XML
 * comments inside text, HTML in titles, entities declared in a DOCTYPE, inline SVG/MathML.
 * The documents are written here, not taken from the corpus (tests/feeds/corpus.py runs that).
 * What a reader would notice: the text reads right, and the feed is flagged when it was
 * repaired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../core/err.h"
#include "feed.h"

static struct feed_doc *parse_as(struct arena *a, const char *xml, const char *ctype,
                                 const char *language)
{
    struct feed_doc *d = NULL;
    const char *refused = NULL;
    struct feed_headers h = {ctype, language};
    assert_int_equal(feed_parse(a, xml, strlen(xml), &h, "http://blog.example/feed/", &d,
                                &refused),
                     0);
    return d;
}

static struct feed_doc *parse(struct arena *a, const char *xml)
{
    return parse_as(a, xml, NULL, NULL);
}

/* Korean (EUC-KR) and Thai (TIS-620) titles with no declaration anywhere. */
static void undeclared_legacy_encodings_are_detected(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char korean[] = "<rss version=\"2.0\"><channel><title>"
                          "\xb8\xb6\xc4\xc9\xc6\xc3 \xb4\xe3\xb4\xe7\xc0\xda\xb8\xa6 \xc0\xa7\xc7"
                          "\xd1 \xb4\xba\xbd\xba\xc0\xd4\xb4\xcf\xb4\xd9. \xc7\xd1\xb1\xb9\xbe\xee"
                          "\xb4\xc2 \xb4\xeb\xc7\xd1\xb9\xce\xb1\xb9\xc0\xc7 \xb0\xf8\xbf\xeb\xbe"
                          "\xee\xc0\xd4\xb4\xcf\xb4\xd9. \xbf\xc0\xb4\xc3\xc0\xc7 \xb1\xe2\xbb\xe7"
                          "\xb8\xa6 \xc0\xd0\xbe\xee \xba\xb8\xbc\xbc\xbf\xe4"
                          "</title></channel></rss>";
    struct feed_doc *d = parse(&a, korean);
    assert_true(d->bozo);
    assert_string_equal(d->encoding, "euc-kr");
    /* "Korean" in Korean */
    assert_non_null(strstr(d->feed.title.value, "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"));
    const char thai[] = "<rss version=\"2.0\"><channel><title>"
                          "\xa2\xe8\xd2\xc7\xa1\xd2\xc3\xb5\xc5\xd2\xb4\xcd\xcd\xb9\xe4\xc5\xb9\xec"
                          "\xca\xd3\xcb\xc3\xd1\xba\xb8\xd8\xc3\xa1\xd4\xa8 \xc0\xd2\xc9\xd2\xe4"
                          "\xb7\xc2\xe0\xbb\xe7\xb9\xc0\xd2\xc9\xd2\xc3\xd2\xaa\xa1\xd2\xc3\xa2\xcd"
                          "\xa7\xbb\xc3\xd0\xe0\xb7\xc8\xe4\xb7\xc2 \xcd\xe8\xd2\xb9\xba\xb7\xa4"
                          "\xc7\xd2\xc1\xc7\xd1\xb9\xb9\xd5\xe9"
                          "</title></channel></rss>";
    d = parse(&a, thai);
    assert_true(d->bozo);
    assert_string_equal(d->encoding, "tis-620");
    /* "Thai language" in Thai */
    assert_non_null(strstr(d->feed.title.value, "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2"
                                                "\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2"));
    /* plain UTF-8 without a declaration is not "detected" as anything else */
    d = parse(&a, "<rss><channel><title>Caf\xc3\xa9</title></channel></rss>");
    assert_false(d->bozo);
    assert_string_equal(d->encoding, "utf-8");
    arena_fini(&a);
}

static void a_bogus_declared_encoding_is_a_bozo_feed(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse(&a, "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>"
                                   "<rss version=\"2.0\"><channel><title>Caf\xc3\xa9</title>"
                                   "<item><title>Kept</title></item></channel></rss>");
    assert_true(d->bozo);
    assert_non_null(strstr(d->bozo_message, "x-no-such-charset"));
    assert_string_equal(d->feed.title.value, "Caf\xc3\xa9");
    assert_int_equal(d->nentries, 1);
    /* a real encoding that the bytes are not valid in: read anyway, flagged */
    d = parse(&a, "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>"
                  "Caf\xe9 \x93quoted\x94</title></channel></rss>");
    assert_true(d->bozo);
    assert_string_equal(d->feed.title.value, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
    arena_fini(&a);
}

static void rss090_is_reported_as_rss090(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *variants[] = {
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>T</title></channel>"
        "<item><title>I</title><link>http://x.example/1</link></item></rdf:RDF>",
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://my.netscape.com/rdf/simple/0.9\"><channel><title>T</title></channel>"
        "<item><title>I</title><link>http://x.example/1</link></item></rdf:RDF>",
        "<rss version=\"0.90\"><channel><title>T</title><item><title>I</title>"
        "<link>http://x.example/1</link></item></channel></rss>"};
    for (size_t i = 0; i < 3; i++) {
        struct feed_doc *d = parse(&a, variants[i]);
        assert_string_equal(d->version, "rss090");
        assert_string_equal(d->feed.title.value, "T");
        assert_int_equal(d->nentries, 1);
        assert_string_equal(d->entries[0].title.value, "I");
    }
    arena_fini(&a);
}

static void comments_inside_text_keep_the_text_after_them(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse(&a, "<rss version=\"2.0\"><channel><title>A<!-- c --><![CDATA[B]]> C"
                                   "</title><item><title><![CDATA[x]]><!-- c -->y</title>"
                                   "<description>one <b>two</b> <!-- c --> three</description>"
                                   "<category>Mar<!-- c -->keting</category></item>"
                                   "</channel></rss>");
    assert_string_equal(d->feed.title.value, "AB C");
    assert_string_equal(d->entries[0].title.value, "xy");
    assert_string_equal(d->entries[0].summary.value, "one <b>two</b>  three");
    assert_string_equal(d->entries[0].tags[0], "Marketing");
    d = parse(&a, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A<!-- c -->B</title>"
                  "<entry><title type=\"html\">&lt;b&gt;H&lt;/b&gt;<!-- c --> tail</title>"
                  "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>P1</p>"
                  "<!-- c --><p>P2</p></div></content></entry></feed>");
    assert_string_equal(d->feed.title.value, "AB");
    assert_string_equal(d->entries[0].title.value, "<b>H</b> tail");
    assert_string_equal(d->entries[0].content[0].value, "<p>P1</p><p>P2</p>");
    arena_fini(&a);
}

static void html_in_titles_keeps_its_text(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse(&a,
        "<rss version=\"2.0\"><channel><title>F</title>"
        "<item><title>&lt;b&gt;Bold&lt;/b&gt; and &lt;i&gt;italic&lt;/i&gt; news</title></item>"
        "<item><title><b>Inline</b> markup in a title</title></item>"
        "<item><title>Use the &lt;title&gt; tag &amp; the &lt;meta&gt; tag</title></item>"
        "<item><title>Price &lt;$100 for SaaS</title></item>"
        "<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Safe text</title></item>"
        "</channel></rss>");
    assert_int_equal(d->nentries, 5);
    assert_string_equal(d->entries[0].title.value, "<b>Bold</b> and <i>italic</i> news");
    assert_string_equal(d->entries[1].title.value, "<b>Inline</b> markup in a title");
    assert_string_equal(d->entries[2].title.value, "Use the <title> tag & the <meta> tag");
    assert_string_equal(d->entries[3].title.value, "Price <$100 for SaaS");
    assert_string_equal(d->entries[4].title.value, "Safe text"); /* the script never survives */
    arena_fini(&a);
}

static void doctype_entities_are_inlined_only_when_plain(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse(&a, "<!-- a comment first --><!DOCTYPE rss [\n"
                                   "<!ENTITY id \"tag:example.com,\">\n"
                                   "<!ENTITY % ext PUBLIC \"-//X//EN\"\n"
                                   "  \"http://x.example/x.ent\">\n"
                                   "%ext;\n]>\n<rss version=\"2.0\"><channel><item>"
                                   "<guid isPermaLink=\"false\">&id;2006:/blog/</guid></item>"
                                   "</channel></rss>");
    assert_false(d->bozo);
    assert_string_equal(d->entries[0].id, "tag:example.com,2006:/blog/");
    arena_fini(&a);
}

static void svg_and_mathml_are_shown_without_what_could_run(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b;
    buf_init(&b, 0);
    feed_sanitize_html(&a, &b,
                       "<svg viewbox=\"0 0 10 10\" onload=\"x()\"><lineargradient id=\"g\"/>"
                       "<circle r=\"5\" fill=\"url(#g)\"/><rect fill=\"url(http://e.example/x)\"/>"
                       "<a xlink:href=\"javascript:x()\"><text>t</text></a>"
                       "<animate attributename=\"href\" to=\"javascript:x()\"/><use href=\"#g\"/>"
                       "<foreignobject><iframe></iframe></foreignobject></svg>"
                       "<math><mi>a</mi><annotation-xml><b>x</b></annotation-xml></math>",
                       NULL);
    assert_string_equal(buf_cstr(&b),
                        "<svg viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">"
                        "<linearGradient id=\"g\"></linearGradient>"
                        "<circle fill=\"url(#g)\" r=\"5\"></circle><rect></rect>"
                        "<a><text>t</text></a></svg>"
                        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>a</mi><b>x</b>"
                        "</math>");
    buf_fini(&b);
    arena_fini(&a);
}

/* Found by review: references a browser decodes but the sanitiser's decoder does not
 * (HTML5-only names), CSS escapes, outside references from SVG, and ping. */
static void what_a_browser_would_decode_is_judged_decoded(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b;
    buf_init(&b, 0);
    feed_sanitize_html(&a, &b,
                       "<svg><rect fill=\"url&lpar;https://e.example/p.svg#g)\"/>"
                       "<rect fill=\"u\\rl(https://e.example/x#g)\"/>"
                       "<textpath xlink:href=\"https://e.example/path.svg#p\">t</textpath></svg>"
                       "<a href=\"https://ok.example/\" ping=\"https://e.example/track\" "
                       "title=\"java&Tab;script&colon;x\">link</a>",
                       NULL);
    assert_string_equal(buf_cstr(&b),
                        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></rect><rect></rect>"
                        "<textPath>t</textPath></svg>"
                        "<a href=\"https://ok.example/\" title=\"java&amp;Tab;script&amp;colon;x\">"
                        "link</a>");
    buf_fini(&b);
    arena_fini(&a);
}

/* An RSS item's full text (content:encoded) stays its content when a subtitle and a
 * description come first. */
static void full_text_survives_beside_subtitles(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse(&a, "<rss "
                                   "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
                                   "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
                                   "<channel><item><itunes:subtitle>S</itunes:subtitle>"
                                   "<description>D</description><content:encoded>FULL"
                                   "</content:encoded></item></channel></rss>");
    assert_string_equal(d->entries[0].summary.value, "D");
    assert_int_equal(d->entries[0].ncontent, 1);
    assert_string_equal(d->entries[0].content[0].value, "FULL");
    arena_fini(&a);
}

static void http_content_language_is_the_default_language(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = parse_as(&a, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
                                      "<title>t</title></entry><entry xml:lang=\"de\"><title>u"
                                      "</title></entry></feed>",
                                  NULL, "en");
    assert_string_equal(d->feed.language, "en");
    assert_string_equal(d->entries[0].title.language, "en");
    assert_string_equal(d->entries[1].title.language, "de");
    arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(undeclared_legacy_encodings_are_detected),
        cmocka_unit_test(a_bogus_declared_encoding_is_a_bozo_feed),
        cmocka_unit_test(rss090_is_reported_as_rss090),
        cmocka_unit_test(comments_inside_text_keep_the_text_after_them),
        cmocka_unit_test(html_in_titles_keeps_its_text),
        cmocka_unit_test(doctype_entities_are_inlined_only_when_plain),
        cmocka_unit_test(svg_and_mathml_are_shown_without_what_could_run),
        cmocka_unit_test(http_content_language_is_the_default_language),
        cmocka_unit_test(what_a_browser_would_decode_is_judged_decoded),
        cmocka_unit_test(full_text_survives_beside_subtitles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
