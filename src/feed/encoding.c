/* Character encodings: which one a feed is in (byte-order mark, HTTP charset, XML declaration,
 * RFC 3023's defaults) and the conversion to UTF-8 (glibc iconv), with a reported fallback
 * when the declaration lies. Also the HTML named-entity rewrite (XML defines only five) and
 * URL resolution. Pure: no I/O. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdio.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "feed_int.h"

void feed_utf8_put(struct buf *b, unsigned long cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = 0xFFFD;
    }
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, u, n);
}

const char *feed_resolve_url(struct arena *a, const char *ref, const char *base)
{
    if (base == NULL || base[0] == '\0') {
        return arena_strdup(a, ref);
    }
    if (ref[0] == '\0') { /* RFC 3986 5.2.2: an empty reference is the base (an IRI too) */
        return arena_strndup(a, base, strcspn(base, "#"));
    }
    xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
    if (r == NULL) {
        return arena_strdup(a, ref);
    }
    char *out = arena_strdup(a, (const char *)r);
    xmlFree(r);
    return out;
}

/* Windows-1252's characters for the C1 controls 0x80-0x9F (0: undefined there). Feeds that
 * say ISO-8859-1 or write &#146; mean these (curly quotes, dashes, the euro sign). */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

unsigned long feed_c1_to_cp1252(unsigned long cp)
{
    return cp >= 0x80 && cp <= 0x9F && cp1252_c1[cp - 0x80] ? cp1252_c1[cp - 0x80] : cp;
}

const char *feed_fix_c1(struct arena *a, const char *s)
{
    const char *p = s;
    while ((p = strchr(p, '\xC2')) != NULL && !((unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9F)) {
        p++;
    }
    if (p == NULL) {
        return s;
    }
    struct buf b;
    buf_init(&b, 0);
    for (p = s; *p; p++) {
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9F) {
            feed_utf8_put(&b, feed_c1_to_cp1252((unsigned char)p[1]));
            p++;
        } else {
            buf_appendc(&b, *p);
        }
    }
    char *out = arena_strndup(a, buf_cstr(&b), b.len);
    buf_fini(&b);
    return out;
}

/* The encoding a byte-order mark or the first bytes of "<?xml" announce, else NULL. */
static const char *sniff_bom(const unsigned char *d, size_t n, size_t *bomlen)
{
    *bomlen = 0;
    if (n >= 4 && !memcmp(d, "\x00\x00\xFE\xFF", 4)) {
        *bomlen = 4;
        return "utf-32be";
    }
    if (n >= 4 && !memcmp(d, "\xFF\xFE\x00\x00", 4)) {
        *bomlen = 4;
        return "utf-32le";
    }
    if (n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3)) {
        *bomlen = 3;
        return "utf-8";
    }
    if (n >= 2 && !memcmp(d, "\xFE\xFF", 2)) {
        *bomlen = 2;
        return "utf-16be";
    }
    if (n >= 2 && !memcmp(d, "\xFF\xFE", 2)) {
        *bomlen = 2;
        return "utf-16le";
    }
    if (n >= 4 && !memcmp(d, "\x00\x00\x00\x3C", 4)) {
        return "utf-32be";
    }
    if (n >= 4 && !memcmp(d, "\x3C\x00\x00\x00", 4)) {
        return "utf-32le";
    }
    if (n >= 4 && !memcmp(d, "\x00\x3C\x00\x3F", 4)) {
        return "utf-16be";
    }
    if (n >= 4 && !memcmp(d, "\x3C\x00\x3F\x00", 4)) {
        return "utf-16le";
    }
    return NULL;
}

/* Converts with iconv; NULL when the bytes are not valid in that encoding. */
static char *convert(struct arena *a, const char *data, size_t n, const char *from,
                     size_t *outn)
{
    /* windows-1252 is what "iso-8859-1" feeds really contain (curly quotes in 0x80-0x9F) */
    const char *real = strcmp(from, "iso-8859-1") == 0 || strcmp(from, "latin1") == 0 ||
                               strcmp(from, "latin-1") == 0
                           ? "WINDOWS-1252"
                       : strcmp(from, "us-ascii") == 0 ? "ASCII"
                                                       : from;
    iconv_t cd = iconv_open("UTF-8", real);
    if (cd == (iconv_t)-1) {
        return NULL;
    }
    size_t cap = n * 4 + 16;
    char *out = arena_alloc(a, cap + 1);
    char *in = (char *)(uintptr_t)data, *op = out;
    size_t inleft = n, outleft = cap;
    size_t r = iconv(cd, &in, &inleft, &op, &outleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        return NULL;
    }
    *op = '\0';
    *outn = (size_t)(op - out);
    if (*outn >= 3 && !memcmp(out, "\xEF\xBB\xBF", 3)) {
        memmove(out, out + 3, *outn - 2);
        *outn -= 3;
    }
    return out;
}

