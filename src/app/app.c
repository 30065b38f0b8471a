#include "app.h"

#include "../core/log.h"

void app_config_default(struct app_config *c)
{
    c->db_path = "guild.db";
    c->listen = "127.0.0.1:8080";
    c->site_name = "Guild";
    c->base_url = NULL;
    c->threads = 4;
    c->secure_cookies = false;
    c->rank_interval = 60;
    c->login_max_failures = 10;
    c->login_window = 900;
}

void app_note_write(struct app *app)
{
    if (app->ranker != NULL) {
        ranker_poke(app->ranker);
    }
}

void app_item_changed(struct app *app, struct store *db, int64_t item_id, int64_t now)
{
    if (app->ranker != NULL && ranker_item_changed(app->ranker, db, item_id, now) != 0) {
        log_warn("ranker: incremental update of item %lld failed", (long long)item_id);
    }
}
