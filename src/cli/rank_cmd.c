/* guild rank: recompute now, or explain one item. */
#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "../core/err.h"
#include "../ranker/ranker.h"
#include "cli.h"

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int explain(struct store *s, const char *ids)
{
    int64_t id;
    struct arena a;
    struct store_item it;
    if (!parse_id(ids, &id)) {
        fprintf(stderr, "guild: --explain takes an item id\n");
        return 2;
    }
    arena_init(&a);
    int rc = store_item_get(s, &a, id, 0, &it), status = 1;
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "guild: no item %lld\n", (long long)id);
        goto out;
    }
    json_t *ex = rc == 0 ? json_loads(it.explain, 0, NULL) : NULL;
    if (ex == NULL) {
        fprintf(stderr, "guild: item %lld has no explanation yet\n", (long long)id);
        goto out;
    }
    printf("item %lld: %s\nscore %.4g, hot %.4g\n", (long long)id, it.title, it.score, it.hot);
    size_t i;
    json_t *step;
    json_array_foreach(json_object_get(ex, "steps"), i, step)
    {
        printf("  - %s\n", json_string_value(step));
    }
    printf("formula: %s\n", json_string_value(json_object_get(ex, "formula")));
    json_decref(ex);
    status = 0;
out:
    arena_fini(&a);
    return status;
}

int cmd_rank(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "explain", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild rank --db PATH [--explain ID]\n"
              "  Recomputes every item's score now; --explain then prints how ID's was made.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    struct store *s;
    int opened = cli_open_db(&f, &s);
    if (opened != 0) {
        return opened;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t n = 0;
    int rc = ranker_run_once(s, now_unix(), &n), status = 0;
    if (rc != 0) {
        fprintf(stderr, "guild: ranking failed (%s)\n", err_code(rc));
        status = 1;
    } else {
        printf("ranked %zu items in %.1f ms\n", n, ms_since(&t0));
        if (cli_get(&f, "explain") != NULL) {
            status = explain(s, cli_get(&f, "explain"));
        }
    }
    store_close(s);
    return status;
}
