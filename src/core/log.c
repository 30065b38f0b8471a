#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static void log_line(const char *level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void log_line(const char *level, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    for (char *p = msg; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            *p = ' ';
        }
    }
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s %s\n", ts, level, msg);
}

#define LOG_FN(name, level)                                                                    \
    void name(const char *fmt, ...)                                                            \
    {                                                                                          \
        va_list ap;                                                                            \
        va_start(ap, fmt);                                                                     \
        log_line(level, fmt, ap);                                                              \
        va_end(ap);                                                                            \
    }

LOG_FN(log_info, "info")
LOG_FN(log_warn, "warn")
LOG_FN(log_error, "error")
