/* guild serve: the HTTP server plus the ranker thread over one store pool. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../web/web.h"
#include "../monitor/monitor.h"
#include "cli.h"

/* An optional whole-number flag within [1, max]; leaves *out alone when absent. */
static int parse_count(const struct cli_flags *f, const char *name, int64_t max, int *out)
{
    const char *t = cli_get(f, name);
    int64_t v;
    if (t == NULL) {
        return 0;
    }
    if (!parse_id(t, &v) || v > max) {
        fprintf(stderr, "guild: --%s is 1..%lld\n", name, (long long)max);
        return ERR_INVAL;
    }
    *out = (int)v;
    return 0;
}

/* --metrics-token: the token itself, or @FILE to keep it out of the process list. At least
 * 16 characters; kept for the life of the process (static storage). */
static int read_metrics_token(const char *v, struct app_config *c)
{
    static char token[256];
    if (v[0] == '@') {
        FILE *fp = fopen(v + 1, "r");
        if (fp == NULL) {
            fprintf(stderr, "guild: cannot read the metrics token from %s\n", v + 1);
            return ERR_INVAL;
        }
        size_t n = fread(token, 1, sizeof(token) - 1, fp);
        fclose(fp);
        token[n] = '\0';
        token[strcspn(token, "\r\n")] = '\0';
        for (size_t k = strlen(token); k > 0 && (token[k - 1] == ' ' || token[k - 1] == '\t');) {
            token[--k] = '\0'; /* as a credentials file is read by scrapers: trailing blanks go */
        }
    } else {
        snprintf(token, sizeof(token), "%s", v);
    }
    if (strlen(token) < 16 || strlen(token) >= sizeof(token) - 1) {
        fprintf(stderr, "guild: --metrics-token wants 16 to 254 characters (or @FILE holding "
                        "them)\n");
        return ERR_INVAL;
    }
    c->metrics_token = token;
    return 0;
}

static int parse_config(const struct cli_flags *f, struct app_config *c)
{
    app_config_default(c);
    c->db_path = cli_db_path(f);
    if (c->db_path == NULL) {
        return ERR_INVAL;
    }
    if (cli_get(f, "listen")) {
        c->listen = cli_get(f, "listen");
    }
    if (cli_get(f, "site-name")) {
        c->site_name = cli_get(f, "site-name");
    }
    c->base_url = cli_get(f, "base-url");
    c->secure_cookies = cli_has(f, "secure-cookies");
    c->trust_proxy = cli_has(f, "trust-proxy");
    c->reader_signals = !cli_has(f, "no-reader-signals");
    int64_t v;
    if (parse_count(f, "threads", 64, &c->threads) != 0) {
        return ERR_INVAL;
    }
    if (cli_get(f, "page-cache-ttl")) {
        const char *t = cli_get(f, "page-cache-ttl");
        if (strcmp(t, "0") == 0) {
            c->page_cache_ttl = 0;
        } else if (!parse_id(t, &v) || v > 3600) {
            fprintf(stderr, "guild: --page-cache-ttl is 0..3600 seconds\n");
            return ERR_INVAL;
        } else {
            c->page_cache_ttl = (int)v;
        }
    }
    if (cli_get(f, "limits") && app_config_limits(c, cli_get(f, "limits")) != 0) {
        fprintf(stderr, "guild: --limits wants ACTION=MAX/SECONDS[,...] with ACTION one of "
                        "join, submit, vote, comment, invite, open, confirm, follow, connect, "
                        "message, read, stats, MAX up to 100000000 and SECONDS "
                        "up to a week\n");
        return ERR_INVAL;
    }
    if (cli_get(f, "policy") && rules_policy_parse(&c->policy, cli_get(f, "policy")) != 0) {
        fprintf(stderr, "guild: --policy wants NAME=VALUE[,...] with NAME one of "
                        "new-member-days, flag-queue-weight, thread-gap, item-flag-days, "
                        "comment-flag-days, own-share, topic-threshold, topic-min-docs, "
                        "topic-min-removals, topic-margin\n");
        return ERR_INVAL;
    }
    if (cli_get(f, "metrics-token") && read_metrics_token(cli_get(f, "metrics-token"), c) != 0) {
        return ERR_INVAL;
    }
    if (parse_count(f, "rank-interval", 86400, &c->rank_interval) != 0 ||
        parse_count(f, "header-timeout", 3600, &c->header_timeout) != 0 ||
        parse_count(f, "body-timeout", 3600, &c->body_timeout) != 0) {
        return ERR_INVAL;
    }
    return 0;
}

