/* The SSRF guard's address classification: which resolved addresses may be fetched. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

bool fetch_test_mode(void)
{
    const char *v = getenv("GUILD_TEST_MODE");
    return v != NULL && strcmp(v, "1") == 0;
}

static const char *v4_refusal(uint32_t a, bool allow_loopback)
{
    static const struct {
        uint32_t net, mask;
        const char *why;
    } blocked[] = {
        {0x00000000, 0xff000000, "this-network address"},
        {0x0a000000, 0xff000000, "private address"},
        {0x64400000, 0xffc00000, "carrier-grade NAT address"},
        {0x7f000000, 0xff000000, "loopback address"},
        {0xa9fe0000, 0xffff0000, "link-local address"},
        {0xac100000, 0xfff00000, "private address"},
        {0xc0000000, 0xffffff00, "IETF protocol address"},
        {0xc0000200, 0xffffff00, "documentation address"},
        {0xc0a80000, 0xffff0000, "private address"},
        {0xc6120000, 0xfffe0000, "benchmarking address"},
        {0xc6336400, 0xffffff00, "documentation address"},
        {0xcb007100, 0xffffff00, "documentation address"},
        {0xe0000000, 0xf0000000, "multicast address"},
        {0xf0000000, 0xf0000000, "reserved address"},
    };
    for (size_t i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++) {
        if ((a & blocked[i].mask) == blocked[i].net) {
            if (allow_loopback && blocked[i].net == 0x7f000000) {
                return NULL;
            }
            return blocked[i].why;
        }
    }
    return NULL;
}

const char *fetch_addr_refusal(const struct sockaddr *addr, bool allow_loopback)
{
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)addr;
        return v4_refusal(ntohl(in->sin_addr.s_addr), allow_loopback);
    }
    if (addr->sa_family != AF_INET6) {
        return "not an internet address";
    }
    const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr.s6_addr;
    static const uint8_t zero[16] = {0};
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0) {
        /* an IPv4 address inside IPv6: judge the IPv4 one */
        return v4_refusal((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15],
                          allow_loopback);
    }
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) {
        return b[15] == 1 && allow_loopback ? NULL
               : b[15] == 1                 ? "loopback address"
                                            : "unspecified address";
    }
    if (memcmp(b, zero, 12) == 0) {
        return "IPv4-compatible address";
    }
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
        return "link-local address";
    }
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return "site-local address"; /* fec0::/10: deprecated, still routed inside some sites */
    }
    /* transition prefixes that carry an IPv4 address a relay would reach for us: 6to4
     * (2002::/16), Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) */
    if (b[0] == 0x20 && b[1] == 0x02) {
        return "6to4 address";
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
        return "Teredo address";
    }
    if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1) {
        return "local-use NAT64 address";
    }
    if ((b[0] & 0xfe) == 0xfc) {
        return "private (unique local) address";
    }
    if (b[0] == 0xff) {
        return "multicast address";
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) {
        return "documentation address";
    }
    if (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, zero, 6) == 0) {
        return "discard address";
    }
    return NULL;
}