/* The encoding named in an XML declaration at the start of UTF-8/ASCII-compatible text. */
static const char *xml_decl_encoding(struct arena *a, const char *s, size_t n)
{
    if (n < 5 || memcmp(s, "<?xml", 5) != 0) {
        return NULL;
    }
    const char *end = memmem(s, n < 512 ? n : 512, "?>", 2);
    if (end == NULL) {
        return NULL;
    }
    const char *e = memmem(s, (size_t)(end - s), "encoding", 8);
    if (e == NULL) {
        return NULL;
    }
    e += 8;
    while (e < end && (isspace((unsigned char)*e) || *e == '=')) {
        e++;
    }
    if (e >= end || (*e != '"' && *e != '\'')) {
        return NULL;
    }
    char q = *e++;
    const char *v = e;
    while (e < end && *e != q) {
        e++;
    }
    char *name = arena_strndup(a, v, (size_t)(e - v));
    ascii_lower(name);
    return name;
}

static const char *normalise_name(const char *enc)
{
    if (enc == NULL) {
        return NULL;
    }
    if (strcmp(enc, "gb2312") == 0 || strcmp(enc, "gbk") == 0) {
        return "gb18030"; /* the superset actually in use */
    }
    if (strcmp(enc, "utf8") == 0) {
        return "utf-8";
    }
    if (strcmp(enc, "utf-16") == 0 || strcmp(enc, "utf-32") == 0) {
        return NULL; /* the byte-order mark decides */
    }
    return enc;
}

/* The charset parameter and media type of a Content-Type header (lowercased, in a). */
static const char *http_charset(struct arena *a, const char *ct, char **media)
{
    char *c = arena_strdup(a, ct);
    ascii_lower(c);
    char *semi = strchr(c, ';');
    *media = arena_strndup(a, c, semi ? (size_t)(semi - c) : strlen(c));
    *media = str_trim(*media);
    const char *cs = semi ? strstr(semi, "charset=") : NULL;
    if (cs == NULL) {
        return NULL;
    }
    cs += 8;
    while (*cs == ' ') {
        cs++;
    }
    if (*cs == '"' || *cs == '\'') {
        cs++;
    }
    size_t len = strcspn(cs, "\"'; \t");
    return len ? arena_strndup(a, cs, len) : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Rewrites &name; for HTML's named entities (not XML's five) as &#N;, outside CDATA and
 * comments. Returns the count rewritten. */
static size_t rewrite_entities(struct buf *out, const char *s, size_t n, const char **first)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<' && i + 9 <= n && memcmp(s + i, "<![CDATA[", 9) == 0) {
            const char *e = memmem(s + i, n - i, "]]>", 3);
            size_t len = e ? (size_t)(e - (s + i)) + 3 : n - i;
            buf_append(out, s + i, len);
            i += len - 1;
            continue;
        }
        if (s[i] == '<' && i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = memmem(s + i, n - i, "-->", 3);
            size_t len = e ? (size_t)(e - (s + i)) + 3 : n - i;
            buf_append(out, s + i, len);
            i += len - 1;
            continue;
        }
        if (s[i] == '&' && i + 2 < n && s[i + 1] == '#' && s[i + 2] == 'X') {
            buf_appendz(out, "&#x"); /* XML wants a lowercase x */
            i += 2;
            count++;
            continue;
        }
        if (s[i] == '&' && feed_reference_len(s + i, n - i) == 0) {
            buf_appendz(out, "&amp;"); /* a bare ampersand ("?a=1&b=2") means itself */
            count++;
            continue;
        }
        if (s[i] == '&' && i + 1 < n && isalpha((unsigned char)s[i + 1])) {
            char name[32];
            size_t k = 0, j = i + 1;
            while (j < n && isalnum((unsigned char)s[j]) && k < sizeof(name) - 1) {
                name[k++] = s[j++];
            }
            name[k] = '\0';
            static const char *const xml_defined[] = {"amp", "lt", "gt", "quot", "apos"};
            bool builtin = false;
            for (size_t x = 0; x < 5; x++) {
                builtin |= strcmp(name, xml_defined[x]) == 0;
            }
            const htmlEntityDesc *e = builtin ? NULL : htmlEntityLookup((const xmlChar *)name);
            if (j < n && s[j] == ';' && e != NULL) {
                buf_appendf(out, "&#%u;", e->value);
                if (*first == NULL) {
                    *first = e->name;
                }
                count++;
                i = j;
                continue;
            }
            if (j < n && s[j] == ';' && !builtin) {
                buf_appendz(out, "&amp;"); /* an undefined entity: its text is kept as written */
                count++;
                continue;
            }
        }
        buf_appendc(out, s[i]);
    }
    return count;
}

