#include "app.h"

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
