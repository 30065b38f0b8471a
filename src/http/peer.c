/* Who is on the other end of a request, and where this server listens. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

/* Behind a trusted reverse proxy on this machine, the client is the one the proxy names in
 * X-Real-IP (nginx: proxy_set_header X-Real-IP $remote_addr, which overwrites whatever the
 * client sent). Only a loopback peer is believed, and only a well-formed address. */
static void http_proxied_ip(struct http_request *rq, struct MHD_Connection *c)
{
    bool local = strncmp(rq->ip, "127.", 4) == 0 || strcmp(rq->ip, "::1") == 0;
    const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");
    unsigned char addr[sizeof(struct in6_addr)];
    if (!local || real == NULL || strlen(real) >= sizeof(rq->ip) ||
        (inet_pton(AF_INET, real, addr) != 1 && inet_pton(AF_INET6, real, addr) != 1)) {
        return;
    }
    snprintf(rq->ip, sizeof(rq->ip), "%s", real);
}

void http_client_ip(struct http_request *rq, struct MHD_Connection *c, bool trust_proxy)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(rq->ip, sizeof(rq->ip), "unknown");
    if (ci == NULL || ci->client_addr == NULL) {
        return;
    }
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, rq->ip,
                  sizeof(rq->ip));
    } else if (sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, rq->ip,
                  sizeof(rq->ip));
    }
    if (trust_proxy) {
        http_proxied_ip(rq, c);
    }
}

bool http_from_loopback(struct http_request *rq)
{
    bool local = strncmp(rq->ip, "127.", 4) == 0 || strcmp(rq->ip, "::1") == 0 ||
                 strncmp(rq->ip, "::ffff:127.", 11) == 0;
    return local && http_header(rq, "X-Forwarded-For") == NULL &&
           http_header(rq, "Forwarded") == NULL && http_header(rq, "X-Real-IP") == NULL;
}

int http_local_port(const struct http_request *rq)
{
    /* through the connection, not srv->daemon: that is written after the daemon starts */
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_DAEMON);
    const union MHD_DaemonInfo *di =
        ci ? MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    return di ? di->port : 0;
}

const char *http_client_key(struct http_request *rq)
{
    struct in6_addr a6;
    if (strchr(rq->ip, ':') == NULL || inet_pton(AF_INET6, rq->ip, &a6) != 1) {
        return rq->ip;
    }
    /* one IPv6 subscriber usually has a whole /64: counting per address would let them
     * rotate through it */
    const uint8_t *b = a6.s6_addr;
    return arena_printf(&rq->arena, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1],
                        b[2], b[3], b[4], b[5], b[6], b[7]);
}
