/* The application object built once at start-up and passed to every handler (no mutable
 * globals): configuration, the store pool, the login limiter and the ranker handle. */
#ifndef GUILD_APP_APP_H
#define GUILD_APP_APP_H

#include <stdbool.h>

#include "../auth/auth.h"
#include "../ranker/ranker.h"
#include "../store/store.h"

struct app_config {
    const char *db_path;
    const char *listen;      /* default 127.0.0.1:8080 */
    const char *site_name;   /* default "Guild" */
    const char *base_url;    /* absolute URL for feeds; default http://<listen> */
    int threads;             /* HTTP worker threads, default 4 */
    bool secure_cookies;     /* set behind TLS */
    int rank_interval;       /* seconds between full recomputes, default 60 */
    int login_max_failures;  /* per IP and per handle within the window, default 10 */
    int login_window;        /* seconds, default 900 */
};

struct app {
    struct app_config cfg;
    struct store_pool *pool;
    struct auth_limiter *login_limiter;
    struct ranker *ranker;
};

void app_config_default(struct app_config *c);
/* Tells background work that something was written (a full re-rank soon). */
void app_note_write(struct app *app);
/* A vote or an open changed one item: re-rank it now (incrementally). Failures are logged,
 * not returned: the vote itself is stored, and the next full run catches up. */
void app_item_changed(struct app *app, struct store *db, int64_t item_id, int64_t now);

#endif
