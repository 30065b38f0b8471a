/* Operating endpoints: GET /healthz for load balancers and GET /metrics for Prometheus
 * (docs/api.md). Plain text, never cached, no session needed. */
#include <string.h>
#include <strings.h>

#include "../app/app.h"
#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/metrics.h"
#include "api.h"

int api_healthz(struct http_request *rq)
{
    rq->content_type = "text/plain; charset=utf-8";
    http_add_header(rq, "Cache-Control", "no-store");
    int rc = store_health(http_db(rq));
    if (rc != 0) {
        rq->status = 503;
        buf_appendf(&rq->out, "unavailable: the database does not answer (%s)\n", err_code(rc));
        return 0;
    }
    buf_appendz(&rq->out, "ok\n");
    return 0;
}

/* This machine, or anyone who shows the metrics token. */
static bool metrics_allowed(struct http_request *rq)
{
    if (http_from_loopback(rq)) {
        return true;
    }
    const char *want = rq->app->cfg.metrics_token;
    const char *auth = http_header(rq, "Authorization");
    return want != NULL && auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0 &&
           auth_secret_equal(auth + 7, want);
}

int api_metrics(struct http_request *rq)
{
    if (!metrics_allowed(rq)) {
        return http_fail(rq, ERR_DENIED, NULL, "Metrics are answered to this machine only, or "
                                               "to a request with the metrics token.");
    }
    rq->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_add_header(rq, "Cache-Control", "no-store");
    struct buf *b = &rq->out;
    http_metrics_write(rq, b);
    metrics_write(b);
    int64_t queued = 0;
    bool db_ok = store_mail_pending(http_db(rq), &queued) == 0;
    buf_appendf(b, "# HELP guild_mail_queue Mails waiting in the outbox.\n"
                   "# TYPE guild_mail_queue gauge\nguild_mail_queue %lld\n"
                   "# HELP guild_up Whether the database answered this scrape.\n"
                   "# TYPE guild_up gauge\nguild_up %d\n",
                (long long)queued, db_ok ? 1 : 0);
    return 0;
}
