#include "err.h"

const char *err_code(int rc)
{
    switch (rc) {
    case ERR_OK:
        return "ok";
    case ERR_NOMEM:
        return "out_of_memory";
    case ERR_TOOBIG:
        return "too_large";
    case ERR_INVAL:
        return "invalid";
    case ERR_NOTFOUND:
        return "not_found";
    case ERR_EXISTS:
        return "exists";
    case ERR_DENIED:
        return "forbidden";
    case ERR_AUTH:
        return "unauthorized";
    case ERR_LIMIT:
        return "rate_limited";
    case ERR_GONE:
        return "gone";
    case ERR_BUSY:
        return "busy";
    case ERR_UNAVAILABLE:
        return "unavailable";
    case ERR_BUDGET:
        return "budget";
    case ERR_IO:
        return "io_error";
    default:
        return "internal_error";
    }
}