/* Windows-1252 read leniently: its five undefined bytes become the C1 code points that
 * browsers give them, so every byte string has a reading (the last fallback). */
static char *cp1252_to_utf8(struct arena *a, const char *data, size_t n, size_t *outn)
{
    struct buf b;
    buf_init(&b, n + n / 2 + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x80) {
            buf_appendc(&b, (char)c);
        } else {
            feed_utf8_put(&b, feed_c1_to_cp1252(c));
        }
    }
    char *out = arena_strndup(a, buf_cstr(&b), b.len);
    *outn = b.len;
    buf_fini(&b);
    return out;
}

/* The charset a maintained detector (uchardet) guesses for undeclared or mis-declared bytes,
 * lowercased in a; NULL when it has no guess. A superset's name (GB18030, UHC) gives way to
 * the narrower set the bytes are valid in (GB2312, EUC-KR), the label such documents carry. */
static const char *detect_charset(struct arena *a, const char *data, size_t n)
{
    uchardet_t ud = uchardet_new();
    if (ud == NULL) {
        return NULL;
    }
    char *found = NULL;
    if (uchardet_handle_data(ud, data, n < 65536 ? n : 65536) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        if (cs != NULL && cs[0] != '\0') {
            found = arena_strdup(a, cs);
            ascii_lower(found);
        }
    }
    uchardet_delete(ud);
    /* supersets the detector names, and the set such documents are labelled with */
    static const char *const narrower[][2] = {
        {"gb18030", "gb2312"}, {"uhc", "euc-kr"}, {"windows-874", "tis-620"}};
    for (size_t i = 0; found != NULL && i < sizeof(narrower) / sizeof(narrower[0]); i++) {
        size_t ignored;
        if (strcmp(found, narrower[i][0]) == 0 && convert(a, data, n, narrower[i][1], &ignored)) {
            return narrower[i][1];
        }
    }
    return found;
}

static bool encoding_known(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) {
        return false;
    }
    iconv_close(cd);
    return true;
}

/* The encoding the bytes are read in by RFC 3023: the HTTP charset for application/xml types,
 * us-ascii for text/xml without one, else the declaration, the byte-order mark or UTF-8. */
static const char *rfc3023_choice(struct arena *a, const char *media, const char *charset,
                                  const char *declared, const char *bom, bool *bozo,
                                  const char **msg)
{
    const char *fallback = declared ? declared : bom ? bom : "utf-8";
    if (media == NULL || media[0] == '\0') {
        return fallback;
    }
    if (strcmp(media, "application/xml") == 0 || strcmp(media, "application/xml-dtd") == 0 ||
        strcmp(media, "application/xml-external-parsed-entity") == 0 ||
        (strncmp(media, "application/", 12) == 0 && ends_with(media, "+xml"))) {
        return charset ? charset : fallback;
    }
    if (strcmp(media, "text/xml") == 0 || strcmp(media, "text/xml-external-parsed-entity") == 0 ||
        (strncmp(media, "text/", 5) == 0 && ends_with(media, "+xml"))) {
        return charset ? charset : "us-ascii";
    }
    if (strncmp(media, "text/", 5) == 0 || strstr(media, "json") == NULL) {
        *bozo = true;
        *msg = arena_printf(a, "served as %s, which is not an XML media type", media);
    }
    return charset ? charset : fallback;
}

/* Reads the bytes when the chosen encoding cannot: the declaration, the byte-order mark,
 * UTF-8, then the detector's guess, then lenient Windows-1252 (which always succeeds). */
static char *read_fallback(struct arena *a, const char *data, size_t n, const char **chosen,
                           const char *declared, const char *bom, size_t *outn, const char **msg)
{
    const char *why = !encoding_known(*chosen)
                          ? arena_printf(a, "declares an unknown encoding (%s)", *chosen)
                      : declared == NULL && bom == NULL
                          ? arena_printf(a, "no encoding declared and not %s", *chosen)
                          : arena_printf(a, "declared as %s but not valid in it", *chosen);
    const char *tries[] = {declared, bom, "utf-8", NULL};
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        if (i == 3) {
            tries[i] = detect_charset(a, data, n); /* only when the plain readings fail */
        }
        if (tries[i] == NULL || strcmp(tries[i], *chosen) == 0 || !encoding_known(tries[i])) {
            continue;
        }
        char *out = convert(a, data, n, tries[i], outn);
        if (out != NULL) {
            *msg = arena_printf(a, "%s; read as %s", why, tries[i]);
            *chosen = tries[i];
            return out;
        }
    }
    *msg = arena_printf(a, "%s; read as windows-1252", why);
    *chosen = "windows-1252";
    return cp1252_to_utf8(a, data, n, outn);
}

/* Blanks the encoding pseudo-attribute of the XML declaration in the UTF-8 copy: the text is
 * UTF-8 now, and a name libxml2 does not know would make it refuse the whole document. */
