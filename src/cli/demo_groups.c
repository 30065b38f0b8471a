/* The demo guild's groups: a community of practice with questions, answers and a
 * competition, and a vendor's idea portal its customers vote on (issue 17), so that /g and
 * its pages have something real to show. Deterministic, like the rest of the demo. */
#include <string.h>

#include "../core/err.h"
#include "demo.h"

static const char *const questions[][4] = {
    {"How do you forecast pipeline when half the deals are multi-threaded?",
     "We sell to committees of five or six; stage-based weights overstate our quarter.",
     "Weight by the number of engaged roles, not the stage: a deal with the economic buyer and "
     "procurement engaged closes at twice the rate of one with a champion alone.",
     "We track the date of the first meeting with finance. Deals without one by stage three "
     "slip more often than not."},
    {"What belongs in a win-loss interview script?",
     "Our sales team wants to run them themselves. Is that a mistake?",
     "Have someone outside the deal run it, and ask about the decision process before the "
     "product: the buyer's own words for the alternative are the useful part.",
     "Twelve questions at most, recorded, and share the anonymised notes with product."},
    {"Is intent data worth it for a 40-person company?",
     "We keep getting demos of intent platforms and cannot tell signal from noise.",
     "Start with your own first-party signals: pricing page visits from target accounts "
     "beat most third-party topics at that size.",
     "Only if you already have the people to follow up within a day; otherwise it is a list."},
};

static const char *const ideas[][2] = {
    {"Bulk export of shipment reports to CSV", "open"},
    {"Single sign-on for contractors", "planned"},
    {"A read-only role for finance reviewers", "started"},
    {"Audit trail for price changes", "completed"},
    {"Dark mode for the dispatcher console", "submitted"},
    {"Webhook when an invoice is disputed", "open"},
};

/* The first member whose organisation is of kind `kind` (or the domain `domain`). */
static const struct demo_member *first_of(const struct demo_member *m, size_t n,
                                          enum demo_kind kind, const char *domain)
{
    for (size_t i = 1; i < n; i++) {
        if (domain != NULL ? strcmp(m[i].domain, domain) == 0 : m[i].kind == kind) {
            return &m[i];
        }
    }
    return &m[0];
}

static int make_group(struct store *s, const struct store_group *g, const struct demo_member *m,
                      size_t n, size_t members, int64_t *id)
{
    int rc = store_group_create(s, g, id);
    for (size_t i = 0; i < n && i < members && rc == 0; i++) {
        if (m[i].id != g->created_by) {
            rc = store_group_member_set(s, *id, m[i].id, "member", "active", g->created_at + 60);
        }
    }
    return rc;
}

static int post(struct store *s, struct arena *a, int64_t group, const char *kind,
                const char *title, const char *body, const struct demo_member *by, int64_t at,
                int64_t *id)
{
    static int nonce;
    struct store_item it = {.kind = kind, .url = "", .title = title, .body = body,
                            .feed_url = "", .tags = "", .user_id = by->id, .created_at = at,
                            .domain = by->domain, .group_id = group,
                            .idea_status = strcmp(kind, "idea") == 0 ? "submitted" : ""};
    it.canon_url = arena_printf(a, "guild:%s:demo-%d", kind, ++nonce);
    return store_item_create(s, &it, id);
}

/* Questions with answers; readers who opened each question vote on its answers, and the
 * asker accepts the first answer of the first question. */
static int demo_questions(struct store *s, struct arena *a, struct demo_rng *r, int64_t group,
                          const struct demo_member *m, size_t n, int64_t now)
{
    int rc = 0;
    for (size_t q = 0; q < sizeof(questions) / sizeof(questions[0]) && rc == 0; q++) {
        int64_t qid, aid[2];
        int64_t at = now - (int64_t)(10 - q) * 86400;
        rc = post(s, a, group, "question", questions[q][0], questions[q][1], &m[2 + q * 3], at, &qid);
        for (int k = 0; k < 2 && rc == 0; k++) {
            rc = store_answer_create(s, qid, m[5 + q * 2 + (size_t)k].id, questions[q][2 + k],
                                     at + 3600 * (k + 1), &aid[k]);
        }
        for (size_t v = 12; v < 12 + 8 && v < n && rc == 0; v++) {
            bool recorded;
            rc = store_open_record(s, m[v].id, qid, true, &recorded);
            int value = rng_next(r) % 4 == 0 ? -1 : 1;
            if (rc == 0) {
                rc = store_answer_vote_set(s, m[v].id, aid[rng_next(r) % 2], value,
                                           value < 0 ? "low-quality" : "", at + 7200);
            }
        }
        if (rc == 0 && q == 0) {
            rc = store_item_accept(s, qid, aid[0]);
        }
    }
    return rc;
}

