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
        }
        buf_appendc(out, s[i]);
    }
    return count;
}

char *feed_to_utf8(struct arena *a, const char *data, size_t n, const char *content_type,
                   const char **enc, size_t *outn, bool *bozo, const char **msg)
{
    size_t bomlen;
    const char *bom = sniff_bom((const unsigned char *)data, n, &bomlen);
    /* read the declaration in the sniffed encoding (UTF-16/32 first converted) */
    size_t peekn = 0;
    const char *peek = data + bomlen;
    peekn = n - bomlen;
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
    const char *chosen;
    if (media == NULL || media[0] == '\0') {
        chosen = declared ? declared : bom ? bom : "utf-8";
    } else if (strcmp(media, "application/xml") == 0 ||
               strcmp(media, "application/xml-dtd") == 0 ||
               strcmp(media, "application/xml-external-parsed-entity") == 0 ||
               (strncmp(media, "application/", 12) == 0 && ends_with(media, "+xml"))) {
        chosen = charset ? charset : declared ? declared : bom ? bom : "utf-8";
    } else if (strcmp(media, "text/xml") == 0 ||
               strcmp(media, "text/xml-external-parsed-entity") == 0 ||
               (strncmp(media, "text/", 5) == 0 && ends_with(media, "+xml"))) {
        chosen = charset ? charset : "us-ascii";
    } else {
        chosen = charset ? charset : declared ? declared : bom ? bom : "utf-8";
        if (strncmp(media, "text/", 5) == 0 || strstr(media, "json") == NULL) {
            *bozo = true;
            *msg = arena_printf(a, "served as %s, which is not an XML media type", media);
        }
    }
    if (bom != NULL && bomlen > 0 && strncmp(chosen, "utf-", 4) != 0) {
        chosen = bom; /* a byte-order mark cannot be wrong about UTF-16/32 */
    }
    char *out = convert(a, data, n, chosen, outn);
    if (out == NULL) {
        const char *fallbacks[] = {declared, bom, "utf-8", "windows-1252"};
        for (size_t i = 0; i < 4 && out == NULL; i++) {
            if (fallbacks[i] != NULL && strcmp(fallbacks[i], chosen) != 0) {
                out = convert(a, data, n, fallbacks[i], outn);
                if (out != NULL) {
                    *bozo = true;
                    *msg = arena_printf(a, "declared as %s but not valid in it; read as %s",
                                        chosen, fallbacks[i]);
                    chosen = fallbacks[i];
                }
            }
        }
    }
    if (out == NULL) {
        out = arena_strndup(a, data, n); /* never reached: windows-1252 maps every byte */
        *outn = n;
    }
    *enc = chosen;
    const char *first = NULL;
    struct buf b;
    buf_init(&b, 0);
    size_t rewritten = rewrite_entities(&b, out, *outn, &first);
    if (rewritten > 0) {
        if (!*bozo) {
            *bozo = true;
            *msg = first ? arena_printf(a, "undefined entity &%s; read as its HTML meaning", first)
                         : "a bare & or a malformed character reference, read as text";
        }
        out = arena_strndup(a, buf_cstr(&b), b.len);
        *outn = b.len;
    }
    buf_fini(&b);
    return out;
}
