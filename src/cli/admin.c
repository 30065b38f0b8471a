/* guild init, user add, invite, seed. */
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "cli.h"

int cmd_init(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild init --db PATH|sqlite:PATH|postgresql://...\n"
              "  Creates the database (or applies new migrations). A PostgreSQL database (a\n"
              "  libpq URI, e.g. postgresql:///guild?host=/run/postgresql) must exist; init\n"
              "  creates Guild's schema in it.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    struct store *s;
    int opened = cli_open_db(&f, &s);
    if (opened != 0) {
        return opened;
    }
    if (store_is_pg(cli_get(&f, "db"))) { /* (the URI may hold a password: not echoed) */
        printf("postgresql database ready (schema %d)\n", store_schema_version(s));
    } else {
        printf("database %s ready (schema %d)\n", cli_get(&f, "db"), store_schema_version(s));
    }
    store_close(s);
    return 0;
}

/* Reads the first line of a file (the password), without its newline. */
static int read_password_file(const char *path, char *out, size_t outsz)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "guild: cannot read password file %s\n", path);
        return ERR_IO;
    }
    if (fgets(out, (int)outsz, fp) == NULL) {
        out[0] = '\0';
    }
    fclose(fp);
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

int cmd_user(const struct cli_flags *in)
{
    static const char *const valued[] = {"db",          "handle", "name", "email",
                                         "password-file", "affiliation", "domain", "role",
                                         NULL};
    static const char usage[] =
        "usage: guild user add --db PATH --handle H --name N --email E --password-file F\n"
        "                      [--affiliation ORG --domain DOMAIN] [--role admin|member|org-admin]\n"
        "  Adds a member directly (for the first admin; others join by invitation).\n"
        "  org-admin: a member who exports the consenting contacts of the organisation\n"
        "  --domain names, and keeps its webhooks.\n";
    if (in->argc < 1 || strcmp(in->argv[0], "add") != 0) {
        bool help = in->argc > 0 && strcmp(in->argv[0], "--help") == 0;
        fputs(usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct cli_flags f = {in->argc - 1, in->argv + 1, usage};
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    const char *handle = cli_need(&f, "handle"), *name = cli_need(&f, "name");
    const char *email = cli_need(&f, "email"), *pwfile = cli_need(&f, "password-file");
    if (!handle || !name || !email || !pwfile || !cli_need(&f, "db")) {
        return 2;
    }
    const char *role = cli_get(&f, "role") ? cli_get(&f, "role") : "member";
    bool org_admin = strcmp(role, "org-admin") == 0;
    role = org_admin ? "member" : role;
    if (strcmp(role, "admin") != 0 && strcmp(role, "member") != 0) {
        fprintf(stderr, "guild: --role is admin, member or org-admin\n");
        return 2;
    }
    if (org_admin && cli_get(&f, "domain") == NULL) {
        fprintf(stderr, "guild: an org-admin needs --domain (the organisation's)\n");
        return 2;
    }
    char pw[AUTH_PASSWORD_MAX + 2];
    if (read_password_file(pwfile, pw, sizeof(pw)) != 0) {
        return 1;
    }
    struct arena a;
    arena_init(&a);
    struct rules_signup su = {handle, name, email, pw, cli_get(&f, "affiliation"),
                              cli_get(&f, "domain")};
    struct rules_error e = {0};
    const char *aff, *dom;
    char hash[AUTH_HASH_MAX];
    struct store *s = NULL;
    int status = 1;
    if (rules_signup_check(&a, &su, &aff, &dom, &e) != 0) {
        fprintf(stderr, "guild: --%s: %s\n", e.field, e.message);
        status = 2;
        goto out;
    }
    if (auth_password_hash(pw, hash) != 0 || cli_open_db(&f, &s) != 0) {
        goto out;
    }
    struct store_user_new nu = {.handle = handle, .name = name, .email = email,
                                .pw_hash = hash, .affiliation = aff, .domain = dom,
                                .role = role, .invites_left = strcmp(role, "admin") == 0 ? 0 : 3};
    int64_t id;
    int rc = store_user_create(s, &nu, &id);
    if (rc == ERR_EXISTS) {
        fprintf(stderr, "guild: a member with that handle or email already exists\n");
        goto out;
    }
    if (rc != 0) {
        fprintf(stderr, "guild: could not add the member (%s)\n", err_code(rc));
        goto out;
    }
    if (org_admin && (rc = store_user_org_set(s, id, NULL, 1)) != 0) {
        fprintf(stderr, "guild: could not make the member an org-admin (%s)\n", err_code(rc));
        goto out;
    }
    printf("added %s (%s, id %lld)\n", handle, org_admin ? "org-admin" : role, (long long)id);
    status = 0;
out:
    store_close(s);
    arena_fini(&a);
    return status;
}

/* The shared start of commands about one member: --FLAG names them, --db the store.
 * Returns 0 with *s open (close it) and *u filled in a, or the exit status to return. */
int cli_open_member(const struct cli_flags *f, const char *flag, struct store **s,
                    struct arena *a, struct store_user *u)
{
    const char *handle = cli_need(f, flag);
    if (handle == NULL) {
        return 2;
    }
    int opened = cli_open_db(f, s);
    if (opened != 0) {
        return opened;
    }
    int rc = store_user_by_handle(*s, a, handle, u);
    if (rc == 0) {
        return 0;
    }
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "guild: no member with handle '%s'\n", handle);
    } else {
        fprintf(stderr, "guild: lookup failed (%s)\n", err_code(rc));
    }
    store_close(*s);
    *s = NULL;
    return 1;
}

int cmd_invite(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "by", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild invite --db PATH --by HANDLE\n"
              "  Prints an invitation URL path (/join/CODE) from that member.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    struct store *s = NULL;
    struct arena a;
    arena_init(&a);
    struct store_user u;
    int status = cli_open_member(&f, "by", &s, &a, &u);
    if (status == 0) {
        status = 1;
        char code[AUTH_SECRET_HEX];
        auth_secret_new(code);
        code[24] = '\0';
        int rc = store_invite_create(s, u.id, strcmp(u.role, "admin") == 0, code);
        if (rc == 0) {
            printf("/join/%s\n", code);
            status = 0;
        } else if (rc == ERR_DENIED) {
            fprintf(stderr, "guild: %s has no invitations left\n", u.handle);
        } else {
            fprintf(stderr, "guild: could not create the invitation (%s)\n", err_code(rc));
        }
    }
    arena_fini(&a);
    store_close(s);
    return status;
}

int cmd_seed(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "handle", NULL};
    static const char *const bare[] = {"remove", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild seed --db PATH --handle H [--remove]\n"
              "  Marks a member as a trust seed (or, with --remove, unmarks them). Trust flows\n"
              "  from the seeds along invitations; admins start as seeds.\n";
    int x = cli_check_exit(&f, valued, bare);
    if (x >= 0) {
        return x;
    }
    const char *handle = cli_need(&f, "handle");
    struct store *s;
    if (handle == NULL) {
        return 2;
    }
    int opened = cli_open_db(&f, &s);
    if (opened != 0) {
        return opened;
    }
    bool on = !cli_has(&f, "remove");
    int rc = store_user_set_seed(s, handle, on), status = 0;
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "guild: no member with handle '%s'\n", handle);
        status = 1;
    } else if (rc != 0) {
        fprintf(stderr, "guild: could not update the member (%s)\n", err_code(rc));
        status = 1;
    } else {
        printf("%s is %s a seed; run guild rank to recompute trust\n", handle, on ? "now" : "no longer");
    }
    store_close(s);
    return status;
}
