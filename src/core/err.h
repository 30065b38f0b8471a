/* Error codes shared by every module: fallible functions return 0 or one of these (negative). */
#ifndef GUILD_CORE_ERR_H
#define GUILD_CORE_ERR_H

enum err {
    ERR_OK = 0,
    ERR_NOMEM = -1,
    ERR_TOOBIG = -2,
    ERR_INVAL = -3,    /* bad input from outside: maps to 400 */
    ERR_NOTFOUND = -4, /* 404 */
    ERR_DB = -5,       /* store failure: 500 */
    ERR_IO = -6,
    ERR_EXISTS = -7,   /* conflicts with something stored: 409 */
    ERR_DENIED = -8,   /* not allowed for this member: 403 */
    ERR_AUTH = -9,     /* not signed in / bad credentials: 401 */
    ERR_LIMIT = -10,   /* rate limited: 429 */
    ERR_GONE = -11,    /* removed by the moderators: 410 */
    ERR_BUSY = -12,    /* the database stayed locked by another process past the wait: 429 */
    ERR_UNAVAILABLE = -13, /* the database does not answer (PostgreSQL down or unreachable): 503 */
    ERR_BUDGET = -14,  /* an idea portal's vote budget is spent: 409 */
};

/* Short stable code for an error, e.g. "invalid" (static string). */
const char *err_code(int rc);

#endif
