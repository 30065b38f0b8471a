/* Who is on the other end of a request, and where this server listens. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

void http_client_ip(struct http_request *rq, struct MHD_Connection *c)
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
