/* fetch_many: libcurl multi over many feeds with per-host politeness. Each job walks the same
 * hops as fetch_url (guard, pin, one redirect at a time), but transfers run concurrently and
 * a host never sees two requests at once or two closer than host_gap_ms. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"
#include "fetch_int.h"

enum job_state { JOB_PENDING, JOB_RUNNING, JOB_DONE };

const char fetch_cancelled[] = "stopped before it was fetched";

struct job_run {
    enum job_state state;
    bool reported; /* o->done has been called for it */
    char *cur;          /* the URL of the next or current hop (heap) */
    char host[256];
    struct timespec start;
    bool started;
    struct fetch_hop hop;
};

struct host_slot {
    char name[256];
    bool busy;
    struct timespec last_end;
    bool used;
};

static void host_of(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t k = strcspn(p, "/?#");
    const char *at = memchr(p, '@', k);
    if (at != NULL) {
        k -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    if (k >= n) {
        k = n - 1;
    }
    for (size_t i = 0; i < k; i++) {
        out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    }
    out[k] = '\0';
}

static struct host_slot *host_slot(struct host_slot *hosts, size_t *nhosts, size_t cap,
                                   const char *name)
{
    for (size_t i = 0; i < *nhosts; i++) {
        if (strcmp(hosts[i].name, name) == 0) {
            return &hosts[i];
        }
    }
    if (*nhosts == cap) {
        return NULL;
    }
    struct host_slot *h = &hosts[(*nhosts)++];
    memset(h, 0, sizeof(*h));
    snprintf(h->name, sizeof(h->name), "%s", name);
    return h;
}

static long ms_since(const struct timespec *t)
{
    return -fetch_ms_left(t, 0);
}

static void job_finish(struct fetch_job *j, struct job_run *run, int rc)
{
    j->rc = rc;
    j->r.final_url = run->cur;
    run->cur = NULL;
    if (j->r.redirects == 0) {
        j->r.permanent = false;
    }
    run->state = JOB_DONE;
}

/* Starts a pending job's next hop: the guard check (blocking DNS) and the transfer. */
static void job_start(CURLM *multi, struct fetch_job *j, struct job_run *run,
                      const struct fetch_options *base, struct host_slot *host)
{
    if (!run->started) {
        clock_gettime(CLOCK_MONOTONIC, &run->start);
        run->started = true;
    }
    char resolve[512];
    int rc = fetch_check_host(run->cur, base->allow_loopback, resolve, sizeof(resolve),
                              &j->r.refused);
    if (rc != 0) {
        if (rc == ERR_INVAL && j->r.redirects > 0) {
            rc = ERR_DENIED;
            j->r.refused = "the redirect does not lead to an http or https URL";
        }
        job_finish(j, run, rc);
        return;
    }
    long left = fetch_ms_left(&run->start, base->timeout_ms);
    if (left <= 0) {
        j->r.refused = "timed out";
        job_finish(j, run, ERR_IO);
        return;
    }
    struct fetch_options o = *base;
    o.if_none_match = j->if_none_match;
    o.if_modified_since = j->if_modified_since;
    run->hop = (struct fetch_hop){.r = &j->r};
    CURL *c = fetch_hop_begin(run->cur, resolve, &o, left, &run->hop);
    run->hop.easy = c;
    if (c == NULL || curl_multi_add_handle(multi, c) != CURLM_OK) {
        if (c != NULL) {
            char *none;
            fetch_hop_end(c, CURLE_OUT_OF_MEMORY, &run->hop, false, &none);
        }
        job_finish(j, run, ERR_NOMEM);
        return;
    }
    run->state = JOB_RUNNING;
    host->busy = true;
}

/* A transfer ended: either the job is done or its next hop waits in the queue. */
static void job_hop_done(CURLM *multi, CURL *c, CURLcode cc, struct fetch_job *j,
                         struct job_run *run, const struct fetch_options *o,
                         struct host_slot *host)
{
    curl_multi_remove_handle(multi, c);
    char *next = NULL;
    int rc = fetch_hop_end(c, cc, &run->hop, true, &next);
    host->busy = false;
    clock_gettime(CLOCK_MONOTONIC, &host->last_end);
    host->used = true;
    if (rc != 0 || next == NULL) {
        job_finish(j, run, rc);
        return;
    }
    if (j->r.redirects == o->max_redirects) {
        free(next);
        j->r.refused = "too many redirects";
        job_finish(j, run, ERR_IO);
        return;
    }
    j->r.redirects++;
    j->r.permanent = j->r.permanent && (j->r.status == 301 || j->r.status == 308);
    free(run->cur);
    run->cur = next; /* checked and pinned afresh when it starts: no rebinding */
    host_of(run->cur, run->host, sizeof(run->host));
    run->state = JOB_PENDING;
}

static void report_done(struct fetch_job *jobs, struct job_run *runs, size_t n,
                        const struct fetch_options *o)
{
    for (size_t i = 0; o->done != NULL && i < n; i++) {
        if (runs[i].state == JOB_DONE && !runs[i].reported) {
            runs[i].reported = true;
            o->done(&jobs[i], o->done_ctx);
        }
    }
}

void fetch_many(struct fetch_job *jobs, size_t n, const struct fetch_options *o, int parallel,
                long host_gap_ms)
{
    fetch_init();
    struct job_run *runs = xcalloc(n ? n : 1, sizeof(*runs));
    /* every hop of every job may be a new host */
    size_t cap = n * (size_t)(o->max_redirects + 1) + 8, nhosts = 0;
    struct host_slot *hosts = xcalloc(cap, sizeof(*hosts));
    CURLM *multi = curl_multi_init();
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        memset(&jobs[i].r, 0, sizeof(jobs[i].r));
        buf_init(&jobs[i].r.body, 0);
        jobs[i].r.permanent = true;
        jobs[i].rc = 0;
        runs[i].cur = xstrdup(jobs[i].url);
        host_of(runs[i].cur, runs[i].host, sizeof(runs[i].host));
        if (o->allow_loopback && !fetch_test_mode()) {
            jobs[i].r.refused = "the loopback allow-list works only in test mode";
            job_finish(&jobs[i], &runs[i], ERR_INVAL);
            done++;
        }
    }
    int running = 0;
    while (done < n) {
        if (o->cancel != NULL && *o->cancel) { /* shutting down: drop what is left */
            for (size_t i = 0; i < n; i++) {
                if (runs[i].state == JOB_RUNNING) {
                    CURL *c = NULL;
                    curl_multi_remove_handle(multi, c = runs[i].hop.easy);
                    char *none = NULL;
                    fetch_hop_end(c, CURLE_ABORTED_BY_CALLBACK, &runs[i].hop, false, &none);
                }
                if (runs[i].state != JOB_DONE) {
                    jobs[i].r.refused = fetch_cancelled;
                    job_finish(&jobs[i], &runs[i], ERR_IO);
                }
            }
            break;
        }
        for (size_t i = 0; i < n && running < parallel; i++) {
            if (runs[i].state != JOB_PENDING) {
                continue;
            }
            struct host_slot *h = host_slot(hosts, &nhosts, cap, runs[i].host);
            if (h == NULL || h->busy || (h->used && ms_since(&h->last_end) < host_gap_ms)) {
                continue; /* politeness: this host's turn comes later */
            }
            job_start(multi, &jobs[i], &runs[i], o, h);
            if (runs[i].state == JOB_RUNNING) {
                running++;
            } else {
                done++;
            }
        }
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(multi, &left)) != NULL) {
            if (m->msg != CURLMSG_DONE) {
                continue;
            }
            struct fetch_hop *hop = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&hop);
            if (hop == NULL) {
                continue;
            }
            /* the hop lives inside its job's run: its index without a search */
            size_t i = (size_t)((struct job_run *)(void *)((char *)hop -
                                                           offsetof(struct job_run, hop)) -
                                runs);
            struct host_slot *h = host_slot(hosts, &nhosts, cap, runs[i].host);
            running--;
            job_hop_done(multi, m->easy_handle, m->data.result, &jobs[i], &runs[i], o,
                         h ? h : &hosts[0]);
            if (runs[i].state == JOB_DONE) {
                done++;
            }
        }
        report_done(jobs, runs, n, o);
        if (done < n) {
            curl_multi_poll(multi, NULL, 0, running > 0 ? 50 : 10, NULL);
        }
    }
    report_done(jobs, runs, n, o);
    curl_multi_cleanup(multi);
    for (size_t i = 0; i < n; i++) {
        free(runs[i].cur);
    }
    free(runs);
    free(hosts);
}
