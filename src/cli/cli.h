/* Subcommands of the guild binary (one .c each) and the flag helpers they share.
 * Each command returns a process exit status: 0 ok, 1 failed, 2 usage error. */
#ifndef GUILD_CLI_CLI_H
#define GUILD_CLI_CLI_H

#include <stdbool.h>

#include "../http/http.h"
#include "../store/store.h"

struct cli_flags {
    int argc;
    char **argv;
    const char *usage; /* printed for --help and usage errors */
};

/* Value of --name VALUE or --name=VALUE; NULL when absent. */
const char *cli_get(const struct cli_flags *f, const char *name);
bool cli_has(const struct cli_flags *f, const char *name);
/* Usage error unless every argument is one of the named flags (valued: takes a value).
 * Prints the usage and returns 2 on a problem, 1 for --help (caller exits 0), else 0. */
int cli_check(const struct cli_flags *f, const char *const *valued, const char *const *bare);
/* cli_check as an exit decision: -1 to go on, else the status to return (0 after --help). */
int cli_check_exit(const struct cli_flags *f, const char *const *valued, const char *const *bare);
/* Required flag: prints "guild: --name is required" and returns NULL when absent. */
const char *cli_need(const struct cli_flags *f, const char *name);
/* Opens the store named by --db (creating and migrating it). Returns the exit status to give
 * on failure (2: --db missing, a usage error; 1: it could not be opened), or 0. */
/* The database --db names: a file path, or sqlite:PATH. NULL (with the reason on stderr) when
 * missing or an engine this build lacks. Points into f's arguments. */
const char *cli_db_path(const struct cli_flags *f);
int cli_open_db(const struct cli_flags *f, struct store **s);

/* Opens --db and loads the member named by --FLAG. Exit status on failure (store closed). */
int cli_open_member(const struct cli_flags *f, const char *flag, struct store **s,
                    struct arena *a, struct store_user *u);

int cmd_init(const struct cli_flags *f);
int cmd_user(const struct cli_flags *f);
int cmd_invite(const struct cli_flags *f);
int cmd_token(const struct cli_flags *f);
int cmd_topic(const struct cli_flags *f);
int cmd_demo(const struct cli_flags *f);
int cmd_serve(const struct cli_flags *f);
int cmd_rank(const struct cli_flags *f);
int cmd_seed(const struct cli_flags *f);
int cmd_fetch_url(const struct cli_flags *f);
int cmd_mod(const struct cli_flags *f);
int cmd_feed(const struct cli_flags *f);
int cmd_fetch(const struct cli_flags *f);
int cmd_backup(const struct cli_flags *f);
int cmd_migrate(const struct cli_flags *f);
struct monitor_options;
/* The monitor settings shared by fetch and serve: 0, or 2 after printing a usage error. */
int cli_monitor_options(const struct cli_flags *f, struct monitor_options *o);

/* The route table (routes.c). */
extern const struct http_route cli_routes[];
extern const size_t cli_nroutes;

/* Demo data loader (demo.c). */
int demo_load(struct store *s, int64_t now);

#endif
