/* Logging to stderr with level and timestamp; CR/LF in messages are replaced so a client
 * cannot forge log lines. Thread-safe (one fprintf per line). */
#ifndef GUILD_CORE_LOG_H
#define GUILD_CORE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
