/* The API tokens section of the settings page, and revoking one there. Tokens are created
 * with `guild token create` (the secret is shown once); a password change ends them all. */
#include <string.h>

#include "../core/err.h"
#include "web_int.h"

int html_settings_tokens(struct http_request *rq)
{
    struct buf *b = &rq->out;
    struct store_token *list;
    size_t n;
    int rc = store_token_list(http_db(rq), &rq->arena, rq->user->id, &list, &n);
    if (rc != 0) {
        return rc;
    }
    HTML_LIT(b, "<section><h2>API tokens</h2>\n");
    if (n == 0) {
        HTML_LIT(b, "<p>You have no API tokens. An admin creates one with <code>guild token "
                    "create</code>.</p>");
    } else {
        HTML_LIT(b, "<p>Scripts that use these act as you. Revoke one you no longer use; "
                    "changing your password revokes them all.</p>\n<ul class=\"tokens\">");
    }
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(b, "<li>");
        html_text(b, list[i].label[0] ? list[i].label : "Token without a label");
        buf_appendf(b, " (#%lld, created ", (long long)list[i].id);
        html_age(b, list[i].created_at, rq->now);
        buf_appendf(b, ") <form class=\"inline\" method=\"post\" "
                       "action=\"/settings/tokens/%lld/revoke\">",
                    (long long)list[i].id);
        html_csrf(rq);
        HTML_LIT(b, "<button class=\"link\">revoke</button></form></li>");
    }
    buf_appendz(b, n > 0 ? "</ul></section>\n" : "</section>\n");
    return 0;
}

int web_settings_token_revoke(struct http_request *rq)
{
    int64_t id;
    id = rq->id; /* validated by the route table */
    int rc = store_token_revoke(http_db(rq), rq->user->id, id);
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "id", "You have no API token with that number.");
    }
    if (rc != 0) {
        return rc;
    }
    return web_settings_notice(rq, NULL, arena_printf(&rq->arena, "Token #%lld revoked: "
                                                                  "scripts using it are "
                                                                  "signed out.",
                                                      (long long)id));
}
