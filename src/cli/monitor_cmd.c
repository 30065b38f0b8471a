/* guild fetch: one monitoring cycle from the shell (feeds, alerts, mail). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../fetch/fetch.h"
#include "../monitor/monitor.h"
#include "cli.h"

/* The monitor settings shared by `guild fetch` and `guild serve` (0 ok, 2 usage error). */
int cli_monitor_options(const struct cli_flags *f, struct monitor_options *o)
{
    monitor_options_default(o);
    static const struct {
        const char *flag;
        int64_t max;
    } nums[] = {{"feed-interval", 7 * 86400}, {"parallel", 256}, {"host-gap-ms", 600000},
                {"digest-size", 100}, {"feed-timeout", 600}};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        const char *v = cli_get(f, nums[i].flag);
        int64_t n;
        if (v == NULL) {
            continue;
        }
        bool zero_ok = i == 2; /* no gap between requests to one host */
        if (zero_ok && strcmp(v, "0") == 0) {
            n = 0;
        } else if (!parse_id(v, &n) || n > nums[i].max) {
            fprintf(stderr, "guild: --%s is %d..%lld\n", nums[i].flag, zero_ok ? 0 : 1,
                    (long long)nums[i].max);
            return 2;
        }
        if (i == 0) {
            o->interval = n;
        } else if (i == 1) {
            o->parallel = (int)n;
        } else if (i == 2) {
            o->host_gap_ms = n;
        } else if (i == 3) {
            o->digest_size = (int)n;
        } else {
            o->timeout_ms = (long)n * 1000;
        }
    }
    o->allow_loopback = cli_has(f, "allow-loopback");
    if (o->allow_loopback && !fetch_test_mode()) {
        fprintf(stderr, "guild: --allow-loopback works only in test mode (GUILD_TEST_MODE=1)\n");
        return 2;
    }
    const char *smtp = cli_get(f, "smtp");
    if (smtp && strncmp(smtp, "smtp://", 7) != 0 && strncmp(smtp, "smtps://", 8) != 0) {
        fprintf(stderr, "guild: --smtp wants smtp://HOST:PORT or smtps://HOST:PORT\n");
        return 2;
    }
    o->smtp_url = smtp;
    if (cli_get(f, "mail-from")) {
        o->mail_from = cli_get(f, "mail-from");
    }
    o->base_url = cli_get(f, "base-url");
    return 0;
}

int cmd_fetch(const struct cli_flags *in)
{
    static const char *const valued[] = {"db",          "feed-interval", "parallel",
                                         "host-gap-ms", "smtp",          "mail-from",
                                         "base-url",    "digest-size",   "feed-timeout", NULL};
    static const char *const bare[] = {"allow-loopback", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild fetch --db PATH [--feed-interval SECONDS (3600)] [--parallel 16]\n"
              "                   [--host-gap-ms 1000] [--smtp smtp://HOST:PORT]\n"
              "                   [--mail-from ADDR] [--base-url URL] [--digest-size 10]\n"
              "                   [--feed-timeout SECONDS (20)]\n"
              "                   [--allow-loopback (test mode only)]\n"
              "  One monitoring cycle: fetches every directory blog's feed that is due, stores\n"
              "  new and changed entries, matches saved searches, sends alerts, queues digest\n"
              "  mail and, with --smtp, sends queued mail. Prints what it did.\n";
    int x = cli_check_exit(&f, valued, bare);
    if (x >= 0) {
        return x;
    }
    struct monitor_options o;
    if (cli_monitor_options(&f, &o) != 0) {
        return 2;
    }
    struct store *s = NULL;
    int rc = cli_open_db(&f, &s);
    if (rc != 0) {
        return rc;
    }
    struct monitor_stats st = {0};
    int64_t now = now_unix();
    int status = 0;
    if (monitor_fetch_cycle(s, &o, now, &st) != 0 || monitor_alerts(s, &o, now, &st) != 0 ||
        monitor_deliver_webhooks(s, &o, now, &st) != 0 || monitor_send_mail(s, &o, now, &st) != 0) {
        fprintf(stderr, "guild: the cycle stopped early: the database was busy or failed\n");
        status = 1;
    }
    printf("feeds checked %d: ok %d, not modified %d, failed %d, gone %d, discovered %d\n"
           "entries new %d, updated %d; saved-search matches %d\n"
           "alerts sent %d, failed %d; mail sent %d, failed %d\n"
           "time: fetching %.2f s, parsing and storing %.2f s\n",
           st.checked, st.ok, st.not_modified, st.failed, st.gone, st.discovered,
           st.new_entries, st.updated_entries, st.hits, st.alerts_sent, st.alerts_failed,
           st.mails_sent, st.mails_failed, st.fetch_seconds, st.store_seconds);
    store_close(s);
    return status;
}
