/* guild fetch-url: fetch one URL through the SSRF guard (to check a feed address). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../fetch/fetch.h"
#include "cli.h"

int cmd_fetch_url(const struct cli_flags *in)
{
    static const char *const valued[] = {"max-bytes", "timeout", NULL};
    static const char *const bare[] = {"allow-loopback", NULL};
    static const char usage[] =
        "usage: guild fetch-url URL [--max-bytes N] [--timeout SECONDS] [--allow-loopback]\n"
        "  Fetches URL as the feed fetcher would (http/https only; private, loopback and\n"
        "  link-local addresses refused, also after redirects) and prints what came back.\n"
        "  --allow-loopback works only in test mode (GUILD_TEST_MODE=1).\n";
    if (in->argc < 1 || in->argv[0][0] == '-') {
        bool help = in->argc > 0 && (strcmp(in->argv[0], "--help") == 0);
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct cli_flags f = {in->argc - 1, in->argv + 1, usage};
    int x = cli_check_exit(&f, valued, bare);
    if (x >= 0) {
        return x;
    }
    struct fetch_options o;
    fetch_options_default(&o);
    int64_t v;
    if (cli_get(&f, "max-bytes") && (!parse_id(cli_get(&f, "max-bytes"), &v) || v > (1 << 30))) {
        fprintf(stderr, "guild: --max-bytes is 1..1073741824\n");
        return 2;
    }
    o.max_bytes = cli_get(&f, "max-bytes") ? (size_t)v : o.max_bytes;
    if (cli_get(&f, "timeout") && (!parse_id(cli_get(&f, "timeout"), &v) || v > 600)) {
        fprintf(stderr, "guild: --timeout is 1..600 seconds\n");
        return 2;
    }
    o.timeout_ms = cli_get(&f, "timeout") ? (long)v * 1000 : o.timeout_ms;
    o.allow_loopback = cli_has(&f, "allow-loopback");
    if (o.allow_loopback && !fetch_test_mode()) {
        fprintf(stderr, "guild: --allow-loopback works only in test mode (GUILD_TEST_MODE=1)\n");
        return 2;
    }
    struct fetch_result r;
    int rc = fetch_url(in->argv[0], &o, &r), status = 0;
    if (rc == ERR_DENIED) {
        fprintf(stderr, "guild: refused: %s (%s)\n", r.refused, r.final_url);
        status = 1;
    } else if (rc == ERR_TOOBIG) {
        fprintf(stderr, "guild: too large: more than %zu bytes\n", o.max_bytes);
        status = 1;
    } else if (rc != 0) {
        fprintf(stderr, "guild: failed: %s\n", r.refused ? r.refused : err_code(rc));
        status = rc == ERR_INVAL ? 2 : 1;
    } else {
        printf("status %ld, %zu bytes, %d redirect%s%s, final %s\n", r.status, r.body.len,
               r.redirects, r.redirects == 1 ? "" : "s",
               r.redirects ? (r.permanent ? " (permanent)" : " (temporary)") : "", r.final_url);
        printf("etag %s\nlast-modified %s\ncontent-type %s\n", r.etag ? r.etag : "-",
               r.last_modified ? r.last_modified : "-", r.content_type ? r.content_type : "-");
    }
    fetch_result_fini(&r);
    return status;
}
