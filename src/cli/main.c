/* guild: one binary, subcommands. */
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "cli.h"

static const char usage[] =
    "usage: guild COMMAND [options]   (guild COMMAND --help for each)\n"
    "commands:\n"
    "  init     create or migrate a database\n"
    "  user     add a member (user add ...)\n"
    "  invite   create an invitation link for a member\n"
    "  token    API tokens: create, list, revoke\n"
    "  demo     load demo data into a new database\n"
    "  serve    run the web server and background workers\n"
    "  rank     recompute scores now (or explain one item)\n"
    "  seed     mark or unmark a trust seed member\n"
    "  fetch-url  fetch one URL through the SSRF guard\n"
    "  fetch    one monitoring cycle: fetch due feeds, alerts, mail\n"
    "  feed     parse a feed file (feed parse FILE) and print it as JSON\n"
    "  mod      moderation: the queue, the log, and moderator actions\n"
    "  topic    score lines with the off-topic check trained on a guild (topic score)\n"
    "  backup   a consistent copy of a guild while it runs\n"
    "  migrate  copy a SQLite guild into an empty PostgreSQL database\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(const struct cli_flags *);
    } cmds[] = {{"init", cmd_init},   {"user", cmd_user},   {"invite", cmd_invite},
                {"token", cmd_token}, {"demo", cmd_demo},   {"serve", cmd_serve},
                {"rank", cmd_rank},   {"seed", cmd_seed},   {"fetch-url", cmd_fetch_url},
                {"mod", cmd_mod},     {"feed", cmd_feed},   {"fetch", cmd_fetch},
                {"topic", cmd_topic}, {"backup", cmd_backup},
                {"migrate", cmd_migrate}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (auth_init() != 0) {
        fputs("guild: cannot initialise libsodium\n", stderr);
        return 1;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(argv[1], cmds[i].name) == 0) {
            struct cli_flags f = {argc - 2, argv + 2, usage};
            return cmds[i].fn(&f);
        }
    }
    fprintf(stderr, "guild: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
