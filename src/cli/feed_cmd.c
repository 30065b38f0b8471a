/* guild feed parse FILE [--base URL] [--content-type TYPE] [--content-language LANG]: the
 * parser's interface JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../feed/feed.h"
#include "cli.h"

static const char usage[] =
    "usage: guild feed parse FILE [--base URL] [--content-type TYPE] [--content-language LANG]\n"
    "  Parses one RSS, Atom or JSON Feed file and prints it as JSON (docs/feeds.md): version,\n"
    "  bozo and bozo_message (what was wrong but recovered), encoding, feed and entries with\n"
    "  titles, summaries and contents sanitised and dates in RFC 3339 UTC.\n"
    "  --base URL           the document's address, for relative links\n"
    "  --content-type TYPE  the HTTP Content-Type it was served with (charset rules)\n"
    "  --content-language LANG  the HTTP Content-Language: the language of text without one\n"
    "  Exit 0 with a result (even a bozo one), 2 when the input is refused or unreadable.\n";

/* Reads a whole file up to 16 MiB + 1 (so "too large" is seen). Caller frees. */
static char *slurp(const char *path, size_t *n, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *why = strerror(errno);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0, max = 16 * 1024 * 1024 + 1;
    char *data = malloc(cap);
    while (data != NULL && len < max) {
        if (len == cap) {
            cap *= 2;
            char *bigger = realloc(data, cap);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
        }
        size_t got = fread(data + len, 1, cap - len < max - len ? cap - len : max - len, f);
        if (got == 0) {
            break;
        }
        len += got;
    }
    if (data != NULL && ferror(f)) {
        *why = "read error";
        free(data);
        data = NULL;
    }
    fclose(f);
    *n = len;
    if (data == NULL && *why == NULL) {
        *why = "out of memory";
    }
    return data;
}

int cmd_feed(const struct cli_flags *in)
{
    static const char *const valued[] = {"base", "content-type", "content-language", NULL};
    static const char *const bare[] = {NULL};
    for (int i = 0; i < in->argc && i < 2; i++) { /* guild feed --help, guild feed parse --help */
        if (!strcmp(in->argv[i], "--help") || !strcmp(in->argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
    }
    if (in->argc < 2 || strcmp(in->argv[0], "parse") != 0 || in->argv[1][0] == '-') {
        fputs(usage, stderr);
        return 2;
    }
    struct cli_flags f = {in->argc - 2, in->argv + 2, usage};
    int x = cli_check_exit(&f, valued, bare);
    if (x >= 0) {
        return x;
    }
    const char *why = NULL;
    size_t n = 0;
    char *data = slurp(in->argv[1], &n, &why);
    if (data == NULL) {
        fprintf(stderr, "guild: cannot read %s: %s\n", in->argv[1], why);
        return 2;
    }
    struct arena a;
    arena_init(&a);
    struct feed_doc *d = NULL;
    const char *refused = NULL;
    struct feed_headers h = {cli_get(&f, "content-type"), cli_get(&f, "content-language")};
    int rc = feed_parse(&a, data, n, &h, cli_get(&f, "base"), &d, &refused);
    int status = 0;
    if (rc != 0) {
        fprintf(stderr, "guild: refused %s: %s\n", in->argv[1], refused ? refused : err_code(rc));
        status = 2;
    } else {
        struct buf b;
        buf_init(&b, 0);
        feed_doc_json(&b, d);
        fwrite(b.data, 1, b.len, stdout);
        buf_fini(&b);
    }
    arena_fini(&a);
    free(data);
    return status;
}
