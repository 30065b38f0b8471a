/* guild token create|list|revoke: a member's API bearer tokens. Only hashes are stored, so a
 * token is printed once, when it is created; list and revoke name tokens by id. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/util.h"
#include "cli.h"

static const char token_usage[] =
    "usage: guild token create --db PATH --user HANDLE [--label TEXT]\n"
    "       guild token list   --db PATH --user HANDLE\n"
    "       guild token revoke --db PATH --user HANDLE --id N\n"
    "  create prints a new API bearer token for that member (shown once); list shows their\n"
    "  tokens' ids, labels and creation dates; revoke ends one. A password change ends all.\n";

static int token_create(struct store *s, const struct store_user *u, const char *label)
{
    char token[AUTH_SECRET_HEX], hash[AUTH_SECRET_HEX];
    auth_secret_new(token);
    auth_secret_hash(token, hash);
    if (store_token_create(s, hash, u->id, label) != 0) {
        fprintf(stderr, "guild: could not create the token\n");
        return 1;
    }
    printf("%s\n", token);
    return 0;
}

static int token_list(struct store *s, struct arena *a, const struct store_user *u)
{
    struct store_token *list;
    size_t n;
    if (store_token_list(s, a, u->id, &list, &n) != 0) {
        fprintf(stderr, "guild: could not read the tokens\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        char day[32];
        time_t t = (time_t)list[i].created_at;
        struct tm tm;
        strftime(day, sizeof(day), "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
        printf("%lld\t%s UTC\t%s\n", (long long)list[i].id, day,
               list[i].label[0] ? list[i].label : "(no label)");
    }
    if (n == 0) {
        printf("%s has no API tokens\n", u->handle);
    }
    return 0;
}

static int token_revoke(struct store *s, const struct store_user *u, const char *id_text)
{
    int64_t id;
    if (!parse_id(id_text, &id)) {
        fprintf(stderr, "guild: --id wants a token id from guild token list\n");
        return 2;
    }
    int rc = store_token_revoke(s, u->id, id);
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "guild: %s has no token %lld\n", u->handle, (long long)id);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "guild: could not revoke the token (%s)\n", err_code(rc));
        return 1;
    }
    printf("token %lld of %s revoked\n", (long long)id, u->handle);
    return 0;
}

int cmd_token(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "user", "label", "id", NULL};
    const char *verb = in->argc > 0 ? in->argv[0] : "";
    if (strcmp(verb, "create") != 0 && strcmp(verb, "list") != 0 &&
        strcmp(verb, "revoke") != 0) {
        bool help = strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0;
        fputs(token_usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct cli_flags f = {in->argc - 1, in->argv + 1, token_usage};
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    const char *id = strcmp(verb, "revoke") == 0 ? cli_need(&f, "id") : "";
    if (id == NULL) {
        return 2;
    }
    struct store *s = NULL;
    struct arena a;
    arena_init(&a);
    struct store_user u;
    int status = cli_open_member(&f, "user", &s, &a, &u);
    if (status == 0) {
        status = strcmp(verb, "create") == 0 ? token_create(s, &u, cli_get(&f, "label"))
                 : strcmp(verb, "list") == 0 ? token_list(s, &a, &u)
                                             : token_revoke(s, &u, id);
    }
    arena_fini(&a);
    store_close(s);
    return status;
}
