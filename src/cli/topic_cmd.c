/* guild topic score --db PATH: the off-topic check's model as guild serve trains it from that
 * guild, scoring each line of standard input (a title, optionally a tab and a text). For
 * evaluating the check on text that was not written for it (docs/moderation.md). */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../text/text.h"
#include "cli.h"

static const char topic_usage[] =
    "usage: guild topic score --db PATH < LINES\n"
    "  Trains the off-topic check's model from the guild in PATH (its listed items and its\n"
    "  blogs' post titles, and the items moderators removed as off-topic) and prints, for each line of standard input,\n"
    "  its score (0..1; 0.5 is no evidence either way) and the line. Also prints the model's\n"
    "  training counts first, as a comment line.\n";

static void corpus_add(void *ctx, const char *text, bool on_topic)
{
    text_topic_add(ctx, str_z(text), on_topic);
}

static int topic_score_lines(struct store *s)
{
    struct text_topic *m = text_topic_new();
    if (store_topic_corpus(s, corpus_add, m) != 0) {
        fprintf(stderr, "guild: could not read the guild's items\n");
        text_topic_free(m);
        return 1;
    }
    printf("# model: %zu on-topic texts, %zu removed as off-topic\n", text_topic_docs(m, true),
           text_topic_docs(m, false));
    char line[4096];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') {
            continue;
        }
        printf("%.3f\t%s\n", text_topic_score(m, str_z(line)), line);
    }
    text_topic_free(m);
    return 0;
}

int cmd_topic(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", NULL};
    const char *verb = in->argc > 0 ? in->argv[0] : "";
    if (strcmp(verb, "score") != 0) {
        bool help = strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0;
        fputs(topic_usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct cli_flags f = {in->argc - 1, in->argv + 1, topic_usage};
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    struct store *s = NULL;
    int status = cli_open_db(&f, &s);
    if (status == 0) {
        status = topic_score_lines(s);
    }
    store_close(s);
    return status;
}
