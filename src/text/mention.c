/* @handle mentions in member-written text. */
#include <ctype.h>

#include "text.h"

static bool handle_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-';
}

bool text_mention_next(struct str s, size_t from, size_t *at, size_t *len)
{
    for (size_t i = from; i < s.n; i++) {
        if (s.p[i] != '@') {
            continue;
        }
        unsigned char before = i > 0 ? (unsigned char)s.p[i - 1] : ' ';
        if (handle_char(before) || before == '.' || before == '@' || before == '/') {
            continue; /* an e-mail address or a path, not a mention */
        }
        size_t k = i + 1;
        if (k >= s.n || !isalpha((unsigned char)s.p[k])) {
            continue;
        }
        while (k < s.n && handle_char((unsigned char)s.p[k])) {
            k++;
        }
        while (k > i + 1 && s.p[k - 1] == '-') {
            k--; /* "@ana-" at the end of a clause: the dash is punctuation */
        }
        size_t n = k - i - 1;
        if (n >= 2 && n <= TEXT_HANDLE_MAX && !(k < s.n && s.p[k] == '@')) {
            *at = i;
            *len = k - i;
            return true;
        }
        i = k - 1;
    }
    return false;
}
