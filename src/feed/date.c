/* Feed dates: RFC 3339 / W3CDTF / ISO 8601 ("2003-12-31T10:14:55Z", "2003-12", "20031231"),
 * RFC 822 and its real-world variants (day name or not, two-digit years, named and military
 * zones, full month names, asctime order), all to seconds since the epoch, UTC. Pure. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

struct zone {
    const char *name;
    int minutes;
};

static const struct zone zones[] = {
    {"ut", 0},        {"utc", 0},       {"gmt", 0},       {"z", 0},        {"est", -300},
    {"edt", -240},    {"cst", -360},    {"cdt", -300},    {"mst", -420},   {"mdt", -360},
    {"pst", -480},    {"pdt", -420},    {"bst", 60},      {"cet", 60},     {"cest", 120},
    {"eet", 120},     {"eest", 180},    {"jst", 540},     {"ist", 330},    {"aest", 600},
    {"a", -60},       {"m", -720},      {"n", 60},        {"y", 720},      {"etc/gmt", 0}};

static bool valid_fields(int y, int mo, int d, int h, int mi, int s)
{
    return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 &&
           h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

static bool to_epoch(int y, int mo, int d, int h, int mi, int s, int offset_min, int64_t *out)
{
    if (!valid_fields(y, mo, d, h, mi, s)) {
        return false;
    }
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    *out = (int64_t)timegm(&tm) - (int64_t)offset_min * 60;
    return true;
}

static int digits(const char **p, int max, int *val)
{
    int n = 0;
    *val = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        *val = *val * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* "+05:30", "-0800", "Z"; returns false on junk. Empty means UTC. */
static bool parse_offset(const char *p, int *minutes)
{
    while (*p == ' ') {
        p++;
    }
    *minutes = 0;
    if (*p == '\0' || ((*p == 'Z' || *p == 'z') && p[1] == '\0')) {
        return true;
    }
    if (*p != '+' && *p != '-') {
        return false;
    }
    int sign = *p == '-' ? -1 : 1, h, m = 0;
    p++;
    int nd = digits(&p, 2, &h);
    if (nd == 0) {
        return false;
    }
    if (*p == ':') {
        p++;
    }
    digits(&p, 2, &m);
    *minutes = sign * (h * 60 + m);
    return *p == '\0' || isspace((unsigned char)*p);
}

static bool parse_iso(const char *s, int64_t *out)
{
    const char *p = s;
    int y, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
    if (digits(&p, 4, &y) != 4) {
        return false;
    }
    bool compact = isdigit((unsigned char)*p);
    if (*p == '-' || compact) {
        p += !compact;
        if (digits(&p, 2, &mo) != 2) {
            return false;
        }
        if (*p == '-' || (compact && isdigit((unsigned char)*p))) {
            p += *p == '-';
            if (digits(&p, 2, &d) != 2) {
                return false;
            }
        }
    }
    if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
        p++;
        if (digits(&p, 2, &h) != 2) {
            return false;
        }
        if (*p == ':' || isdigit((unsigned char)*p)) {
            p += *p == ':';
            if (digits(&p, 2, &mi) != 2) {
                return false;
            }
            if (*p == ':' || isdigit((unsigned char)*p)) {
                p += *p == ':';
                if (digits(&p, 2, &sec) != 2) {
                    return false;
                }
                if (*p == '.' || *p == ',') {
                    p++;
                    while (isdigit((unsigned char)*p)) {
                        p++;
                    }
                }
            }
        }
    }
    int off;
    if (!parse_offset(p, &off)) {
        return false;
    }
    return to_epoch(y, mo, d, h, mi, sec, off, out);
}

/* RFC 822 and friends: tokens in any common order. */
static bool parse_rfc822(const char *s, int64_t *out)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", s);
    int y = -1, mo = -1, d = -1, h = 0, mi = 0, sec = 0, off = 0;
    bool have_time = false, have_zone = false;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ,\t\r\n", &save); t; t = strtok_r(NULL, " ,\t\r\n", &save)) {
        size_t n = strlen(t);
        char low[16];
        snprintf(low, sizeof(low), "%s", t);
        for (char *c = low; *c; c++) {
            *c = (char)tolower((unsigned char)*c);
        }
        if (strchr(t, ':') && isdigit((unsigned char)t[0]) && !have_time) {
            const char *p = t;
            if (digits(&p, 2, &h) == 0 || *p++ != ':' || digits(&p, 2, &mi) == 0) {
                return false;
            }
            if (*p == ':') {
                p++;
                digits(&p, 2, &sec);
            }
            have_time = true;
            if (*p == '+' || *p == '-' || *p == 'Z') { /* "10:00:00+01:00" */
                if (!parse_offset(p, &off)) {
                    return false;
                }
                have_zone = true;
            }
            continue;
        }
        if ((t[0] == '+' || t[0] == '-') && n >= 3 && have_time && !have_zone) {
            if (!parse_offset(t, &off)) {
                return false;
            }
            have_zone = true;
            continue;
        }
        if (isdigit((unsigned char)t[0])) {
            const char *p = t;
            int v;
            int nd = digits(&p, 4, &v);
            if (*p != '\0' && strcmp(p, "st") && strcmp(p, "nd") && strcmp(p, "rd") &&
                strcmp(p, "th")) {
                return false;
            }
            if (nd <= 2 && d < 0 && v >= 1 && v <= 31) {
                d = v;
            } else if (y < 0 && (nd == 4 || nd == 2)) {
                y = nd == 2 ? (v < 50 ? 2000 + v : 1900 + v) : v;
            } else {
                return false;
            }
            continue;
        }
        bool matched = false;
        for (int m = 0; m < 12 && !matched; m++) {
            if (strncmp(low, months[m], 3) == 0 && mo < 0) {
                mo = m + 1;
                matched = true;
            }
        }
        for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]) && !matched; z++) {
            if (strcmp(low, zones[z].name) == 0 && have_time && !have_zone) {
                off = zones[z].minutes;
                have_zone = matched = true;
            }
        }
        if (!matched && !have_time) {
            continue; /* a day name ("Sun", "Sunday") or other word before the time */
        }
        if (!matched && strlen(low) > 3 && (strncmp(low, "gmt", 3) == 0 || strncmp(low, "utc", 3) == 0)) {
            if (!parse_offset(t + 3, &off)) { /* "GMT+2" */
                return false;
            }
            have_zone = true;
        }
    }
    if (y < 0 || mo < 0 || d < 0) {
        return false;
    }
    return to_epoch(y, mo, d, h, mi, sec, off, out);
}

bool feed_parse_date(const char *s, int64_t *out)
{
    if (s == NULL) {
        return false;
    }
    while (isspace((unsigned char)*s)) {
        s++;
    }
    char tmp[128];
    snprintf(tmp, sizeof(tmp), "%s", s);
    size_t n = strlen(tmp);
    while (n > 0 && isspace((unsigned char)tmp[n - 1])) {
        tmp[--n] = '\0';
    }
    if (n == 0) {
        return false;
    }
    if (n >= 4 && isdigit((unsigned char)tmp[0]) && isdigit((unsigned char)tmp[1]) &&
        isdigit((unsigned char)tmp[2]) && isdigit((unsigned char)tmp[3]) && parse_iso(tmp, out)) {
        return true;
    }
    return parse_rfc822(tmp, out);
}

void feed_format_date(int64_t t, char *out, size_t outsz)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