/* A vendor's portal: customers' ideas at every stage, with votes from other customers. */
static int demo_portal(struct store *s, struct arena *a, struct demo_rng *r,
                       const struct demo_member *m, size_t n, int64_t now)
{
    const struct demo_member *host = first_of(m, n, DEMO_VENDOR, "quillfield.io");
    struct store_group g = {.slug = "quillfield-ideas", .name = "Quillfield ideas",
                            .description = "Ideas for Quillfield's logistics software, voted on "
                                           "by its customers.",
                            .membership = "open", .org_domain = "quillfield.io",
                            .customers = "harborline-logistics.com\nferncastle-health.com\n"
                                         "bramblegate.com",
                            .customers_only = true, .vote_budget = 10, .created_by = host->id,
                            .created_at = now - 30 * 86400};
    int64_t gid;
    int rc = make_group(s, &g, m, n, n, &gid);
    for (size_t k = 0; k < sizeof(ideas) / sizeof(ideas[0]) && rc == 0; k++) {
        const struct demo_member *by = first_of(m + k, n - k, DEMO_BUYER, NULL);
        int64_t id, at = now - (int64_t)(20 - k) * 86400;
        rc = post(s, a, gid, "idea", ideas[k][0], "", by, at, &id);
        if (rc == 0 && strcmp(ideas[k][1], "submitted") != 0) {
            rc = store_idea_status_set(s, id, "submitted", "open", "Clear, and in scope.",
                                       host->id, 0, at + 3600);
        }
        for (size_t v = 0; v < n && rc == 0; v++) {
            bool recorded;
            if (m[v].kind != DEMO_BUYER || m[v].id == by->id || rng_next(r) % 3 == 0 ||
                strcmp(ideas[k][1], "submitted") == 0) {
                continue;
            }
            rc = store_open_record(s, m[v].id, id, true, &recorded);
            rc = rc == 0 ? store_vote_set(s, m[v].id, id, 1, "") : rc;
        }
        if (rc == 0 && strcmp(ideas[k][1], "open") != 0 && strcmp(ideas[k][1], "submitted") != 0) {
            rc = store_idea_status_set(s, id, "open", ideas[k][1], "Customers asked for it most.",
                                       host->id, 0, at + 86400);
        }
    }
    return rc;
}

int demo_groups(struct store *s, struct arena *a, const struct demo_member *m, size_t n,
                int64_t now)
{
    struct demo_rng r = {0x2545f4914f6cdd1dULL};
    struct store_group g = {.slug = "pipeline-practice", .name = "Pipeline practice",
                            .description = "Forecasting, win-loss and the buying committee: "
                                           "questions from practitioners, answered by peers.",
                            .membership = "open", .org_domain = "", .customers = "",
                            .vote_budget = 10, .created_by = m[1].id,
                            .created_at = now - 40 * 86400};
    int64_t gid, comp, entry;
    int rc = make_group(s, &g, m, n, 24, &gid);
    if (rc == 0) {
        rc = demo_questions(s, a, &r, gid, m, n, now);
    }
    if (rc == 0) {
        struct store_competition c = {.group_id = gid, .title = "Best pipeline review template",
                                      .rules = "Link to a template you use; one entry each.",
                                      .entry_start = now - 10 * 86400, .entry_end = now + 10 * 86400,
                                      .vote_start = now - 5 * 86400, .vote_end = now + 20 * 86400,
                                      .voters = "members", .judge_weight = 0.3,
                                      .created_by = m[1].id, .created_at = now - 10 * 86400};
        rc = store_competition_create(s, &c, &m[0].id, 1, &comp);
    }
    if (rc == 0) {
        struct store_item it = {.kind = "link", .url = "https://example.org/pipeline-review",
                                .canon_url = arena_printf(a, "https://example.org/pipeline-review"
                                                             "#competition-%lld", (long long)comp),
                                .domain = "example.org", .title = "A one-page pipeline review",
                                .body = "", .feed_url = "", .tags = "", .user_id = m[3].id,
                                .created_at = now - 4 * 86400, .group_id = gid,
                                .competition_id = comp};
        rc = store_item_create(s, &it, &entry);
    }
    if (rc == 0) {
        rc = store_judge_score_set(s, entry, m[0].id, 8, now - 86400);
    }
    return rc == 0 ? demo_portal(s, a, &r, m, n, now) : rc;
}