static void forget_declared_encoding(char *s, size_t n)
{
    if (n < 5 || memcmp(s, "<?xml", 5) != 0) {
        return;
    }
    char *end = memmem(s, n < 512 ? n : 512, "?>", 2);
    char *e = end ? memmem(s, (size_t)(end - s), "encoding", 8) : NULL;
    if (e == NULL) {
        return;
    }
    char *q = e + 8;
    while (q < end && (isspace((unsigned char)*q) || *q == '=')) {
        q++;
    }
    char *close = q < end && (*q == '"' || *q == '\'') ? memchr(q + 1, *q, (size_t)(end - q - 1))
                                                       : NULL;
    if (close != NULL) {
        memset(e, ' ', (size_t)(close - e) + 1);
    }
}

/* Removes the DOCTYPE's internal subset (plain-text entities inlined), then rewrites HTML's
 * named entities as numeric references (XML knows five), flagging bozo. */
static char *with_xml_references(struct arena *a, char *out, size_t *outn, bool *bozo,
                                 const char **msg)
{
    out = feed_inline_entities(a, out, outn, bozo, msg);
    const char *first = NULL;
    struct buf b;
    buf_init(&b, 0);
    size_t rewritten = rewrite_entities(&b, out, *outn, &first);
    if (rewritten > 0) {
        if (!*bozo) {
            *bozo = true;
            *msg = first ? arena_printf(a, "undefined entity &%s; read as its HTML meaning", first)
                         : "a bare &, an undefined entity or a malformed character reference, "
                           "read as text";
        }
        out = arena_strndup(a, buf_cstr(&b), b.len);
        *outn = b.len;
    }
    buf_fini(&b);
    return out;
}

char *feed_to_utf8(struct arena *a, const char *data, size_t n, const char *content_type,
                   const char **enc, size_t *outn, bool *bozo, const char **msg)
{
    size_t bomlen;
    const char *bom = sniff_bom((const unsigned char *)data, n, &bomlen);
    /* read the declaration in the sniffed encoding (UTF-16/32 first converted) */
    size_t peekn = n - bomlen;
    const char *peek = data + bomlen;
    if (bom != NULL && strcmp(bom, "utf-8") != 0) {
        size_t want = n < 2048 ? n : 2048;
        want -= want % 4;
        char *p = convert(a, data, want, bom, &peekn);
        peek = p ? p : "";
        peekn = p ? peekn : 0;
    }
    const char *declared = normalise_name(xml_decl_encoding(a, peek, peekn));
    char *media = NULL;
    const char *charset = content_type ? normalise_name(http_charset(a, content_type, &media))
                                       : NULL;
    const char *chosen = rfc3023_choice(a, media, charset, declared, bom, bozo, msg);
    if (bom != NULL && bomlen > 0) {
        chosen = bom; /* a byte-order mark is not wrong about its own encoding */
    }
    char *out = encoding_known(chosen) ? convert(a, data, n, chosen, outn) : NULL;
    if (out == NULL) {
        *bozo = true;
        out = read_fallback(a, data, n, &chosen, declared, bom, outn, msg);
    }
    *enc = chosen;
    forget_declared_encoding(out, *outn);
    return with_xml_references(a, out, outn, bozo, msg);
}

/* UTF-8 that was once read as ISO-8859-1 and encoded again ("â€¦" for "…"): every code point
 * below U+0100, some above U+007F, and their bytes valid UTF-8 with a multi-byte sequence.
 * Returns the repaired text in a, or s itself. */
const char *feed_undouble_utf8(struct arena *a, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    bool high = false;
    for (; *p; p++) {
        if (*p >= 0xC4) {
            return s; /* a code point at or above U+0100 (the text is valid UTF-8) */
        }
        high |= *p >= 0xC2;
    }
    if (!high) {
        return s;
    }
    size_t n = (size_t)(p - (const unsigned char *)s), k = 0;
    char *bytes = arena_alloc(a, n + 1);
    for (p = (const unsigned char *)s; *p; p++) {
        bool pair = *p >= 0xC2 && p[1] != '\0';
        bytes[k++] = pair ? (char)(((p[0] & 0x03) << 6) | (p[1] & 0x3F)) : (char)*p;
        p += pair;
    }
    bytes[k] = '\0';
    bool multibyte = false;
    for (size_t i = 0; i < k;) {
        unsigned char c = (unsigned char)bytes[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
                   : c >= 0xF0 && c < 0xF5 ? 4 : 0;
        if (len == 0 || i + len > k) {
            return s;
        }
        for (size_t j = 1; j < len; j++) {
            if (((unsigned char)bytes[i + j] & 0xC0) != 0x80) {
                return s;
            }
        }
        multibyte |= len > 1;
        i += len;
    }
    return multibyte ? bytes : s;
}