int cmd_serve(const struct cli_flags *in)
{
    static const char *const valued[] = {"db",        "listen",   "threads", "site-name",
                                         "base-url",  "rank-interval", "limits", "page-cache-ttl", "policy",
                                         "fetch-every", "feed-interval", "parallel",
                                         "host-gap-ms", "smtp", "mail-from", "digest-size",
                                         "feed-timeout", "header-timeout", "body-timeout",
                                         "metrics-token", NULL};
    static const char *const bare[] = {"secure-cookies", "allow-loopback", "trust-proxy",
                                       "no-reader-signals", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild serve --db PATH [--listen 127.0.0.1:8080] [--threads 4]\n"
              "                   [--site-name NAME] [--base-url URL] [--rank-interval SECONDS]\n"
              "                   [--secure-cookies] [--trust-proxy (X-Real-IP from a local proxy)]\n"
              "                   [--limits vote=500/3600,submit=30/3600,...]\n"
              "                   [--page-cache-ttl SECONDS (10; 0 turns it off)]\n"
              "                   [--policy new-member-days=7,flag-queue-weight=2,thread-gap=20,\n"
              "                             item-flag-days=14,comment-flag-days=7,own-share=0.167]\n"
              "                   [--fetch-every SECONDS (300; 0 turns feed fetching off)]\n"
              "                   [--feed-interval 3600] [--parallel 16] [--host-gap-ms 1000]\n"
              "                   [--smtp smtp://HOST:PORT] [--mail-from ADDR] [--digest-size 10]\n"
              "                   [--header-timeout 20] [--body-timeout 30]\n"
              "                   [--metrics-token TOKEN | --metrics-token @FILE]\n"
              "                   [--no-reader-signals (record no opens or reads for authors)]\n"
              "  Serves the site; SIGINT or SIGTERM stops it cleanly. GET /metrics answers\n"
              "  this machine only, or anyone with 'Authorization: Bearer TOKEN' when set.\n";
    int x = cli_check_exit(&f, valued, bare);
    if (x >= 0) {
        return x;
    }
    struct app app = {0};
    if (parse_config(&f, &app.cfg) != 0) {
        return 2;
    }
    struct monitor_options mo;
    int64_t every = 300;
    if (cli_monitor_options(&f, &mo) != 0) {
        return 2;
    }
    if (cli_get(&f, "fetch-every") && strcmp(cli_get(&f, "fetch-every"), "0") != 0 &&
        (!parse_id(cli_get(&f, "fetch-every"), &every) || every > 86400)) {
        fprintf(stderr, "guild: --fetch-every is 0 (off) or 1..86400 seconds\n");
        return 2;
    }
    if (cli_get(&f, "fetch-every") && strcmp(cli_get(&f, "fetch-every"), "0") == 0) {
        every = 0;
    }
    app.digest_size = mo.digest_size;
    app.mail_relay = mo.smtp_url != NULL && every > 0; /* the monitor's cycle sends the mail */
    /* block the stop signals in every thread; the main thread waits for them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    int status = 1, port = 0;
    struct monitor_worker *monitor = NULL;
    struct http_server *srv = NULL;
    if (store_pool_new(app.cfg.db_path, app.cfg.threads + 2, &app.pool) != 0) {
        fprintf(stderr, "guild: cannot open database %s\n", store_db_shown(app.cfg.db_path));
        goto out;
    }
    app.login_limiter = auth_limiter_new(app.cfg.login_max_failures, app.cfg.login_window);
    auth_limiter_set_name(app.login_limiter, "login");
    app.shared_limits = store_is_pg(app.cfg.db_path); /* several nodes share one budget */
    app_limits_init(&app);
    app.people = app_people_new();
    if (app_signals_init(&app) != 0) {
        fprintf(stderr, "guild: cannot start the reader signals\n");
        goto out;
    }
    app.ranker = ranker_start(app.pool, app.cfg.rank_interval);
    app_topic_start(&app);
    if (mo.base_url == NULL) {
        mo.base_url = app.cfg.base_url;
    }
    monitor = monitor_start(app.pool, &mo, (int)every);
    struct http_config hc = {.listen = app.cfg.listen,
                             .threads = app.cfg.threads,
                             .secure_cookies = app.cfg.secure_cookies,
                             .trust_proxy = app.cfg.trust_proxy,
                             .cache_ttl = app.cfg.page_cache_ttl,
                             .routes = cli_routes,
                             .nroutes = cli_nroutes,
                             .app = &app,
                             .pool = app.pool,
                             .render_error_page = web_error_page,
                             .observe = web_item_observe,
                             .may_act = app_may_act,
                             .header_timeout = app.cfg.header_timeout,
                             .body_timeout = app.cfg.body_timeout};
    if (http_start(&hc, &srv, &port) != 0) {
        goto out;
    }
    char host[64];
    snprintf(host, sizeof(host), "%.*s", (int)strcspn(app.cfg.listen, ":"), app.cfg.listen);
    printf("guild: listening on http://%s:%d\n", host, port);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("stopping on signal %d", sig);
    status = 0;
out:
    http_stop(srv);
    ranker_stop(app.ranker);
    monitor_stop(monitor);
    app_topic_stop(&app);
    auth_limiter_free(app.login_limiter);
    app_limits_fini(&app);
    app_people_free(app.people);
    app_signals_fini(&app);
    store_pool_free(app.pool);
    return status;
}
