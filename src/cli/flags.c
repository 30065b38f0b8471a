#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "cli.h"

static bool flag_is(const char *arg, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(arg, "--", 2) != 0 || strncmp(arg + 2, name, n) != 0) {
        return false;
    }
    if (arg[2 + n] == '\0') {
        *value = NULL;
        return true;
    }
    if (arg[2 + n] == '=') {
        *value = arg + 3 + n;
        return true;
    }
    return false;
}

const char *cli_get(const struct cli_flags *f, const char *name)
{
    for (int i = 0; i < f->argc; i++) {
        const char *v;
        if (flag_is(f->argv[i], name, &v)) {
            return v ? v : (i + 1 < f->argc ? f->argv[i + 1] : NULL);
        }
    }
    return NULL;
}

bool cli_has(const struct cli_flags *f, const char *name)
{
    for (int i = 0; i < f->argc; i++) {
        const char *v;
        if (flag_is(f->argv[i], name, &v)) {
            return true;
        }
    }
    return false;
}

static bool in(const char *const *list, const char *arg, const char **value)
{
    for (size_t k = 0; list != NULL && list[k] != NULL; k++) {
        if (flag_is(arg, list[k], value)) {
            return true;
        }
    }
    return false;
}

int cli_check(const struct cli_flags *f, const char *const *valued, const char *const *bare)
{
    for (int i = 0; i < f->argc; i++) {
        const char *arg = f->argv[i], *v;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(f->usage, stdout);
            return 1;
        }
        if (in(valued, arg, &v)) {
            if (v == NULL) {
                if (i + 1 >= f->argc) {
                    fprintf(stderr, "guild: %s needs a value\n%s", arg, f->usage);
                    return 2;
                }
                i++;
            }
            continue;
        }
        if (in(bare, arg, &v) && v == NULL) {
            continue;
        }
        fprintf(stderr, "guild: unexpected argument '%s'\n%s", arg, f->usage);
        return 2;
    }
    return 0;
}

int cli_check_exit(const struct cli_flags *f, const char *const *valued, const char *const *bare)
{
    int rc = cli_check(f, valued, bare);
    return rc == 1 ? 0 : rc == 2 ? 2 : -1;
}

const char *cli_need(const struct cli_flags *f, const char *name)
{
    const char *v = cli_get(f, name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "guild: --%s is required\n%s", name, f->usage);
        return NULL;
    }
    return v;
}

const char *cli_db_path(const struct cli_flags *f)
{
    const char *db = cli_need(f, "db");
    if (db == NULL) {
        return NULL;
    }
    if (store_is_pg(db)) {
        return db;
    }
    if (strncmp(db, "sqlite:", 7) == 0) {
        db += 7;
    }
    if (db[0] == '\0') {
        fprintf(stderr, "guild: --db sqlite: needs a file path after it\n");
        return NULL;
    }
    return db;
}

int cli_open_db(const struct cli_flags *f, struct store **s)
{
    const char *path = cli_db_path(f);
    if (path == NULL) {
        return 2;
    }
    int rc = store_open(path, s);
    if (rc != 0) {
        fprintf(stderr, "guild: cannot open database %s (%s)\n",
                store_db_shown(path), err_code(rc));
        return 1;
    }
    return 0;
}
