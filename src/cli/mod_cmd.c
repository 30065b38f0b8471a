/* guild mod: the moderation queue, the public log, and moderator actions from the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"
#include "../mod/mod.h"
#include "cli.h"

static const char usage[] =
    "usage: guild mod --db PATH queue\n"
    "       guild mod --db PATH log [--limit 50]\n"
    "       guild mod --db PATH ACTION --as HANDLE --reason TEXT TARGET [--into ID]\n"
    "                 [--title TEXT] [--tags TAGS] [--days N]\n"
    "  ACTION: keep remove merge edit lock (--item ID; keep and remove also --comment ID),\n"
    "          warn suspend ban revoke-invites prune (--user HANDLE), undo (--log ID).\n"
    "  Every action is written to the public moderation log and can be undone.\n";

static const char *const valued[] = {"db",   "as",    "reason", "item", "comment", "user",
                                     "log",  "into",  "title",  "tags", "days",    "limit",
                                     NULL};

static int print_queue(struct store *s, struct arena *a)
{
    struct store_queue_entry *q;
    size_t n;
    int rc = store_mod_queue(s, a, 0, &q, &n);
    if (rc != 0) {
        fprintf(stderr, "guild: could not read the queue (%s)\n", err_code(rc));
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        printf("%s %lld\tby %s\tflags %.2f\t%s\t%s\n", q[i].target, (long long)q[i].id,
               q[i].author, q[i].flag_weight, q[i].queue_reason, q[i].label);
    }
    printf("%zu waiting\n", n);
    return 0;
}

static int print_log(const struct cli_flags *f, struct store *s, struct arena *a)
{
    int64_t limit = 50;
    if (cli_get(f, "limit") && (!parse_id(cli_get(f, "limit"), &limit) || limit > 1000)) {
        fputs("guild: --limit is 1..1000\n", stderr);
        return 2;
    }
    struct store_modlog *l;
    size_t n;
    int rc = store_modlog_list(s, a, (int)limit, 0, &l, &n);
    if (rc != 0) {
        fprintf(stderr, "guild: could not read the log (%s)\n", err_code(rc));
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        printf("#%lld\t%s\t%s %s %lld\tby %s\t%s%s\n", (long long)l[i].id, l[i].action,
               l[i].target, l[i].target_label, (long long)l[i].target_id, l[i].moderator,
               l[i].reason, l[i].undone_by ? "\t(undone)" : "");
    }
    return 0;
}

/* Fills the request's target from --item, --comment, --user or --log. */
static int read_target(const struct cli_flags *f, struct store *s, struct arena *a,
                       struct mod_request *rq)
{
    static const char *const kinds[] = {"item", "comment", "log"};
    for (int k = 0; k < 3; k++) {
        if (cli_get(f, kinds[k])) {
            if (!parse_id(cli_get(f, kinds[k]), &rq->target_id)) {
                fprintf(stderr, "guild: --%s is an id\n", kinds[k]);
                return 2;
            }
            rq->target = k == 2 ? NULL : kinds[k];
            return 0;
        }
    }
    if (cli_get(f, "user")) {
        struct store_user u;
        if (store_user_by_handle(s, a, cli_get(f, "user"), &u) != 0) {
            fprintf(stderr, "guild: no member with handle '%s'\n", cli_get(f, "user"));
            return 1;
        }
        rq->target = "user";
        rq->target_id = u.id;
        return 0;
    }
    fputs("guild: name the target: --item ID, --comment ID, --user HANDLE or --log ID\n", stderr);
    return 2;
}

static int run_action(const struct cli_flags *f, const char *action, struct arena *a)
{
    struct store *s = NULL;
    struct store_user me;
    if (cli_need(f, "reason") == NULL) {
        return 2;
    }
    int status = cli_open_member(f, "as", &s, a, &me);
    if (status != 0) {
        return status;
    }
    struct mod_request rq = {.action = action, .reason = cli_get(f, "reason"),
                             .title = cli_get(f, "title"), .tags = cli_get(f, "tags")};
    int64_t v;
    if (cli_get(f, "into")) {
        status = parse_id(cli_get(f, "into"), &rq.into) ? 0 : 2;
    }
    if (status == 0 && cli_get(f, "days")) {
        status = parse_id(cli_get(f, "days"), &v) && v <= 365 ? 0 : 2;
        rq.days = (int)v;
    }
    if (status != 0) {
        fputs("guild: --into is an item id and --days 1..365\n", stderr);
    } else {
        status = read_target(f, s, a, &rq);
    }
    if (status == 0) {
        int64_t log_id;
        struct rules_error e = {0};
        int rc = mod_act(s, a, &me, &rq, now_unix(), &log_id, &e);
        if (rc == 0) {
            printf("logged #%lld: %s\n", (long long)log_id, action);
        } else {
            fprintf(stderr, "guild: %s\n", e.message ? e.message : err_code(rc));
            status = rc == ERR_INVAL ? 2 : 1;
        }
    }
    store_close(s);
    return status;
}

int cmd_mod(const struct cli_flags *in)
{
    /* the one positional argument (the action) may stand anywhere among the flags */
    char **rest = calloc((size_t)in->argc + 1, sizeof(*rest));
    const char *action = NULL;
    int n = 0, status = 2;
    for (int i = 0; i < in->argc; i++) {
        const char *arg = in->argv[i];
        bool flag = strncmp(arg, "--", 2) == 0;
        if (!flag && action == NULL) {
            action = arg;
            continue;
        }
        rest[n++] = in->argv[i];
        bool takes_value = false;
        for (int k = 0; flag && valued[k] != NULL; k++) {
            takes_value |= strcmp(arg + 2, valued[k]) == 0;
        }
        if (takes_value && i + 1 < in->argc) {
            rest[n++] = in->argv[++i];
        }
    }
    struct cli_flags f = {n, rest, usage};
    int x = cli_check_exit(&f, valued, NULL);
    struct arena a;
    arena_init(&a);
    if (x >= 0) {
        status = x;
    } else if (action == NULL) {
        fputs(usage, stderr);
    } else if (strcmp(action, "queue") == 0 || strcmp(action, "log") == 0) {
        struct store *s = NULL;
        status = cli_open_db(&f, &s);
        if (status == 0) {
            status = action[0] == 'q' ? print_queue(s, &a) : print_log(&f, s, &a);
        }
        store_close(s);
    } else if (!rules_in_list(mod_actions, action)) {
        fprintf(stderr, "guild: unknown moderation action '%s'\n%s", action, usage);
    } else {
        status = run_action(&f, action, &a);
    }
    arena_fini(&a);
    free(rest);
    return status;
}
