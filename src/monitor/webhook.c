/* Whether a webhook address can be used, asked when a member saves one, so that the refusal
 * comes with the form rather than as a failed alert later. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "../core/url.h"
#include "../fetch/fetch.h"
#include "monitor.h"

const char *monitor_webhook_refusal(struct arena *a, const char *url)
{
    char *canon, *host;
    if (url == NULL || url[0] == '\0') {
        return "A webhook needs an address, like https://hooks.example.org/guild.";
    }
    if (url_canonicalize(a, url, &canon, &host) != 0) {
        return "A webhook needs a full http or https address with a domain name, like "
               "https://hooks.example.org/guild (addresses on this machine or a private "
               "network are not sent to).";
    }
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    size_t n = strlen(host);
    char *bare = n > 2 && host[0] == '[' ? arena_strndup(a, host + 1, n - 2) : host;
    const char *why = NULL;
    if (inet_pton(AF_INET, bare, &v4.sin_addr) == 1) {
        why = fetch_addr_refusal((const struct sockaddr *)&v4, fetch_test_mode());
    } else if (inet_pton(AF_INET6, bare, &v6.sin6_addr) == 1) {
        why = fetch_addr_refusal((const struct sockaddr *)&v6, fetch_test_mode());
    }
    if (why != NULL) {
        return arena_printf(a, "Webhooks are not sent to %s: %s. Use a public address.", host,
                            why);
    }
    return NULL;
}
