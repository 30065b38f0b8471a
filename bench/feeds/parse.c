/* bench/feeds parse throughput: Guild's feed parser (the pure library, in process) over a set
 * of files, repeated for at least the given seconds. Prints one line:
 *   guild files=N bytes=B entries=E seconds=S mb_per_s=X entries_per_s=Y
 * usage: feedbench SECONDS FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/feed/feed.h"

struct blob {
    char *data;
    size_t n;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b->data = malloc((size_t)n + 1);
    b->n = b->data ? fread(b->data, 1, (size_t)n, f) : 0;
    fclose(f);
    return b->data ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: feedbench SECONDS FILE...\n", stderr);
        return 2;
    }
    double secs = atof(argv[1]);
    int nfiles = argc - 2;
    struct blob *files = calloc((size_t)nfiles, sizeof(*files));
    for (int i = 0; i < nfiles; i++) {
        if (load(argv[i + 2], &files[i]) != 0) {
            fprintf(stderr, "feedbench: cannot read %s\n", argv[i + 2]);
            return 1;
        }
    }
    double start = now_s(), elapsed = 0;
    size_t bytes = 0, entries = 0;
    do {
        for (int i = 0; i < nfiles; i++) {
            struct arena a;
            arena_init(&a);
            struct feed_doc *d = NULL;
            const char *refused = NULL;
            if (feed_parse(&a, files[i].data, files[i].n, NULL, "http://example.com/", &d,
                           &refused) == 0) {
                entries += d->nentries;
            }
            bytes += files[i].n;
            arena_fini(&a);
        }
        elapsed = now_s() - start;
    } while (elapsed < secs);
    printf("guild files=%d bytes=%zu entries=%zu seconds=%.2f mb_per_s=%.2f entries_per_s=%.0f\n",
           nfiles, bytes, entries, elapsed, (double)bytes / 1e6 / elapsed,
           (double)entries / elapsed);
    for (int i = 0; i < nfiles; i++) {
        free(files[i].data);
    }
    free(files);
    return 0;
}
